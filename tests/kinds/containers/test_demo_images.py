"""The demo ships an image per release: signed, scanned, checked; its RBAC widens and narrows."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest

from secdocs.cli import main
from secdocs.demo import RELEASES
from secdocs.demo.containers import layout
from secdocs.render.json import schema


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("demo") / "widget"
    assert main(["demo", str(root)]) == 0
    return root / "site"


def releases(site: Path) -> dict[str, Any]:
    index = json.loads((site / "evidence.json").read_text())
    jsonschema_rs.validator_for(schema()).validate(index)
    return {r["tag"]: r for r in index["releases"]}


def test_layout_is_deterministic_and_digest_stable() -> None:
    first, digest = layout(RELEASES[1])
    again, digest_again = layout(RELEASES[1])
    assert first == again and digest == digest_again
    assert layout(RELEASES[2])[1] != digest


@pytest.mark.slow
def test_demo_image_signed_scanned_and_checked(site: Path) -> None:
    by_tag = releases(site)
    v100 = by_tag["v1.0.0"]
    items = {(i["kind"], i["path"]): i for i in v100["items"]}
    assert items[("image", "widget.oci")]["status"] == "verified"
    signature = items[("image-signature", "widget.oci.sig")]
    assert signature["status"] == "verified", signature["reason"]
    assert signature["details"]["digest"] == layout(RELEASES[1])[1]
    provenance = items[("image-signature", "widget.oci.intoto.jsonl")]
    assert provenance["status"] == "verified", provenance["reason"]

    containers = v100["collectors"]["containers"]
    checks = {c["name"]: c for c in containers["checks"][0]["checks"]}
    assert checks["runs as non-root"]["result"] == "fail"
    assert checks["base image pinned by digest"]["result"] == "pass"
    (scan,) = containers["scans"]
    assert scan["image"] == "widget.oci" and scan["warning"] is None
    assert scan["vulnerabilities_by_severity"] == {"high": 1}
    cmds = containers["images"][0]["commands"]
    assert any(
        c.startswith("cosign verify --key keys/release.pub ghcr.io/acme/widget@") for c in cmds
    )
    assert any(c.startswith("gh attestation verify oci://ghcr.io/acme/widget@") for c in cmds)

    later = by_tag["v1.1.0"]["collectors"]["containers"]["checks"][0]["checks"]
    assert {c["name"]: c["result"] for c in later}["runs as non-root"] == "pass"
    # the release candidate's image is not signed: no signature item claims it is
    rc = by_tag["v1.2.0-rc.1"]
    assert not [i for i in rc["items"] if i["path"] == "widget.oci.sig"]

    page = (site / "releases" / "v1.0.0" / "index.html").read_text()
    assert "Hardened-image checks" in page and "runs as root" in page
    assert "Image signatures and attestations" in page


@pytest.mark.slow
def test_demo_rbac_widening_flagged_then_resolved(site: Path) -> None:
    by_tag = releases(site)

    def k8s(tag: str) -> dict[str, Any]:
        files = by_tag[tag]["collectors"]["config-diff"]["files"]
        return next(f for f in files if f["path"] == "deploy/k8s/widget.yaml")["kubernetes"]

    assert k8s("v1.0.0")["flags"] == []
    widened = k8s("v1.1.0")["flags"]
    assert {f["rule"] for f in widened} == {"rbac-wildcard"}
    assert all(f["inherited"] is False for f in widened)
    assert all(f["inherited"] is True for f in k8s("v1.2.0-rc.1")["flags"])
    assert k8s("v1.2.0")["flags"] == [] and len(k8s("v1.2.0")["resolved"]) == len(widened)

    page = (site / "releases" / "v1.1.0" / "index.html").read_text()
    assert "Kubernetes least-privilege settings flagged" in page
    assert "Resolved in this release" in (site / "releases" / "v1.2.0" / "index.html").read_text()

    practices = (site / "practices" / "index.html").read_text()
    assert "Hardened image" in practices and "Image scan" in practices
