"""Property tests: arbitrary input gives results, typed errors or Problems, never a crash."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from secdocs.advisory_ids import advisory_ids, link_advisories
from secdocs.kinds.changelog.collect import commit_entries, find_section
from secdocs.kinds.config_diff.differ import (
    Flattener,
    ParseError,
    file_format,
    parse,
    structural_diff,
    unified_diff,
)
from secdocs.kinds.config_diff.tls import TlsPolicy, check_value
from secdocs.kinds.threat_model.delta import MAX_RISKS, parse_delta
from secdocs.model import Problem
from secdocs.redact import REDACTED, Redactor, redact_spans, secret_spans
from secdocs.release_files import version_key
from secdocs.render.html import markdown_to_html

from .secrets_corpus import VALUE_SECRETS

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


@FAST
@given(st.one_of(markdownish, lines), st.sampled_from(["1.2.0", "v1.0", "2", "x", "1.2.0rc1"]))
def test_changelog_parser_never_crashes(text: str, version: str) -> None:
    section = find_section(text, frozenset({version_key(version)}))
    if section is not None:
        assert section.line >= 1
        for entry in section.entries:
            assert entry.origin in ("heading", "bold", "advisory")
            assert "<script" not in markdown_to_html(link_advisories(entry.text))


@FAST
@given(st.text(max_size=300))
def test_advisory_linking_keeps_the_text(text: str) -> None:
    linked = link_advisories(text)
    for advisory in advisory_ids(text):
        assert advisory in linked


@FAST
@given(st.text(max_size=200), st.text(max_size=400))
def test_commit_entries_never_crash(subject: str, body: str) -> None:
    from datetime import UTC, datetime

    from secdocs.git import CommitInfo

    commit = CommitInfo("a" * 40, "x", datetime(2026, 1, 1, tzinfo=UTC), subject, body)
    for entry in commit_entries([commit]):
        assert entry.origin == "commit"


json_values = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(allow_nan=False),
        st.text(max_size=30),
        st.sampled_from(list(VALUE_SECRETS.values())),
    ),
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(
            st.one_of(
                st.text(max_size=10), st.sampled_from(["password", "tls", "ciphers", "token"])
            ),
            children,
            max_size=4,
        ),
    ),
    max_leaves=25,
)


@FAST
@given(json_values, json_values)
def test_structural_diff_never_shows_a_secret(old: object, new: object) -> None:
    flattener = Flattener(Redactor(), ("tls",))
    before, after = flattener.flatten(old), flattener.flatten(new)
    changes = structural_diff(before, after)
    shown = json.dumps([(c.path, c.old, c.new) for c in changes], ensure_ascii=False)
    for secret in VALUE_SECRETS.values():
        assert secret not in shown
    for change in changes:
        assert change.kind in ("added", "removed", "changed")
        if change.redacted and change.kind == "changed":
            assert (change.old, change.new) == (REDACTED, REDACTED)
    policy = TlsPolicy.bsi()
    for leaf in after.values():
        for finding in check_value(leaf.path, leaf.raw, policy):
            assert finding.kind in ("protocol", "cipher")


@FAST
@given(st.text(max_size=500), st.sampled_from(["a.yaml", "b.json", "c.toml", "d.conf"]))
def test_config_parsers_raise_only_parse_errors(text: str, name: str) -> None:
    fmt = file_format(name)
    try:
        document = parse(text, fmt, name)
    except ParseError as exc:
        assert exc.message
        assert exc.line is None or exc.line >= 1
        return
    if fmt != "text":
        try:
            Flattener(Redactor(), ()).flatten(document)
        except ParseError as exc:
            assert "values" in exc.message


@FAST
@given(
    st.lists(st.text(max_size=40), max_size=15),
    st.lists(st.text(max_size=40), max_size=15),
    st.sampled_from(list(VALUE_SECRETS.values())),
)
def test_text_diff_is_redacted(old: list[str], new: list[str], secret: str) -> None:
    new = [*new, f"setting = {secret}"]
    redactor = Redactor()
    old_text, new_text = "\n".join(old), "\n".join(new)
    old_shown = redactor.redact_text(old_text)
    new_shown = redactor.redact_text(new_text)
    diff = unified_diff(old_text.split("\n"), new_text.split("\n"), old_shown, new_shown, "a", "b")
    joined = "\n".join(diff)
    for part in secret.split("\n"):
        if len(part) > 8 and "-----" not in part:
            assert part not in joined


@FAST
@given(st.text(max_size=300), st.sampled_from(list(VALUE_SECRETS.values())), st.text(max_size=50))
def test_redaction_removes_embedded_secrets(prefix: str, secret: str, suffix: str) -> None:
    value = f"{prefix} {secret} {suffix}"
    spans = secret_spans(value)
    assert spans
    assert all(0 <= a <= b <= len(value) for a, b in spans)
    redacted = redact_spans(value)
    if "BEGIN" not in secret and "://" not in secret and "Password=" not in secret:
        assert secret not in redacted


changelogish = st.lists(
    st.sampled_from(
        [
            "# Changelog",
            "## [1.2.0] - 2026-06-15",
            "## 1.1.0",
            "### Security",
            "### Fixed",
            "## Security Fixes",
            "- Fixed CVE-2026-1234",
            "- **Security:** x",
            "```",
            "~~~",
            "## 1.2.0 in a fence?",
            "1.2.0",
            "=====",
            "-----",
            "    ## 1.2.0 indented",
            "text",
            "",
            "> ## 1.2.0 quoted",
            "<div>",
            "- item",
            "  continued",
            "#",
            "## v1.2.0 #",
        ]
    ),
    max_size=30,
).map("\n".join)


@FAST
@given(changelogish)
def test_fast_section_lookup_agrees_with_a_full_parse(text: str) -> None:
    from secdocs.kinds.changelog.collect import _parse_section

    versions = frozenset({version_key("1.2.0")})
    fast = find_section(text, versions)
    full = _parse_section(text, versions, first_only=False)
    if fast is None or full is None:
        assert fast is None and full is None
    else:
        assert (fast.heading, fast.security_headings, fast.entries) == (
            full.heading,
            full.security_headings,
            full.entries,
        )
        assert fast.line == full.line
