"""The options of the ``signatures`` kind, also read by ``provenance`` and ``containers``:
``signer``, ``trusted_root`` and ``public_keys``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from secdocs.options import Block, ListOf, Options, RepoFile
from secdocs.verify.signers import SignerBlock, TrustedRoot

if TYPE_CHECKING:
    pass


class SignaturesOptions(Options):
    """Options of the ``signatures`` kind (also read by ``provenance``)."""

    signer = Block(
        SignerBlock,
        example="signer: {identity_regex: '^https://github.com/OWNER/REPO/…@refs/tags/{tag}$', "
        "issuer: 'https://token.actions.githubusercontent.com'}",
    )
    trusted_root = TrustedRoot()
    public_keys = ListOf(RepoFile("public key file"))
