"""Options of the ``threat-model`` kind. Paths are read from each release's own tree, so only their
shape is checked when the configuration loads; a path missing at a tag is a finding of that
release."""

from __future__ import annotations

from secdocs.options import Block, Options, TagPath

DEFAULT_DELTA_PATH = "docs/threat-model/deltas/{version}.md"


class ThreatModelBlock(Options):
    #: a delta file per release (``{version}``/``{tag}`` filled in)
    path = TagPath(what="a threat-model delta")
    #: or: any new ``.md`` file under this folder since the previous release
    folder = TagPath(what="a folder of threat-model deltas")

    @property
    def delta_path(self) -> str | None:
        """The delta path template; the default one unless only ``folder`` is set."""
        if self.path is None and self.folder is None:
            return DEFAULT_DELTA_PATH
        return self.path

    @property
    def delta_folder(self) -> str | None:
        return self.folder.rstrip("/") if self.folder else None


class ThreatModelOptions(Options):
    """Options of the ``threat-model`` kind."""

    threat_model = Block(
        ThreatModelBlock,
        shorthand="path",
        example="threat_model: {path: docs/threat-model/deltas/{version}.md} "
        "(or {folder: docs/threat-model/deltas})",
    )
