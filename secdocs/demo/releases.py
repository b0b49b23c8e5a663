"""The demo project's releases and the shapes its evidence contributors share."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

PROJECT = "widget"
OWNER = "acme"
SOURCE_URI = f"github.com/{OWNER}/{PROJECT}"
AUTHOR = ("Acme Release Bot", "releases@acme.example")


@dataclass(frozen=True)
class DemoRelease:
    index: int
    tag: str
    version: str
    date: datetime
    prerelease: bool = False
    annotated: bool = True
    has_evidence: bool = True
    notes: str = ""


RELEASES: tuple[DemoRelease, ...] = (
    DemoRelease(
        0,
        "v0.9.0",
        "0.9.0",
        datetime(2026, 1, 15, 10, 0, tzinfo=UTC),
        annotated=False,
        has_evidence=False,
        notes="First public preview.",
    ),
    DemoRelease(
        1, "v1.0.0", "1.0.0", datetime(2026, 3, 2, 9, 30, tzinfo=UTC), notes="First stable release."
    ),
    DemoRelease(
        2, "v1.1.0", "1.1.0", datetime(2026, 4, 20, 14, 0, tzinfo=UTC), notes="Adds the export API."
    ),
    DemoRelease(
        3,
        "v1.2.0-rc.1",
        "1.2.0rc1",
        datetime(2026, 6, 1, 8, 0, tzinfo=UTC),
        prerelease=True,
        notes="Release candidate for 1.2.",
    ),
    DemoRelease(
        4,
        "v1.2.0",
        "1.2.0",
        datetime(2026, 6, 15, 16, 45, tzinfo=UTC),
        notes="TLS hardening and a new auth backend.",
    ),
    DemoRelease(
        5,
        "v1.2.1",
        "1.2.1",
        datetime(2026, 8, 3, 11, 15, tzinfo=UTC),
        annotated=False,
        notes="Security fix release.",
    ),
    DemoRelease(
        6, "v2.0.0", "2.0.0", datetime(2026, 10, 12, 13, 0, tzinfo=UTC), notes="New major version."
    ),
)


@dataclass
class EvidenceDraft:
    """The evidence folder of one release while contributors fill it."""

    release: DemoRelease
    commit: str
    files: dict[str, bytes] = field(default_factory=dict)

    def artifacts(self) -> dict[str, bytes]:
        return {n: b for n, b in self.files.items() if n.endswith((".tar.gz", ".whl"))}


class Contributor(Protocol):
    def tree_files(self, release: DemoRelease, previous: DemoRelease | None) -> Mapping[str, bytes]:
        """Files committed into the repository for this release (changelog, deltas, config)."""

    def evidence_files(self, draft: EvidenceDraft) -> Mapping[str, bytes]:
        """Files added to the release's evidence folder (may read what is already there)."""

    def plugin_options(self) -> Mapping[str, Any]:
        """Options this contributor adds to the demo's ``secdocs`` plugin block."""
