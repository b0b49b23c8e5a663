"""A real git repository per release, with the sbom kind."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from kindproject import KindProject

from secdocs.kinds.sbom.collect import SbomCollector


class Project(KindProject):
    """A git repository with one tag per release and an evidence folder for each, and the
    sbom kind."""

    def __init__(
        self,
        root: Path,
        releases: Mapping[str, Mapping[str, bytes]],
        sections: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(root, releases, SbomCollector, sections)
