"""The SBOM kind's model: what one release's SBOM findings hold, for rendering and comparing.

Rendering (:mod:`secdocs.kinds.sbom.render`) reads this module, never the collector.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import msgspec

from secdocs.kinds.sbom.diff import Diff
from secdocs.sbom.model import SEVERITIES, Component, Sbom, Vulnerability


class DocInfo(msgspec.Struct, frozen=True, gc=False):
    path: str
    label: str
    status: str
    reason: str = ""
    components: int = 0
    container: str = ""


class Violation(msgspec.Struct, frozen=True, gc=False):
    component: int  # index into the primary SBOM's components
    reason: str


class SbomDetail(msgspec.Struct, frozen=True, gc=False):
    """What the renderer and :meth:`SbomCollector.compare` need; kept compact on purpose."""

    documents: tuple[DocInfo, ...] = ()
    primary: Sbom | None = None
    vulnerabilities: tuple[Vulnerability, ...] = ()
    reports: tuple[str, ...] = ()
    #: bom-refs of the direct dependencies, ``None`` when the SBOM has no dependency graph
    direct: tuple[str, ...] | None = None
    violations: tuple[Violation, ...] = ()
    policy_active: bool = False
    diff: Diff | None = None


def severity_counts(vulns: Sequence[Vulnerability], open_only: bool) -> dict[str, int]:
    counts = Counter(v.severity for v in vulns if v.open or not open_only)
    return {s: counts[s] for s in SEVERITIES if counts[s]}


def licence_counts(components: Sequence[Component]) -> list[tuple[str, int]]:
    counts = Counter(c.licence_text or "(none declared)" for c in components)
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
