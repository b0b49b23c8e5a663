"""Trivy's reports: JSON (image, filesystem, repository and misconfiguration scans; Kubernetes
reports and summaries), SARIF and CycloneDX.

Vulnerabilities become :class:`~secdocs.sbom.model.Vulnerability` records (so they join the
release's vulnerability view and VEX applies to them as to Grype and OSV-Scanner findings);
misconfigurations keep Trivy's id, title and severity. Every count shown is the number of entries
in the report (a failed misconfiguration check is one entry; passed checks are not findings).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import msgspec

from secdocs.errors import EvidenceError
from secdocs.kinds.containers.layout import image_config
from secdocs.kinds.containers.model import REFERENCE_RE, Misconfiguration, Scan, is_digest
from secdocs.safety import load_json
from secdocs.sbom.model import Vulnerability, normalise_severity, severity_from_score
from secdocs.sbom.readers import _decode, read_cyclonedx_json

MAX_FINDINGS = 200_000
TRIVY_PROPERTY = "aquasecurity:trivy:"
_SARIF_PACKAGE = re.compile(r"^Package: (?P<name>.+)$", re.MULTILINE)
_SARIF_VERSION = re.compile(r"^Installed Version: (?P<version>.+)$", re.MULTILINE)
_SARIF_FIXED = re.compile(r"^Fixed Version: (?P<version>.+)$", re.MULTILINE)
_SARIF_SEVERITY = re.compile(r"^Severity: (?P<severity>[A-Z]+)$", re.MULTILINE)


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


class _TMisconf(msgspec.Struct, gc=False):
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
    Misconfigurations: list[_TMisconf] | None = None


class _TMetadata(msgspec.Struct, gc=False):
    ImageID: str = ""
    RepoDigests: list[str] | None = None
    RepoTags: list[str] | None = None
    ImageConfig: dict[str, Any] | None = None


class _TResource(msgspec.Struct, gc=False):
    Namespace: str = ""
    Kind: str = ""
    Name: str = ""
    Results: list[_TResult] | None = None


class _TReport(msgspec.Struct, gc=False):
    SchemaVersion: int | None = None
    ArtifactName: str = ""
    ArtifactType: str = ""
    Metadata: _TMetadata | None = None
    Results: list[_TResult] | None = None
    # Kubernetes reports
    ClusterName: str = ""
    Resources: list[_TResource] | None = None
    Vulnerabilities: list[_TResource] | None = None
    Misconfigurations: list[_TResource] | None = None


class _IdSummary(msgspec.Struct, gc=False, forbid_unknown_fields=True):
    """Trivy's Kubernetes summary of finding ids (``--report summary`` with ids)."""

    vulnerabilities: list[str] = []
    misconfigurations: list[str] = []


def _vuln(v: _TVuln, path: str, target: str) -> Vulnerability:
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


def _misconf(m: _TMisconf, target: str) -> Misconfiguration:
    return Misconfiguration(
        id=m.ID or m.AVDID,
        title=m.Title,
        severity=normalise_severity(m.Severity),
        target=target,
        message=m.Message,
        resolution=m.Resolution,
    )


def _results(
    results: list[_TResult] | None, path: str, prefix: str = ""
) -> tuple[list[Vulnerability], list[Misconfiguration]]:
    vulns: list[Vulnerability] = []
    misconfs: list[Misconfiguration] = []
    for result in results or []:
        target = f"{prefix}{result.Target}"
        vulns += [_vuln(v, path, target) for v in result.Vulnerabilities or []]
        misconfs += [
            _misconf(m, target) for m in result.Misconfigurations or [] if m.Status != "PASS"
        ]
    if len(vulns) + len(misconfs) > MAX_FINDINGS:
        raise EvidenceError(path, f"more than {MAX_FINDINGS} findings")
    return vulns, misconfs


def read_trivy_json(data: bytes, path: str) -> Scan:
    value = load_json(data, path)
    if isinstance(value, Mapping) and set(value) <= {"vulnerabilities", "misconfigurations"}:
        summary = _decode(msgspec.json.Decoder(_IdSummary), data, path, "Trivy summary")
        return Scan(
            path,
            "trivy-k8s-summary",
            artifact_type="kubernetes",
            vulnerabilities=tuple(
                Vulnerability(id=i, source="Trivy", origin=path) for i in summary.vulnerabilities
            ),
            misconfigurations=tuple(
                Misconfiguration(i, "", "unknown", "") for i in summary.misconfigurations
            ),
        )
    report = _decode(msgspec.json.Decoder(_TReport), data, path, "Trivy JSON report")
    if report.SchemaVersion is None and not report.ClusterName:
        raise EvidenceError(path, "not a Trivy JSON report (no SchemaVersion or ClusterName)")
    vulns, misconfs = _results(report.Results, path)
    for group in (report.Resources, report.Vulnerabilities, report.Misconfigurations):
        for resource in group or []:
            where = f"{resource.Namespace}/{resource.Kind}/{resource.Name}: "
            more_v, more_m = _results(resource.Results, path, where)
            vulns += more_v
            misconfs += more_m
    meta = report.Metadata or _TMetadata()
    digests = tuple(
        m.group("digest")
        for ref in meta.RepoDigests or []
        if (m := REFERENCE_RE.match(ref)) is not None
    )
    return Scan(
        path=path,
        format="trivy-json",
        artifact=report.ArtifactName or report.ClusterName,
        artifact_type=report.ArtifactType or ("kubernetes" if report.ClusterName else ""),
        repo_digests=digests,
        image_id=meta.ImageID if is_digest(meta.ImageID) else None,
        vulnerabilities=tuple(vulns),
        misconfigurations=tuple(misconfs),
        config=image_config(meta.ImageConfig) if meta.ImageConfig else None,
    )


# --- SARIF ---------------------------------------------------------------------------------


def read_trivy_sarif(data: bytes, path: str) -> Scan:
    doc = load_json(data, path)
    runs = doc.get("runs") if isinstance(doc, Mapping) else None
    if not isinstance(runs, list):
        raise EvidenceError(path, "not a SARIF log (no runs)")
    vulns: list[Vulnerability] = []
    misconfs: list[Misconfiguration] = []
    image_id: str | None = None
    digests: list[str] = []
    artifact = ""
    for run in runs:
        if not isinstance(run, Mapping):
            raise EvidenceError(path, "a SARIF run is not an object")
        driver = _get(run, "tool", "driver")
        if str(driver.get("name", "")).lower() != "trivy":
            raise EvidenceError(path, "a SARIF run not written by Trivy")
        rules = {str(r.get("id")): r for r in _items(driver.get("rules")) if isinstance(r, Mapping)}
        props = run.get("properties")
        if isinstance(props, Mapping):
            found = props.get("imageID")
            image_id = found if is_digest(found) else image_id
            artifact = str(props.get("imageName") or artifact)
            for ref in _items(props.get("repoDigests")):
                match = REFERENCE_RE.match(str(ref))
                if match:
                    digests.append(match.group("digest"))
        for result in _items(run.get("results")):
            if not isinstance(result, Mapping):
                raise EvidenceError(path, "a SARIF result is not an object")
            rule_id = str(result.get("ruleId") or "")
            rule = rules.get(rule_id, {})
            text = str(_get(result, "message").get("text") or "")
            severity = _sarif_severity(rule, text)
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
                        detail=str(_get(rule, "shortDescription").get("text") or ""),
                        origin=path,
                    )
                )
            else:
                misconfs.append(
                    Misconfiguration(
                        id=rule_id,
                        title=str(_get(rule, "shortDescription").get("text") or ""),
                        severity=severity,
                        target=_location(result),
                        message=text,
                    )
                )
            if len(vulns) + len(misconfs) > MAX_FINDINGS:
                raise EvidenceError(path, f"more than {MAX_FINDINGS} findings")
    return Scan(
        path=path,
        format="trivy-sarif",
        artifact=artifact,
        artifact_type="container_image" if image_id else "",
        repo_digests=tuple(digests),
        image_id=image_id,
        vulnerabilities=tuple(vulns),
        misconfigurations=tuple(misconfs),
    )


def _sarif_package(package: re.Match[str], version: re.Match[str] | None) -> str:
    return f"{package.group('name')}@{version.group('version') if version else ''}"


def _items(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


def _get(value: Mapping[str, Any], *keys: str) -> Mapping[str, Any]:
    for key in keys:
        found = value.get(key)
        value = found if isinstance(found, Mapping) else {}
    return value


def _sarif_severity(rule: Mapping[str, Any], text: str) -> str:
    props = _get(rule, "properties")
    for tag in _items(props.get("tags")):
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
        return str(_get(locations[0], "physicalLocation", "artifactLocation").get("uri") or "")
    return ""


# --- CycloneDX -----------------------------------------------------------------------------


def is_trivy_cyclonedx(data: bytes) -> bool:
    return b'"bomFormat"' in data[:4096] and TRIVY_PROPERTY.encode() in data


def read_trivy_cyclonedx(data: bytes, path: str) -> Scan:
    sbom = read_cyclonedx_json(data, path)
    doc = load_json(data, path)
    props = (
        _get(doc, "metadata", "component").get("properties") if isinstance(doc, Mapping) else None
    )
    image_id: str | None = None
    digests: list[str] = []
    for prop in props if isinstance(props, list) else []:
        if not isinstance(prop, Mapping):
            continue
        name, value = prop.get("name"), prop.get("value")
        if name == f"{TRIVY_PROPERTY}ImageID" and is_digest(value):
            image_id = str(value)
        elif name == f"{TRIVY_PROPERTY}RepoDigest":
            match = REFERENCE_RE.match(str(value))
            if match:
                digests.append(match.group("digest"))
    return Scan(
        path=path,
        format="trivy-cyclonedx",
        artifact=sbom.subject.name if sbom.subject else "",
        artifact_type="container_image" if image_id else "",
        repo_digests=tuple(digests),
        image_id=image_id,
        vulnerabilities=sbom.vulnerabilities,
    )


def read_scan(data: bytes, path: str) -> Scan:
    """A Trivy report in any of its formats, recognised by content."""
    head = data[:4096]
    if is_trivy_cyclonedx(data):
        return read_trivy_cyclonedx(data, path)
    if b'"runs"' in data and b"sarif" in head.lower():
        return read_trivy_sarif(data, path)
    return read_trivy_json(data, path)
