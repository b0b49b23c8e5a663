"""Property tests of the config-diff kind: its parsers raise only parse errors, and no diff ever
shows a secret."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from secrets_corpus import VALUE_SECRETS

from secdocs.kinds.config_diff.differ import (
    Flattener,
    ParseError,
    file_format,
    parse,
    structural_diff,
    unified_diff,
)
from secdocs.kinds.config_diff.tls import TlsPolicy, check_value
from secdocs.redact import REDACTED, Redactor

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


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
