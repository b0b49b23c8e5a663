"""The containers collector end to end: real repositories, corpus layouts, scans and bundles."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema_rs
import pytest

from secdocs.errors import ConfigError
from secdocs.kinds.containers.model import ContainersDetail
from secdocs.kinds.sbom.collect import SbomCollector
from secdocs.model import Kind, Status
from secdocs.render.json import schema
from secdocs.roles import classify

from .helpers import Project, corpus_layout, make_layout, prefixed, tar_of

BUNDLE = "cosign/oci-attestation.sigstore.json"
BUNDLE_SIGNER = {"identity": "cody@soyland.com", "issuer": "https://github.com/login/oauth"}


def bundle_subject(corpus: Path) -> tuple[str, str]:
    """(name, sha256:…) of the bundle's DSSE subject, read from the file itself."""
    import base64

    doc = json.loads((corpus / BUNDLE).read_text())
    statement = json.loads(base64.b64decode(doc["dsseEnvelope"]["payload"]))
    subject = statement["subject"][0]
    return subject["name"], "sha256:" + subject["digest"]["sha256"]


@pytest.mark.corpus
def test_corpus_layouts_scans_and_attestation(corpus_dir: Path, tmp_path: Path) -> None:
    name, digest = bundle_subject(corpus_dir)
    files = {
        **corpus_layout(corpus_dir, "test_image_tag.oci", "images/app.oci"),
        **corpus_layout(corpus_dir, "test_bad_index_json.oci", "broken.oci"),
        "images.txt": f"# images of this release\n{name}@{digest}\nlatest-tag-only:1.0\n".encode(),
        "repo.image.sigstore.json": (corpus_dir / BUNDLE).read_bytes(),
        "trivy-image.json": (corpus_dir / "trivy/image-alpine-3.9.json").read_bytes(),
        "trivy-config.json": (corpus_dir / "trivy/config-dockerfile.json").read_bytes(),
    }
    project = Project(tmp_path / "repo", {"v1.0.0": files}, {"signer": BUNDLE_SIGNER})
    ctx = project.ctx("v1.0.0")
    assert {f.role for f in ctx.files if f.name.startswith("images/app.oci/")} == {"image"}
    found = project.collect("v1.0.0")
    items = {(i.kind, i.path): i for i in found.items}
    assert items[("image", "images/app.oci")].status is Status.VERIFIED
    broken = items[("image", "broken.oci")]
    assert broken.status is Status.FAILED and "index.json is not valid JSON" in (
        broken.reason or ""
    )
    assert items[("image", name)].status is Status.PRESENT
    signature = items[("image-signature", "repo.image.sigstore.json")]
    assert signature.status is Status.VERIFIED, signature.reason
    assert signature.details["digest"] == digest
    assert signature.signer is not None and signature.signer.identity == BUNDLE_SIGNER["identity"]
    problems = {(p.path, p.line): p.message for p in found.problems}
    assert "not an image reference" in problems[("images.txt", 3)]
    # the image scan names another image than the release's: a warning naming both digests
    warning = problems[("trivy-image.json", None)]
    assert "sha256:055936d3" in warning and "images/app.oci" in warning
    # the files collector's view: blobs of a layout are not unsigned release artifacts
    assert not [f for f in ctx.files if f.role == Kind.ARTIFACT]

    data = found.data
    defs = schema()["$defs"]
    jsonschema_rs.validator_for({"$defs": defs, "$ref": "#/$defs/containers"}).validate(data)
    scans = {s["path"]: s for s in data["scans"]}  # type: ignore[union-attr]
    assert scans["trivy-config.json"]["misconfigurations"] == 1
    assert scans["trivy-image.json"]["vulnerabilities"] == 6
    assert data["totals"] == {  # type: ignore[comparison-overlap]
        "vulnerabilities": {"critical": 2, "medium": 4},
        "misconfigurations": {"high": 1},
    }
    checks = {c["image"]: c["checks"] for c in data["checks"]}  # type: ignore[union-attr]
    root = {c["name"]: c for c in checks["images/app.oci"]}["runs as non-root"]
    assert root["result"] == "fail" and "runs as root" in root["reason"]

    html = "".join(s.body for s in project.collector.render(found, project.page("v1.0.0")))
    assert "Hardened-image checks" in html and "Misconfigurations" in html
    assert "DS-0002" in html or "DS&#45;0002" in html


@pytest.mark.corpus
def test_attestation_fails_against_another_digest(corpus_dir: Path, tmp_path: Path) -> None:
    name, _digest = bundle_subject(corpus_dir)
    other = "sha256:" + "0" * 64
    files = {
        "images.txt": f"{name}@{other}\n".encode(),
        "repo.image.sigstore.json": (corpus_dir / BUNDLE).read_bytes(),
    }
    project = Project(tmp_path / "repo", {"v1.0.0": files}, {"signer": BUNDLE_SIGNER})
    signature = next(i for i in project.collect("v1.0.0").items if i.kind == "image-signature")
    assert signature.status is Status.FAILED
    assert signature.reason is not None and "no image of this release" in signature.reason


@pytest.mark.corpus
def test_attestation_paired_with_a_layout_names_both_digests(
    corpus_dir: Path, tmp_path: Path
) -> None:
    _, digest = bundle_subject(corpus_dir)
    files = {
        **corpus_layout(corpus_dir, "test.oci", "app.oci"),
        "app.oci.sigstore.json": (corpus_dir / BUNDLE).read_bytes(),
    }
    project = Project(tmp_path / "repo", {"v1.0.0": files}, {"signer": BUNDLE_SIGNER})
    signature = next(i for i in project.collect("v1.0.0").items if i.kind == "image-signature")
    assert signature.status is Status.FAILED
    layout_digest = json.loads((corpus_dir / "oci-layout/test.oci/index.json").read_text())[
        "manifests"
    ][0]["digest"]
    assert digest in (signature.reason or "") and layout_digest in (signature.reason or "")


@pytest.mark.corpus
def test_without_signer_the_attestation_is_unverifiable(corpus_dir: Path, tmp_path: Path) -> None:
    name, digest = bundle_subject(corpus_dir)
    files = {
        "images.txt": f"{name}@{digest}\n".encode(),
        "repo.image.sigstore.json": (corpus_dir / BUNDLE).read_bytes(),
    }
    project = Project(tmp_path / "repo", {"v1.0.0": files})
    signature = next(i for i in project.collect("v1.0.0").items if i.kind == "image-signature")
    assert signature.status is Status.UNVERIFIABLE
    assert "no signer identity is configured" in (signature.reason or "")


def test_tar_layout_and_matching_scan(tmp_path: Path) -> None:
    config = {
        "created": "2024-12-01T00:00:00Z",
        "os": "linux",
        "architecture": "arm64",
        "config": {"User": "app"},
        "history": [{"created": "2020-01-01T00:00:00Z"}, {"created": "2024-12-01T00:00:00Z"}],
    }
    layout, digest = make_layout(
        config,
        annotations={
            "org.opencontainers.image.base.name": "docker.io/library/debian:12",
            "org.opencontainers.image.base.digest": "sha256:" + "e" * 64,
        },
    )
    scan = {
        "SchemaVersion": 2,
        "ArtifactName": "app",
        "ArtifactType": "container_image",
        "Metadata": {"RepoDigests": [f"ghcr.io/acme/app@{digest}"]},
        "Results": [],
    }
    files = {"app.oci.tar": tar_of(layout), "app.trivy.json": json.dumps(scan).encode()}
    project = Project(
        tmp_path / "repo", {"v1.0.0": files}, {"containers": {"max_base_age_days": 30}}
    )
    found = project.collect("v1.0.0")
    detail = found.detail
    assert isinstance(detail, ContainersDetail)
    assert detail.images[0].status is Status.VERIFIED and detail.images[0].digest == digest
    assert detail.ties == (("app.trivy.json", "app.oci.tar", None),)
    checks = {c.name: c for c in detail.checks_of("app.oci.tar")}
    assert checks["runs as non-root"].result == "pass"
    assert checks["base image pinned by digest"].result == "pass"
    age = checks["base image age"]
    assert age.result == "fail" and "2020-01-01" in age.reason
    assert not found.problems


def test_layout_with_refused_member_fails(tmp_path: Path) -> None:
    layout, _ = make_layout({"config": {}})
    project = Project(tmp_path / "repo", {"v1.0.0": prefixed("app.oci", layout)})
    (project.root / "evidence/v1.0.0/app.oci/evil").symlink_to("/etc/passwd")
    image = next(i for i in project.collect("v1.0.0").items if i.kind == "image")
    assert image.status is Status.FAILED and "refused" in (image.reason or "")


def test_classification() -> None:
    assert classify("app.oci/index.json") == "image"
    assert classify("a/b.oci/blobs/sha256/00") == "image"
    assert classify("app.oci.tar") == "image"
    assert classify("app.oci.sigstore.json") == "image-signature"
    assert classify("app.oci.sig") == "image-signature"
    assert classify("web.image.intoto.jsonl") == "image-signature"
    assert classify("trivy-results.json") == Kind.SCAN
    assert classify("app.trivy.sarif") == Kind.SCAN
    assert classify("trivy.cdx.json") == Kind.SBOM
    assert classify("widget.tar.gz.sigstore.json") == Kind.SIGNATURE
    assert classify(".oci/index.json") == Kind.ARTIFACT


def test_options_are_validated_at_once(tmp_path: Path) -> None:
    project = Project(tmp_path / "repo", {"v1.0.0": {}})
    from secdocs.config import from_mapping

    with pytest.raises(ConfigError) as info:
        from_mapping({"containers": {"max_base_age_days": -1, "x": 1}}, project.root)
    assert "max_base_age_days" in str(info.value) and "containers.x" in str(info.value)


@pytest.mark.corpus
def test_trivy_vulnerabilities_join_the_sbom_view_with_vex(
    corpus_dir: Path, tmp_path: Path
) -> None:
    report = corpus_dir / "trivy/image-alpine-3.9.json"
    doc = json.loads(report.read_text())
    first = doc["Results"][0]["Vulnerabilities"][0]
    vex = {
        "@context": "https://openvex.dev/ns/v0.2.0",
        "statements": [
            {
                "vulnerability": {"name": first["VulnerabilityID"]},
                "status": "not_affected",
                "justification": "vulnerable_code_not_in_execute_path",
            }
        ],
    }
    files = {"trivy.json": report.read_bytes(), "app.openvex.json": json.dumps(vex).encode()}
    project = Project(tmp_path / "repo", {"v1.0.0": files})
    sbom = SbomCollector(project.config).collect(project.ctx("v1.0.0"))
    vulns = sbom.data["vulnerabilities"]
    assert isinstance(vulns, list)
    ids = {(v["id"], v["component"]) for v in vulns}  # type: ignore[index]
    expected = {
        (v["VulnerabilityID"], v["PkgIdentifier"]["PURL"])
        for r in doc["Results"]
        for v in r.get("Vulnerabilities") or []
    }
    assert ids == expected
    closed = [v for v in vulns if v["id"] == first["VulnerabilityID"]]  # type: ignore[index]
    assert closed and all(v["open"] is False for v in closed)  # type: ignore[index]
