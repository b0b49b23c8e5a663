"""Property tests of the threat-model kind: the delta parser gives results, typed errors or
Problems for arbitrary input, never a crash."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from secdocs.kinds.threat_model.delta import MAX_RISKS, parse_delta
from secdocs.model import Problem

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

markdownish = st.text(
    alphabet=st.sampled_from(list("#-*_`[]()<>!:\n ---abcvV0123456789.RSCVEGHSA")), max_size=400
)
lines = st.lists(
    st.sampled_from(
        [
            "---",
            "title: x",
            "changes: none",
            "## What changes",
            "## Data touched",
            "## Trust boundaries",
            "## Risks",
            "### R1: a",
            "### R2: b",
            "### bad heading",
            "- Mitigation: m",
            "- Status: open",
            "- Status: maybe",
            "- Owner: o",
            "text",
            "",
            "# Title",
            "key: [",
            "- Foo: bar",
            "Nothing changes.",
        ]
    ),
    max_size=40,
).map("\n".join)


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
