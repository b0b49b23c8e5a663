"""Options of the ``changelog`` kind (a path in each release's own tree)."""

from __future__ import annotations

from secdocs.options import Block, Options, TagPath

DEFAULT_CHANGELOG = "CHANGELOG.md"


class ChangelogBlock(Options):
    path = TagPath(DEFAULT_CHANGELOG, what="the changelog")


class ChangelogOptions(Options):
    """Options of the ``changelog`` kind."""

    changelog = Block(ChangelogBlock, shorthand="path", example="changelog: {path: CHANGELOG.md}")
