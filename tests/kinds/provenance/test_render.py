"""The provenance kind's rendering escapes everything taken from evidence."""

from __future__ import annotations

from datetime import UTC, datetime

from secdocs.collectors import PageContext
from secdocs.kinds.provenance.model import Attestation, Check, ProvenanceDetail
from secdocs.kinds.provenance.render import render_attestations
from secdocs.kinds.provenance.slsa import ProvenanceSummary
from secdocs.model import Release, Status

EVIL = '<script>alert(1)</script>"onmouseover=x'
RELEASE = Release("v1", "1", "a" * 40, datetime(2026, 1, 1, tzinfo=UTC), True, False)
PAGE = PageContext(RELEASE, "files/", {})


def test_provenance_block_escapes_hostile_values() -> None:
    summary = ProvenanceSummary(
        "https://slsa.dev/provenance/v1", EVIL, EVIL, EVIL, EVIL, EVIL, EVIL, EVIL
    )
    attestation = Attestation(
        "p.intoto.jsonl",
        2,
        Status.FAILED,
        EVIL,
        EVIL,
        EVIL,
        summary,
        (Check("source", "fail", EVIL),),
        EVIL,
        EVIL,
        5,
        (EVIL,),
        (f"slsa-verifier {EVIL}",),
    )
    html = render_attestations(ProvenanceDetail((attestation,)), PAGE)
    assert "<script>" not in html
    assert "line 2" in html
