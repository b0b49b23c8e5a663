"""Hypothesis strategies shared by the property tests of the kinds that read Markdown written by
maintainers (threat-model deltas, changelogs): Markdown-like text and lines of the delta format."""

from __future__ import annotations

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

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
