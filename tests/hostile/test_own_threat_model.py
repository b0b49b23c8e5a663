"""secdocs' own threat model is a valid delta: at most five risks, each with a mitigation."""

from __future__ import annotations

from pathlib import Path

from secdocs.kinds.threat_model.delta import MAX_RISKS, parse_delta

DOC = Path(__file__).resolve().parents[2] / "docs" / "threat-model" / "index.md"


def test_own_threat_model_parses_without_problems() -> None:
    delta = parse_delta(DOC.read_bytes(), "docs/threat-model/index.md")
    assert delta.problems == ()
    assert 1 <= len(delta.risks) <= MAX_RISKS
    for risk in delta.risks:
        assert risk.mitigation and risk.status and risk.owner
    text = DOC.read_text()
    for trusted in ("build host", "trusted root", "its own configuration"):
        assert trusted in text
