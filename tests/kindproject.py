"""A git repository with one tag per release and an evidence folder for each, and one evidence
kind run over it: what the kinds' own tests build on."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from gitutil import new_repo

from secdocs.collectors import Collector, PageContext, ReleaseContext
from secdocs.config import from_mapping
from secdocs.discover import discover
from secdocs.evidence import scan
from secdocs.git import GitRepo
from secdocs.model import Findings
from secdocs.render.pages import release_page_path


class KindProject:
    """``releases`` maps each tag to its evidence files; ``kind`` runs with ``sections`` as the
    ``secdocs`` block."""

    def __init__(
        self,
        root: Path,
        releases: Mapping[str, Mapping[str, bytes]],
        kind: type[Collector],
        sections: Mapping[str, Any] | None = None,
    ) -> None:
        repo = new_repo(root)
        for tag, files in releases.items():
            repo.release(tag)
            for name, data in files.items():
                repo.evidence(tag, name, data)
        self.repo = repo
        self.root = root
        self.git = GitRepo(root)
        self.releases = {r.tag: r for r in discover(self.git, "v*").releases}
        self.config = from_mapping({"repo": str(root), **dict(sections or {})}, root)
        self.collector = kind(self.config)

    def ctx(self, tag: str) -> ReleaseContext:
        folder = self.root / "evidence" / tag
        listing = scan(folder, self.config.max_file_size) if folder.is_dir() else None
        return ReleaseContext(
            self.releases[tag],
            None,
            self.config,
            self.git,
            folder if folder.is_dir() else None,
            f"evidence/{tag}",
            listing.files if listing else (),
            listing.rejected if listing else (),
        )

    def collect(self, tag: str) -> Findings:
        return self.collector.collect(self.ctx(tag))

    def page(self, tag: str) -> PageContext:
        return PageContext(self.releases[tag], "files/", {}, release_page_path(tag), True)
