"""Releases and reports built directly, for figures worked out by hand in the tests."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from secdocs.config import Config, from_mapping
from secdocs.kinds.sbom.export import SbomExport, VulnerabilityRef
from secdocs.model import (
    Assurance,
    EvidenceFile,
    EvidenceItem,
    Findings,
    Release,
    ReleaseReport,
    Status,
)


def when(day: str) -> datetime:
    return datetime.combine(date.fromisoformat(day), datetime.min.time(), UTC)


def release(tag: str, day: str, prerelease: bool = False) -> Release:
    return Release(
        tag=tag,
        version=tag.lstrip("v").replace("-rc.", "rc"),
        commit="0" * 40,
        date=when(day),
        annotated=True,
        prerelease=prerelease,
    )


#: what a verified item of each kind establishes, as the collectors say it
ASSURANCE = {
    "signature": Assurance.AUTHENTICITY,
    "provenance": Assurance.AUTHENTICITY,
    "tag-signature": Assurance.AUTHENTICITY,
    "checksums": Assurance.INTEGRITY,
    "checksum": Assurance.INTEGRITY,
}


def item(kind: str, path: str, status: Status, assurance: Assurance | None = None) -> EvidenceItem:
    reason = None if status in (Status.VERIFIED, Status.PRESENT) else f"{status} for a test"
    if status is Status.VERIFIED and assurance is None:
        assurance = ASSURANCE.get(kind, Assurance.VALIDITY)
    return EvidenceItem(
        kind=kind, path=path, status=status, reason=reason, collector="test", assurance=assurance
    )


def report(
    rel: Release,
    items: Sequence[EvidenceItem] = (),
    files: Sequence[EvidenceFile] = (),
    vulnerabilities: Sequence[Any] | None = None,
    documents: Sequence[Any] | None = None,
) -> ReleaseReport:
    findings = [Findings("test", items=tuple(items))]
    if vulnerabilities is not None:
        refs = tuple(
            VulnerabilityRef(
                v["id"], v["severity"], v.get("state") or "", v.get("open", True) is not False
            )
            for v in vulnerabilities
        )
        has_data = documents is None or bool(documents)
        findings.append(Findings("sbom", export=SbomExport(has_data, refs)))
    return ReleaseReport(rel, f"evidence/{rel.tag}", tuple(files), tuple(findings))


def evidence(name: str, role: str) -> EvidenceFile:
    return EvidenceFile(name=name, size=1, sha256="0" * 64, role=role)


def config(repo: Path, security: Mapping[str, Any] | None = None, **core: Any) -> Config:
    sections = {"security": dict(security)} if security is not None else {}
    return from_mapping({**sections, **core}, repo)


POLICY: dict[str, Any] = {
    "project": "widget",
    "site_url": "https://acme.example/widget/",
    "contacts": ["security@acme.example", "https://github.com/acme/widget/security/advisories/new"],
    "encryption": "https://acme.example/widget/key.asc",
    "preferred_languages": ["en", "fr"],
    "acknowledgments": "https://acme.example/widget/thanks/",
    "expires_days": 200,
    "disclosure": {
        "acknowledge_days": 2,
        "triage_days": 7,
        "fix_days": {"critical": 7, "high": 30},
        "embargo_days": 90,
        "credit": "We credit reporters.",
    },
    "support": {"majors": 2, "minors": 1, "end_of_life": {"1": "2026-03-01"}},
    "insights": {
        "repository_url": "https://github.com/acme/widget",
        "administrators": [{"name": "Ada", "email": "ada@acme.example", "affiliation": "Acme"}],
        "license_url": "https://github.com/acme/widget/blob/main/LICENSE",
        "license_expression": "Apache-2.0",
    },
}
