"""The signatures kind's rendering escapes everything taken from evidence."""

from __future__ import annotations

from datetime import UTC, datetime

from secdocs.collectors import PageContext
from secdocs.kinds.signatures.model import SignatureEntry, SignaturesDetail
from secdocs.kinds.signatures.render import render_entries
from secdocs.model import Release, Status

EVIL = '<script>alert(1)</script>"onmouseover=x'
RELEASE = Release("v1", "1", "a" * 40, datetime(2026, 1, 1, tzinfo=UTC), True, False)
PAGE = PageContext(RELEASE, "files/", {})


def test_signature_table_escapes_hostile_values() -> None:
    entry = SignatureEntry(
        "a.sig",
        "a",
        "cosign key signature",
        Status.FAILED,
        EVIL,
        EVIL,
        EVIL,
        7,
        EVIL,
        (f"cosign verify-blob {EVIL}",),
    )
    html = render_entries(SignaturesDetail((entry,), ("sha256sum --check SHA256SUMS",)), PAGE)
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "How to verify" in html and "logIndex" in html
