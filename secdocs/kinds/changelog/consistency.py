"""Checks across collectors for one finished release report.

:func:`inconsistencies` is the changelog kind's cross-check, run after every kind: a release
whose SBOM diff (the SBOM kind's typed export) resolved vulnerabilities while its security
changelog says nothing about security is flagged.
"""

from __future__ import annotations

from secdocs.kinds.sbom.export import sbom_export
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
    export = sbom_export(report)
    return {i for i in export.resolved if i} if export is not None else set()
