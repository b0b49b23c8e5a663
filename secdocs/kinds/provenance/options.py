"""The options of the ``provenance`` kind: what SLSA provenance must say."""

from __future__ import annotations

from typing import TYPE_CHECKING

from secdocs.options import Block, ListOf, Options, Text
from secdocs.verify.signers import MAX_PATTERN

if TYPE_CHECKING:
    pass


class ProvenanceBlock(Options):
    """``provenance:`` — what SLSA provenance must say."""

    source_uri = Text(max_length=MAX_PATTERN)
    builders = ListOf(Text(max_length=MAX_PATTERN))


class ProvenanceOptions(Options):
    """Options of the ``provenance`` kind."""

    provenance = Block(
        ProvenanceBlock, example="provenance: {source_uri: github.com/OWNER/REPO, builders: [...]}"
    )
