"""The cross-check between the SBOM diff and the security changelog, on hand-built reports."""

from __future__ import annotations

from secdocs.kinds.changelog.consistency import inconsistencies
from secdocs.kinds.sbom.export import SbomExport
from secdocs.model import Findings, ReleaseReport

from ..releaserepo import release


def report(*findings: Findings) -> ReleaseReport:
    return ReleaseReport(release("v1.2.0", "1.2.0"), None, (), findings)


def sbom(resolved: list[str] | None) -> Findings:
    export = SbomExport(True, (), tuple(resolved)) if resolved is not None else None
    return Findings("sbom", export=export)


def changelog(entries: list[str], source: str = "changelog") -> Findings:
    return Findings(
        "changelog",
        data={
            "path": "CHANGELOG.md",
            "source": source,
            "security": [{"text": e, "ids": []} for e in entries],
        },
    )


def test_flags_a_silent_changelog_when_vulnerabilities_were_resolved() -> None:
    (problem,) = inconsistencies(report(sbom(["CVE-2026-1", "GHSA-2c8m-q5xf-7hgr"]), changelog([])))
    assert problem.severity == "warning"
    assert problem.path == "CHANGELOG.md"
    assert problem.message == (
        "inconsistent: the SBOM diff of v1.2.0 resolves 2 vulnerabilities "
        "(CVE-2026-1, GHSA-2c8m-q5xf-7hgr) but the changelog says nothing about security"
    )


def test_commit_fallback_is_named() -> None:
    (problem,) = inconsistencies(report(sbom(["CVE-2026-1"]), changelog([], "commits")))
    assert problem.message == (
        "inconsistent: the SBOM diff of v1.2.0 resolves 1 vulnerability (CVE-2026-1) but "
        "neither the changelog nor the commit messages mention security"
    )


def test_many_ids_are_shortened() -> None:
    ids = [f"CVE-2026-{n:04d}" for n in range(12)]
    (problem,) = inconsistencies(report(sbom(ids), changelog([])))
    assert "and 2 more" in problem.message


def test_no_flag_when_consistent_or_unknown() -> None:
    assert inconsistencies(report(sbom(["CVE-2026-1"]), changelog(["fixed CVE-2026-1"]))) == []
    assert inconsistencies(report(sbom([]), changelog([]))) == []
    assert inconsistencies(report(sbom(None), changelog([]))) == []
    assert inconsistencies(report(sbom(["CVE-2026-1"]))) == []  # no changelog collector
    assert inconsistencies(report(changelog([]))) == []
    odd = Findings("sbom", data={"diff": {"vulnerabilities_resolved": "CVE-2026-1"}})
    assert inconsistencies(report(odd, changelog([]))) == []
    garbage = Findings("other", data={"diff": ["not", "a", "mapping"]})
    assert inconsistencies(report(garbage, changelog([]))) == []
