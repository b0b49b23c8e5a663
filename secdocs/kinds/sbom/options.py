"""Options of the ``sbom`` kind: the ``sbom:`` block, checked when the configuration loads."""

from __future__ import annotations

from secdocs.options import Block, Flag, ListOf, Options, Text


class LicenceOptions(Options):
    """``sbom.licenses``: SPDX licence ids allowed and denied (deny wins)."""

    allow = ListOf(Text(), single=False)
    deny = ListOf(Text(), single=False)


class SbomBlock(Options):
    # ``validate`` is also the name of a method of every MkDocs config class
    validate_ = Flag(True)
    licenses = Block(
        LicenceOptions, example="licenses: {allow: [MIT, Apache-2.0], deny: [GPL-3.0-only]}"
    )


class SbomOptions(Options):
    """Options of the ``sbom`` kind."""

    sbom = Block(SbomBlock, example="sbom: {validate: true, licenses: {allow: [MIT]}}")
