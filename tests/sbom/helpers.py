"""Helpers for the sbom tests: a real git repository per release and the MANIFEST's counts."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from gitutil import new_repo

from secdocs.collectors import PageContext, ReleaseContext
from secdocs.config import from_mapping
from secdocs.discover import discover
from secdocs.evidence import scan
from secdocs.git import GitRepo
from secdocs.kinds.sbom.collect import SbomCollector
from secdocs.model import Findings
from secdocs.render.pages import release_page_path


class Project:
    """A git repository with one tag per release and an evidence folder for each."""

    def __init__(
        self,
        root: Path,
        releases: Mapping[str, Mapping[str, bytes]],
        sections: Mapping[str, Any] | None = None,
    ) -> None:
        repo = new_repo(root)
        for tag, files in releases.items():
            repo.release(tag)
            for name, data in files.items():
                repo.evidence(tag, name, data)
        self.root = root
        self.git = GitRepo(root)
        self.releases = {r.tag: r for r in discover(self.git, "v*").releases}
        self.config = from_mapping(dict(sections or {}), root)
        self.collector = SbomCollector(self.config)

    def ctx(self, tag: str) -> ReleaseContext:
        folder = self.root / "evidence" / tag
        files = scan(folder, self.config.max_file_size).files if folder.is_dir() else ()
        return ReleaseContext(
            self.releases[tag],
            None,
            self.config,
            self.git,
            folder if folder.is_dir() else None,
            f"evidence/{tag}",
            files,
        )

    def collect(self, tag: str) -> Findings:
        return self.collector.collect(self.ctx(tag))

    def page(self, tag: str) -> PageContext:
        return PageContext(self.releases[tag], "files/", {}, release_page_path(tag), True)


_ROW = re.compile(
    r"^\| `(?P<path>[^`]+)` \| (?P<bytes>\d+) \| `[0-9a-f]+` \| "
    r"(?P<what>[^|]*) \| (?P<exp>[^|]*) \|"
)
_COUNTS = re.compile(
    r"CycloneDX (?P<spec>1\.\d) (?P<enc>JSON|XML) \((?P<top>\d+) top-level / (?P<total>\d+) total "
    r"components, (?P<deps>\d+) dependency entries, (?P<vulns>\d+) vulnerabilities\)"
)
_VEX = re.compile(
    r"CycloneDX (?P<spec>1\.\d) (?:VEX|BOM) JSON: (?P<vulns>\d+) vulnerabilities \[[^\]]*\], "
    r"analysis states \[(?P<states>[^\]]*)\], (?P<comps>\d+) components"
)


def manifest_rows(corpus: Path, expected: bool = False) -> list[tuple[str, str]]:
    rows = []
    for line in (corpus / "MANIFEST.md").read_text(encoding="utf-8").splitlines():
        match = _ROW.match(line)
        if match:
            rows.append((match["path"], match["exp" if expected else "what"].strip()))
    return rows


def sbom_counts(corpus: Path) -> list[tuple[str, dict[str, str]]]:
    out = []
    for path, what in manifest_rows(corpus):
        match = _COUNTS.search(what)
        if match:
            out.append((path, match.groupdict()))
    return out


def vex_counts(corpus: Path) -> list[tuple[str, int, set[str], int]]:
    out = []
    for path, what in manifest_rows(corpus):
        match = _VEX.search(what)
        if match:
            states = {s.strip().strip("'") for s in match["states"].split(",") if s.strip()}
            out.append((path, int(match["vulns"]), states, int(match["comps"])))
    return out


def spec_documents(corpus: Path) -> list[tuple[str, bool]]:
    """(path, expected valid) for the CycloneDX specification's schema test documents."""
    out = []
    for path, expected in manifest_rows(corpus, expected=True):
        if path.startswith("cyclonedx-specification/"):
            assert expected.startswith(("VALID", "INVALID")), expected
            out.append((path, expected.startswith("VALID")))
    return out
