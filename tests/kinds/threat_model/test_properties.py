"""Property tests of the threat-model kind: the delta parser gives results, typed errors or
Problems for arbitrary input, never a crash."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from secdocs.kinds.threat_model.delta import MAX_RISKS, parse_delta
from secdocs.model import Problem

from ..markdownish import FAST, lines, markdownish


@FAST
@given(st.one_of(st.binary(max_size=600), markdownish.map(str.encode), lines.map(str.encode)))
def test_delta_parser_never_crashes(data: bytes) -> None:
    delta = parse_delta(data, "d.md")
    assert len(delta.risks) <= MAX_RISKS
    for problem in delta.problems:
        assert isinstance(problem, Problem)
        assert problem.path == "d.md"
        assert problem.line is None or problem.line >= 1
        assert problem.severity in ("error", "warning")
    if not delta.valid:
        assert any(p.severity == "error" for p in delta.problems)
