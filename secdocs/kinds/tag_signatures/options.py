"""The options of the ``tag-signatures`` kind: who may sign release tags."""

from __future__ import annotations

from typing import TYPE_CHECKING

from secdocs.options import Options, RepoFile

if TYPE_CHECKING:
    pass


class TagSignaturesOptions(Options):
    """Options of the ``tag-signatures`` kind."""

    tag_signers = RepoFile("allowed-signers or keyring file")
