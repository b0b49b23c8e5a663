"""Checks across collectors for one finished release report.

:func:`inconsistencies` runs after every collector: a release whose SBOM diff resolved
vulnerabilities while its security changelog says nothing about security is flagged.
"""

from __future__ import annotations

from collections.abc import Mapping

from secdocs.model import Problem, ReleaseReport

CHANGELOG = "changelog"


def inconsistencies(report: ReleaseReport) -> list[Problem]:
    """Problems found by relating one release's findings to each other (never raises)."""
    resolved = sorted(_resolved_vulnerabilities(report))
    if not resolved:
        return []
    changelog = report.findings_of(CHANGELOG)
    if changelog is None:
        return []
    data = changelog.data
    entries = data.get("security")
    if isinstance(entries, list | tuple) and entries:
        return []
    path = data.get("path")
    shown = ", ".join(resolved[:10]) + (
        f" and {len(resolved) - 10} more" if len(resolved) > 10 else ""
    )
    if data.get("source") == "changelog":
        silent = "the changelog says nothing about security"
    else:
        silent = "neither the changelog nor the commit messages mention security"
    return [
        Problem(
            f"inconsistent: the SBOM diff of {report.release.tag} resolves "
            f"{len(resolved)} vulnerabilit{'y' if len(resolved) == 1 else 'ies'} ({shown}) "
            f"but {silent}",
            path=path if isinstance(path, str) else None,
            severity="warning",
        )
    ]


def _resolved_vulnerabilities(report: ReleaseReport) -> set[str]:
    found: set[str] = set()
    for findings in report.findings:
        diff = findings.data.get("diff") if isinstance(findings.data, Mapping) else None
        if not isinstance(diff, Mapping):
            continue
        ids = diff.get("vulnerabilities_resolved")
        if isinstance(ids, list | tuple):
            found.update(str(i) for i in ids if isinstance(i, str | int) and str(i))
    return found
