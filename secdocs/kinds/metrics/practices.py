"""The practice coverage matrix: secure-development activities against releases, as data (the
page is drawn by :func:`secdocs.kinds.metrics.render.practices_page`).

Each cell is backed by the evidence the collectors classified (linked to the published file) or
marked absent. Reports of other tools dropped into the evidence folder — SARIF from a SAST run,
a penetration-test report, fuzzing or security-test results — are recognised by name and listed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from secdocs.model import EvidenceFile, Kind, ReleaseReport, Status
from secdocs.render.pages import coverage

PRACTICES = "practices.md"


def _name(file: EvidenceFile) -> str:
    return file.name.rsplit("/", 1)[-1].lower()


def is_sarif(file: EvidenceFile) -> bool:
    return _name(file).endswith((".sarif", ".sarif.json"))


def is_pentest(file: EvidenceFile) -> bool:
    name = _name(file)
    return any(m in name for m in ("pentest", "pen-test", "penetration", "pen_test"))


def is_fuzzing(file: EvidenceFile) -> bool:
    return "fuzz" in _name(file)


def is_security_tests(file: EvidenceFile) -> bool:
    name = _name(file)
    return not is_fuzzing(file) and (
        "security-test" in name or "security_test" in name or name.endswith(".junit.xml")
    )


def is_scan(file: EvidenceFile) -> bool:
    return file.role in (Kind.SCAN, Kind.VEX) and not is_sarif(file)


@dataclass(frozen=True, slots=True)
class Activity:
    key: str
    title: str
    #: evidence kinds whose items/files back this activity
    kinds: tuple[str, ...] = ()
    #: evidence files recognised by name
    match: Callable[[EvidenceFile], bool] | None = None
    #: a cell decided from a collector's published data (``None``: nothing to show)
    judge: Callable[[ReleaseReport], Cell | None] | None = None


def _containers(report: ReleaseReport) -> Mapping[str, Any]:
    found = report.findings_of("containers")
    return found.data if found is not None else {}


def hardened_image(report: ReleaseReport) -> Cell | None:
    """Every check of every image passed: verified; a check failed: failed (the image is not
    hardened); only unknowns: unverifiable. Backed by the release's image items."""
    data = _containers(report)
    checks = data.get("checks")
    results: list[Any] = []
    for entry in checks if isinstance(checks, list) else []:
        listed = entry.get("checks") if isinstance(entry, Mapping) else None
        listed = listed if isinstance(listed, list) else []
        results += [c.get("result") for c in listed if isinstance(c, Mapping)]
    if not results:
        return None
    if "fail" in results:
        status = Status.FAILED
    elif "unknown" in results:
        status = Status.UNVERIFIABLE
    else:
        status = Status.VERIFIED
    images = tuple(i.path for i in report.items if i.kind == "image" and i.path)
    return Cell(status, tuple(n for n in images if n in {f.name for f in report.files}), images)


def image_scan(report: ReleaseReport) -> Cell | None:
    """A Trivy scan tied to a release image by digest: verified; a scan of another image:
    unverifiable; a scan naming no digest: present."""
    scans = _containers(report).get("scans")
    entries = [s for s in (scans if isinstance(scans, list) else []) if isinstance(s, Mapping)]
    if not entries:
        return None
    if any(s.get("image") for s in entries):
        status = Status.VERIFIED
    elif any(s.get("warning") for s in entries):
        status = Status.UNVERIFIABLE
    else:
        status = Status.PRESENT
    return Cell(status, tuple(sorted(str(s.get("path")) for s in entries)))


ACTIVITIES: tuple[Activity, ...] = (
    Activity("sbom", "SBOM", (Kind.SBOM,)),
    Activity("signing", "Signing", (Kind.SIGNATURE,)),
    Activity("provenance", "Provenance", (Kind.PROVENANCE,)),
    Activity("threat-model", "Threat-model delta", (Kind.THREAT_MODEL,)),
    Activity("changelog", "Security changelog", (Kind.CHANGELOG,)),
    Activity("sast", "SAST report", match=is_sarif),
    Activity("scan", "Dependency / vulnerability scan", match=is_scan),
    Activity("image-scan", "Image scan", judge=image_scan),
    Activity("hardened-image", "Hardened image", judge=hardened_image),
    Activity("fuzzing", "Fuzzing", match=is_fuzzing),
    Activity("security-tests", "Tests with security proofs", match=is_security_tests),
    Activity("pentest", "Penetration test", match=is_pentest),
    Activity("disclosure", "Disclosure policy"),
)


@dataclass(frozen=True, slots=True)
class Cell:
    status: Status | None
    files: tuple[str, ...]
    #: backing paths that are not evidence files (for example a delta in the tag's tree)
    others: tuple[str, ...] = ()


def cell(report: ReleaseReport, activity: Activity) -> Cell:
    if activity.judge is not None:
        return activity.judge(report) or Cell(None, ())
    files: list[str] = []
    others: list[str] = []
    statuses: list[Status] = []
    names = {f.name for f in report.files}
    for kind in activity.kinds:
        status = coverage(report, kind)
        if status is not None:
            statuses.append(status)
        files += [f.name for f in report.files if f.role == kind]
        for item in report.items:
            if item.kind == kind and item.path and item.path not in names:
                others.append(item.path)
    if activity.match is not None:
        matched = [f.name for f in report.files if activity.match(f)]
        files += matched
        if matched:
            statuses.append(Status.PRESENT)
    status = max(statuses, key=lambda s: s.rank) if statuses else None
    return Cell(status, tuple(sorted(set(files))), tuple(sorted(set(others))))


@dataclass(frozen=True)
class PracticesData:
    """What the practice coverage page is drawn from."""

    #: newest first
    reports: tuple[ReleaseReport, ...]
    #: whether each release's tree carries a SECURITY.md, by tag
    disclosure: Mapping[str, Cell]
    #: a summary of each SARIF log, by (tag, file name)
    sarif: Mapping[tuple[str, str], str]
