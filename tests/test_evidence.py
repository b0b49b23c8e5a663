from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from secdocs.evidence import scan
from secdocs.model import Kind
from secdocs.roles import classify


@pytest.mark.parametrize(
    ("name", "role"),
    [
        ("widget-1.0.tar.gz.sigstore.json", Kind.SIGNATURE),
        ("widget.whl.sigstore", Kind.SIGNATURE),
        ("widget.tar.gz.sig", Kind.SIGNATURE),
        ("multiple.intoto.jsonl", Kind.PROVENANCE),
        ("widget.cdx.json", Kind.SBOM),
        ("widget.cdx.xml", Kind.SBOM),
        ("bom.json", Kind.SBOM),
        ("BOM.XML", Kind.SBOM),
        ("widget.spdx.json", Kind.SBOM),
        ("SHA256SUMS", Kind.CHECKSUMS),
        ("widget.tar.gz.sha256", Kind.CHECKSUMS),
        ("cosign.pub", Kind.SIGNATURE_MATERIAL),
        ("widget.asc", Kind.SIGNATURE_MATERIAL),
        ("cert.pem", Kind.SIGNATURE_MATERIAL),
        ("widget.openvex.json", Kind.VEX),
        ("pip-audit.json", Kind.SCAN),
        ("osv-scanner-results.json", Kind.SCAN),
        ("semgrep.sarif", Kind.REPORT),
        ("tests.junit.xml", Kind.REPORT),
        ("widget-1.0.tar.gz", Kind.ARTIFACT),
        ("sub/README", Kind.ARTIFACT),
    ],
)
def test_classify(name: str, role: str) -> None:
    assert classify(name) == role


def test_scan_lists_hashes_and_refuses(tmp_path: Path) -> None:
    root = tmp_path / "evidence"
    (root / "nested").mkdir(parents=True)
    (root / "a.tar.gz").write_bytes(b"artifact")
    (root / "nested" / "bom.json").write_bytes(b"{}")
    (root / "big.bin").write_bytes(b"x" * 101)
    (root / ".hidden").write_text("dot files are refused")
    (root / "bad\x07name").write_text("control character")
    outside = tmp_path / "secret.txt"
    outside.write_text("outside")
    (root / "link.txt").symlink_to(outside)
    (root / "linkdir").symlink_to(tmp_path)
    os.mkfifo(root / "fifo")

    listing = scan(root, limit=100)
    names = [f.name for f in listing.files]
    assert names == ["a.tar.gz", "nested/bom.json"]
    first = listing.files[0]
    assert first.sha256 == hashlib.sha256(b"artifact").hexdigest()
    assert first.size == 8 and first.role == Kind.ARTIFACT
    assert listing.files[1].role == Kind.SBOM
    reasons = {r.name: r.reason for r in listing.rejected}
    assert "exceeds max_file_size" in reasons["big.bin"]
    assert "unsafe file name" in reasons[".hidden"]
    assert "unsafe file name" in reasons["bad\x07name"]
    assert "\\x07" in reasons["bad\x07name"]
    assert "symbolic link" in reasons["link.txt"]
    assert "symbolic link" in reasons["linkdir"]
    assert reasons["fifo"] == "not a regular file"


def test_scan_depth_limit(tmp_path: Path) -> None:
    root = tmp_path / "e"
    deep = root
    for i in range(10):
        deep = deep / f"d{i}"
    deep.mkdir(parents=True)
    (deep / "f").write_text("x")
    listing = scan(root, limit=100)
    assert listing.files == ()
    assert any("nested deeper" in r.reason for r in listing.rejected)
