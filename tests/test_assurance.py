"""One word, one meaning: what a ``verified`` item established (authenticity, integrity,
validity), in the model, in evidence.json, on the pages; the releases index counts security
changelog entries."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import jsonschema_rs
import pytest
from gitutil import new_repo

from secdocs.cli import main
from secdocs.model import Assurance, EvidenceItem, Status
from secdocs.render.json import schema

MKDOCS = """\
site_name: Acme
theme:
  name: material
plugins:
  - secdocs:
      tags: "v*"
"""
CHANGELOG = """\
# Changelog

## 1.1.0

### Security

- Escape tag names in the index (CVE-2026-1111).
- Refuse symlinks out of the evidence folder (GHSA-2c8m-q5xf-7hgr).

## 1.0.0

### Added

- Everything.
"""


def test_verified_needs_an_assurance() -> None:
    with pytest.raises(ValueError, match="verified needs an assurance"):
        EvidenceItem("signature", "a.sig", Status.VERIFIED)
    item = EvidenceItem("checksum", "a", Status.VERIFIED, assurance=Assurance.INTEGRITY)
    assert item.assurance is Assurance.INTEGRITY


def test_checksums_are_integrity_and_say_who_wrote_them(tmp_path: Path) -> None:
    repo = new_repo(tmp_path / "p")
    repo.write("mkdocs.yml", MKDOCS)
    repo.write("docs/index.md", "# Acme\n")
    for tag in ("v1.0.0", "v1.1.0"):
        repo.release(tag, **{"CHANGELOG.md": CHANGELOG})
        payload = tag.encode()
        repo.evidence(tag, "acme.tar.gz", payload)
        repo.evidence(tag, "SHA256SUMS", f"{hashlib.sha256(payload).hexdigest()}  acme.tar.gz\n")
    repo.evidence("v1.1.0", "SHA256SUMS.sig", b"not checked here")
    site = tmp_path / "site"
    assert main(["build", "-f", str(repo.root / "mkdocs.yml"), "-d", str(site)]) == 0
    document = json.loads((site / "evidence.json").read_text())
    jsonschema_rs.validator_for(schema()).validate(document)
    assert document["schema_version"] == "2"
    releases = {r["tag"]: r for r in document["releases"]}
    for tag, signature in (("v1.0.0", None), ("v1.1.0", "SHA256SUMS.sig")):
        items = [i for i in releases[tag]["items"] if i["kind"] == "checksum"]
        (item,) = items
        assert (item["status"], item["assurance"]) == ("verified", "integrity")
        assert item["details"]["checksums_written_by"] == "the release's publisher"
        assert item["details"]["checksums_signature"] == signature
        counts = releases[tag]["assurance_counts"]
        assert counts["authenticity"] == 0  # nothing here says who made the release
        assert counts["integrity"] == releases[tag]["status_counts"]["verified"]
    assert document["summary"]["assurance_counts"]["authenticity"] == 0
    for release in document["releases"]:
        for item in release["items"]:
            assert (item["assurance"] is not None) == (item["status"] == "verified")
    page = (site / "releases/v1.1.0/index.html").read_text()
    assert "verified: integrity</span>" in page
    assert "(written by the release&#39;s publisher; signature SHA256SUMS.sig" in page or (
        "(written by the release's publisher; signature SHA256SUMS.sig" in page
    )
    index = (site / "releases/index.html").read_text()
    assert "2 security entries" in index  # v1.1.0's section
    assert "no security entries" in index  # v1.0.0's section has none


def test_a_tampered_schema_document_is_refused() -> None:
    """The schema itself keeps the words apart: verified without assurance does not validate."""
    item = {
        "kind": "signature",
        "path": "a.sig",
        "status": "verified",
        "assurance": None,
        "reason": None,
        "collector": "signatures",
        "signer": None,
        "details": {},
    }
    full = schema()
    item_schema = {"$schema": full["$schema"], "$defs": full["$defs"], "$ref": "#/$defs/item"}
    validator = jsonschema_rs.validator_for(item_schema)
    assert not validator.is_valid(item)
    assert validator.is_valid({**item, "assurance": "authenticity"})
    assert not validator.is_valid({**item, "assurance": "trust me"})
