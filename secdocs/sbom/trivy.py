"""Trivy's reports read as vulnerability sources: JSON (image, filesystem, repository and
misconfiguration scans; Kubernetes reports and summaries), SARIF and CycloneDX.

Vulnerabilities become :class:`~secdocs.sbom.model.Vulnerability` records, so they join a
release's vulnerability view and VEX applies to them as to Grype and OSV-Scanner findings. What
else a report holds — failed misconfiguration checks, the scanned image's metadata — is handed
on as Trivy wrote it (:class:`TrivyJson`, :class:`TrivySarif`) for the ``containers`` kind to
show. Every count is the number of entries in the report (a failed misconfiguration check is one
entry; passed checks are not findings), and a report with more than :data:`MAX_FINDINGS` entries
is refused.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

import msgspec

from secdocs.errors import EvidenceError
from secdocs.safety import load_json
from secdocs.sbom.model import Vulnerability, normalise_severity, severity_from_score
from secdocs.sbom.readers import _decode, read_cyclonedx_json

MAX_FINDINGS = 200_000
TRIVY_PROPERTY = "aquasecurity:trivy:"
_SARIF_PACKAGE = re.compile(r"^Package: (?P<name>.+)$", re.MULTILINE)
_SARIF_VERSION = re.compile(r"^Installed Version: (?P<version>.+)$", re.MULTILINE)
_SARIF_FIXED = re.compile(r"^Fixed Version: (?P<version>.+)$", re.MULTILINE)
_SARIF_SEVERITY = re.compile(r"^Severity: (?P<severity>[A-Z]+)$", re.MULTILINE)


def report_format(data: bytes) -> Literal["cyclonedx", "sarif", "json"]:
    """Which of Trivy's formats ``data`` is, recognised by content."""
    if is_trivy_cyclonedx(data):
        return "cyclonedx"
    if b'"runs"' in data and b"sarif" in data[:4096].lower():
        return "sarif"
    return "json"


def read_vulnerabilities(data: bytes, path: str) -> tuple[Vulnerability, ...]:
    """The vulnerabilities of a Trivy report in any of its formats."""
    fmt = report_format(data)
    if fmt == "cyclonedx":
        return read_cyclonedx_json(data, path).vulnerabilities
    if fmt == "sarif":
        return read_sarif(data, path).vulnerabilities
    return read_json(data, path).vulnerabilities


# --- JSON ----------------------------------------------------------------------------------


class _PkgIdentifier(msgspec.Struct, gc=False):
    PURL: str = ""


class _TVuln(msgspec.Struct, gc=False):
    VulnerabilityID: str
    PkgName: str = ""
    InstalledVersion: str = ""
    FixedVersion: str = ""
    Severity: str = ""
    Title: str = ""
    PkgIdentifier: _PkgIdentifier | None = None


class JsonMisconfiguration(msgspec.Struct, gc=False):
    """One misconfiguration check of a Trivy JSON report, as Trivy wrote it."""

    ID: str = ""
    AVDID: str = ""
    Title: str = ""
    Message: str = ""
    Resolution: str = ""
    Severity: str = ""
    Status: str = "FAIL"


class _TResult(msgspec.Struct, gc=False):
    Target: str = ""
    Class: str = ""
    Type: str = ""
    Vulnerabilities: list[_TVuln] | None = None
    Misconfigurations: list[JsonMisconfiguration] | None = None


class JsonMetadata(msgspec.Struct, gc=False):
    """The scanned image's metadata in a Trivy JSON report."""

    ImageID: str = ""
    RepoDigests: list[str] | None = None
    RepoTags: list[str] | None = None
    ImageConfig: dict[str, Any] | None = None


class _TResource(msgspec.Struct, gc=False):
    Namespace: str = ""
    Kind: str = ""
    Name: str = ""
    Results: list[_TResult] | None = None


class JsonReport(msgspec.Struct, gc=False):
    """A Trivy JSON report's header (what was scanned)."""

    SchemaVersion: int | None = None
    ArtifactName: str = ""
    ArtifactType: str = ""
    Metadata: JsonMetadata | None = None
    Results: list[_TResult] | None = None
    # Kubernetes reports
    ClusterName: str = ""
    Resources: list[_TResource] | None = None
    Vulnerabilities: list[_TResource] | None = None
    Misconfigurations: list[_TResource] | None = None


class IdSummary(msgspec.Struct, gc=False, forbid_unknown_fields=True):
    """Trivy's Kubernetes summary of finding ids (``--report summary`` with ids)."""

    vulnerabilities: list[str] = []
    misconfigurations: list[str] = []


@dataclass(frozen=True, slots=True)
class TrivyJson:
    """A Trivy JSON report read: its vulnerabilities, its failed misconfiguration checks as
    ``(target, check)`` pairs, and its header — or, for a Kubernetes id summary, the summary."""

    vulnerabilities: tuple[Vulnerability, ...]
    failed_checks: tuple[tuple[str, JsonMisconfiguration], ...] = ()
    report: JsonReport | None = None
    summary: IdSummary | None = None


def _vuln(v: _TVuln, path: str) -> Vulnerability:
    purl = v.PkgIdentifier.PURL if v.PkgIdentifier else ""
    return Vulnerability(
        id=v.VulnerabilityID,
        source="Trivy",
        severity=normalise_severity(v.Severity),
        affects=(purl or f"{v.PkgName}@{v.InstalledVersion}",),
        fixed_in=tuple(x.strip() for x in v.FixedVersion.split(",") if x.strip()),
        detail=v.Title,
        origin=path,
    )


def _results(
    results: list[_TResult] | None, path: str, prefix: str = ""
) -> tuple[list[Vulnerability], list[tuple[str, JsonMisconfiguration]]]:
    vulns: list[Vulnerability] = []
    checks: list[tuple[str, JsonMisconfiguration]] = []
    for result in results or []:
        target = f"{prefix}{result.Target}"
        vulns += [_vuln(v, path) for v in result.Vulnerabilities or []]
        checks += [(target, m) for m in result.Misconfigurations or [] if m.Status != "PASS"]
    if len(vulns) + len(checks) > MAX_FINDINGS:
        raise EvidenceError(path, f"more than {MAX_FINDINGS} findings")
    return vulns, checks


def read_json(data: bytes, path: str) -> TrivyJson:
    value = load_json(data, path)
    if isinstance(value, Mapping) and set(value) <= {"vulnerabilities", "misconfigurations"}:
        summary = _decode(msgspec.json.Decoder(IdSummary), data, path, "Trivy summary")
        return TrivyJson(
            vulnerabilities=tuple(
                Vulnerability(id=i, source="Trivy", origin=path) for i in summary.vulnerabilities
            ),
            summary=summary,
        )
    report = _decode(msgspec.json.Decoder(JsonReport), data, path, "Trivy JSON report")
    if report.SchemaVersion is None and not report.ClusterName:
        raise EvidenceError(path, "not a Trivy JSON report (no SchemaVersion or ClusterName)")
    vulns, checks = _results(report.Results, path)
    for group in (report.Resources, report.Vulnerabilities, report.Misconfigurations):
        for resource in group or []:
            where = f"{resource.Namespace}/{resource.Kind}/{resource.Name}: "
            more_v, more_c = _results(resource.Results, path, where)
            vulns += more_v
            checks += more_c
    return TrivyJson(tuple(vulns), tuple(checks), report)


# --- SARIF ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SarifFinding:
    """A result of a Trivy SARIF log that is not a vulnerability (a misconfiguration, a secret)."""

    rule_id: str
    title: str
    severity: str
    location: str
    message: str


@dataclass(frozen=True, slots=True)
class TrivySarif:
    """A Trivy SARIF log read: its vulnerabilities, its other results, and each run's
    ``properties`` object (where Trivy names the scanned image)."""

    vulnerabilities: tuple[Vulnerability, ...]
    others: tuple[SarifFinding, ...]
    run_properties: tuple[Mapping[str, Any], ...]


def read_sarif(data: bytes, path: str) -> TrivySarif:
    doc = load_json(data, path)
    runs = doc.get("runs") if isinstance(doc, Mapping) else None
    if not isinstance(runs, list):
        raise EvidenceError(path, "not a SARIF log (no runs)")
    vulns: list[Vulnerability] = []
    others: list[SarifFinding] = []
    properties: list[Mapping[str, Any]] = []
    for run in runs:
        if not isinstance(run, Mapping):
            raise EvidenceError(path, "a SARIF run is not an object")
        driver = get(run, "tool", "driver")
        if str(driver.get("name", "")).lower() != "trivy":
            raise EvidenceError(path, "a SARIF run not written by Trivy")
        rules = {str(r.get("id")): r for r in items(driver.get("rules")) if isinstance(r, Mapping)}
        props = run.get("properties")
        if isinstance(props, Mapping):
            properties.append(props)
        for result in items(run.get("results")):
            if not isinstance(result, Mapping):
                raise EvidenceError(path, "a SARIF result is not an object")
            rule_id = str(result.get("ruleId") or "")
            rule = rules.get(rule_id, {})
            text = str(get(result, "message").get("text") or "")
            severity = _sarif_severity(rule, text)
            title = str(get(rule, "shortDescription").get("text") or "")
            if str(rule.get("name", "")).endswith("Vulnerability"):
                package = _SARIF_PACKAGE.search(text)
                version = _SARIF_VERSION.search(text)
                fixed = _SARIF_FIXED.search(text)
                vulns.append(
                    Vulnerability(
                        id=rule_id,
                        source="Trivy",
                        severity=severity,
                        affects=(_sarif_package(package, version),) if package else (),
                        fixed_in=(fixed.group("version"),) if fixed else (),
                        detail=title,
                        origin=path,
                    )
                )
            else:
                others.append(SarifFinding(rule_id, title, severity, _location(result), text))
            if len(vulns) + len(others) > MAX_FINDINGS:
                raise EvidenceError(path, f"more than {MAX_FINDINGS} findings")
    return TrivySarif(tuple(vulns), tuple(others), tuple(properties))


def _sarif_package(package: re.Match[str], version: re.Match[str] | None) -> str:
    return f"{package.group('name')}@{version.group('version') if version else ''}"


def items(value: object) -> list[Any]:
    """``value`` if it is a JSON array, else an empty list."""
    return value if isinstance(value, list) else []


def get(value: Mapping[str, Any], *keys: str) -> Mapping[str, Any]:
    """The object at ``keys`` under ``value``; an empty one where a key is missing or not an
    object."""
    for key in keys:
        found = value.get(key)
        value = found if isinstance(found, Mapping) else {}
    return value


def _sarif_severity(rule: Mapping[str, Any], text: str) -> str:
    props = get(rule, "properties")
    for tag in items(props.get("tags")):
        severity = normalise_severity(str(tag))
        if severity != "unknown":
            return severity
    match = _SARIF_SEVERITY.search(text)
    if match:
        return normalise_severity(match.group("severity"))
    try:
        return severity_from_score(float(str(props.get("security-severity"))))
    except ValueError:
        return "unknown"


def _location(result: Mapping[str, Any]) -> str:
    locations = result.get("locations")
    if isinstance(locations, list) and locations and isinstance(locations[0], Mapping):
        return str(get(locations[0], "physicalLocation", "artifactLocation").get("uri") or "")
    return ""


# --- CycloneDX -----------------------------------------------------------------------------


def is_trivy_cyclonedx(data: bytes) -> bool:
    return b'"bomFormat"' in data[:4096] and TRIVY_PROPERTY.encode() in data
