"""The containers kind's view of Trivy's reports: the shared reader
(:mod:`secdocs.sbom.trivy`) yields the vulnerabilities; this adds what only this kind shows —
failed misconfiguration checks (Trivy's id, title and severity) and the scanned image's metadata
(image id, repository digests, image configuration) that ties a report to an image.
"""

from __future__ import annotations

from collections.abc import Mapping

from secdocs.kinds.containers.layout import image_config
from secdocs.kinds.containers.model import REFERENCE_RE, Misconfiguration, Scan, is_digest
from secdocs.safety import load_json
from secdocs.sbom import trivy
from secdocs.sbom.model import normalise_severity
from secdocs.sbom.readers import read_cyclonedx_json

# --- JSON ----------------------------------------------------------------------------------


def _misconf(m: trivy.JsonMisconfiguration, target: str) -> Misconfiguration:
    return Misconfiguration(
        id=m.ID or m.AVDID,
        title=m.Title,
        severity=normalise_severity(m.Severity),
        target=target,
        message=m.Message,
        resolution=m.Resolution,
    )


def read_trivy_json(data: bytes, path: str) -> Scan:
    read = trivy.read_json(data, path)
    if read.summary is not None:
        return Scan(
            path,
            "trivy-k8s-summary",
            artifact_type="kubernetes",
            vulnerabilities=read.vulnerabilities,
            misconfigurations=tuple(
                Misconfiguration(i, "", "unknown", "") for i in read.summary.misconfigurations
            ),
        )
    report = read.report or trivy.JsonReport()
    meta = report.Metadata or trivy.JsonMetadata()
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
        vulnerabilities=read.vulnerabilities,
        misconfigurations=tuple(_misconf(m, target) for target, m in read.failed_checks),
        config=image_config(meta.ImageConfig) if meta.ImageConfig else None,
    )


# --- SARIF ---------------------------------------------------------------------------------


def read_trivy_sarif(data: bytes, path: str) -> Scan:
    read = trivy.read_sarif(data, path)
    image_id: str | None = None
    digests: list[str] = []
    artifact = ""
    for props in read.run_properties:
        found = props.get("imageID")
        image_id = found if is_digest(found) else image_id
        artifact = str(props.get("imageName") or artifact)
        for ref in trivy.items(props.get("repoDigests")):
            match = REFERENCE_RE.match(str(ref))
            if match:
                digests.append(match.group("digest"))
    return Scan(
        path=path,
        format="trivy-sarif",
        artifact=artifact,
        artifact_type="container_image" if image_id else "",
        repo_digests=tuple(digests),
        image_id=image_id,
        vulnerabilities=read.vulnerabilities,
        misconfigurations=tuple(
            Misconfiguration(
                id=f.rule_id,
                title=f.title,
                severity=f.severity,
                target=f.location,
                message=f.message,
            )
            for f in read.others
        ),
    )


# --- CycloneDX -----------------------------------------------------------------------------


def read_trivy_cyclonedx(data: bytes, path: str) -> Scan:
    sbom = read_cyclonedx_json(data, path)
    doc = load_json(data, path)
    props = (
        trivy.get(doc, "metadata", "component").get("properties")
        if isinstance(doc, Mapping)
        else None
    )
    image_id: str | None = None
    digests: list[str] = []
    for prop in props if isinstance(props, list) else []:
        if not isinstance(prop, Mapping):
            continue
        name, value = prop.get("name"), prop.get("value")
        if name == f"{trivy.TRIVY_PROPERTY}ImageID" and is_digest(value):
            image_id = str(value)
        elif name == f"{trivy.TRIVY_PROPERTY}RepoDigest":
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
    fmt = trivy.report_format(data)
    if fmt == "cyclonedx":
        return read_trivy_cyclonedx(data, path)
    if fmt == "sarif":
        return read_trivy_sarif(data, path)
    return read_trivy_json(data, path)
