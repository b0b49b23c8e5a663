"""Property tests for the parsers and escapers that see hostile input.

Invariants: escaping output never holds ``<>"'``; rendered Markdown never holds a script element,
an event handler or a script URL; parsers either return or raise secdocs' typed errors.
"""

from __future__ import annotations

import contextlib
import json
import re
import string

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from secdocs.discover import parse_version
from secdocs.errors import EvidenceError, LimitExceededError, SecdocsError, UnsafePathError
from secdocs.kinds.checksums.parse import parse as parse_checksums
from secdocs.model import Kind
from secdocs.render.html import esc, link, markdown_to_html, safe_href, text_block
from secdocs.roles import classify
from secdocs.safety import (
    check_json_depth,
    check_relative,
    describe,
    is_safe_segment,
    load_json,
)

from .payloads import CLASSES

PROPS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

_SCRIPT = re.compile(r"<\s*(script|iframe|object|embed|svg|img|style|meta|base|math)\b", re.I)
_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.I)
_JS_URL = re.compile(r"""(href|src)\s*=\s*["']?\s*(javascript|vbscript|data):""", re.I)

payload_text = st.sampled_from([t.format(n="0_0") for _, t in CLASSES])
_TOKENS = [*"<>\"'&/=: ()[]!{}#*_`\\\n", "script", "img", "onerror", "javascript", "svg", "on"]
html_ish = st.lists(st.sampled_from([*_TOKENS, "href", "src", "x", "&#", "&lt;", "\u202e"])).map(
    "".join
)
hostile_text = st.one_of(
    st.text(),
    payload_text,
    st.lists(st.one_of(payload_text, html_ish, st.text(max_size=5)), max_size=8).map("".join),
)


def assert_inert(html: str) -> None:
    assert not _SCRIPT.search(html), html
    assert not _HANDLER.search(html), html
    assert not _JS_URL.search(html), html


@PROPS
@given(hostile_text)
def test_esc_output_holds_no_markup_characters(value: str) -> None:
    out = esc(value)
    assert not set("<>\"'`") & set(out)
    assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", out)


@PROPS
@given(hostile_text)
def test_markdown_from_evidence_never_emits_script_or_handlers(source: str) -> None:
    assert_inert(markdown_to_html(source))


@PROPS
@given(hostile_text, hostile_text)
def test_links_only_carry_safe_urls(text: str, url: str) -> None:
    html = link(text, url)
    assert_inert(html)
    href = safe_href(url)
    if href is not None:
        assert not re.match(r"(?i)\s*(javascript|vbscript|data|file):", href)
        assert not href.startswith("//")


@PROPS
@given(hostile_text, st.text())
def test_text_blocks_are_inert(value: str, language: str) -> None:
    assert_inert(text_block(value, language))


@PROPS
@given(st.text(), st.text(string.ascii_letters + string.digits, max_size=10))
def test_safe_href_refuses_every_script_scheme(path: str, scheme: str) -> None:
    for bad in ("javascript", "JaVaScRiPt", "vbscript", "data", "file"):
        assert safe_href(f"{bad}:{path}") is None
    href = safe_href(f"{scheme}:{path}")
    if href is not None:
        from urllib.parse import urlsplit

        assert urlsplit(href).scheme.lower() in {"", "http", "https", "mailto"}


@PROPS
@given(st.text())
def test_names_are_safe_or_refused_and_described_printably(name: str) -> None:
    shown = describe(name)
    assert shown.isprintable()
    if is_safe_segment(name):
        assert name not in ("", ".", "..") and "/" not in name and "\\" not in name
        assert not name.startswith((".", "-"))
    try:
        normal = check_relative(name, "name")
    except UnsafePathError:
        return
    if normal == "":  # "." and "./" normalise to the root itself (no file is named)
        return
    parts = normal.split("/")
    assert ".." not in parts and not normal.startswith("/")
    assert all(is_safe_segment(p) for p in parts)


@PROPS
@given(st.text())
def test_classify_always_returns_a_known_kind(name: str) -> None:
    kinds = {v for k, v in vars(Kind).items() if not k.startswith("_")}
    assert classify(name) in kinds


@PROPS
@given(st.text())
def test_parse_version_returns_a_version_or_none(tag: str) -> None:
    version = parse_version(tag)
    if version is not None:
        assert str(version)


@PROPS
@given(
    st.lists(
        st.one_of(
            st.tuples(st.sampled_from([64, 96, 128, 32, 40]), st.text(min_size=1, max_size=30)),
            st.text(max_size=80),
        ),
        max_size=20,
    )
)
def test_checksum_parse_never_raises_and_reports_lines(lines: list[object]) -> None:
    rendered = []
    for line in lines:
        if isinstance(line, tuple):
            size, name = line
            rendered.append(f"{'a' * size}  {name}")
        else:
            rendered.append(str(line))
    text = "\n".join(rendered)
    entries, problems = parse_checksums(text, "SHA256SUMS")
    total = len(text.splitlines())
    for entry in entries:
        assert entry.algorithm in {"sha256", "sha384", "sha512"}
        assert 1 <= entry.line <= total
    for problem in problems:
        assert problem.path == "SHA256SUMS"


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(), children, max_size=3)
    ),
    max_leaves=30,
)


@PROPS
@given(json_values)
def test_load_json_round_trips_valid_documents(value: object) -> None:
    data = json.dumps(value).encode()
    assert load_json(data, "x.json") == value


@PROPS
@given(st.binary())
def test_load_json_raises_only_typed_errors(data: bytes) -> None:
    try:
        load_json(data, "x.json")
    except EvidenceError as exc:
        assert exc.path == "x.json"


@PROPS
@given(st.integers(min_value=1, max_value=200), st.integers(min_value=1, max_value=100))
def test_depth_check_matches_nesting(depth: int, limit: int) -> None:
    doc = b"[" * depth + b"]" * depth
    if depth > limit:
        try:
            check_json_depth(doc, limit, "d.json")
        except LimitExceededError:
            return
        raise AssertionError("deep JSON accepted")
    check_json_depth(doc, limit, "d.json")


@PROPS
@given(st.binary(max_size=4096))
def test_sbom_readers_raise_only_typed_errors(data: bytes) -> None:
    from secdocs.sbom import readers

    for read in (readers.read_sboms, readers.read_cyclonedx_xml, readers.read_spdx_json):
        with contextlib.suppress(SecdocsError):
            read(data, "x.bom")


@PROPS
@given(st.binary(max_size=4096))
def test_threat_model_delta_parser_raises_only_typed_errors(data: bytes) -> None:
    from secdocs.kinds.threat_model.delta import parse_delta

    with contextlib.suppress(SecdocsError):
        parse_delta(data, "delta.md")


@PROPS
@given(hostile_text)
def test_changelog_sections_render_inert(text: str) -> None:
    from secdocs.advisory_ids import link_advisories
    from secdocs.kinds.changelog import collect as changelog
    from secdocs.render.html import markdown_to_html

    doc = (
        f"# Changelog\n\n## [1.0.0] - 2025-01-01\n\n### Security\n\n- {text}\n- CVE-2025-1 {text}\n"
    )
    section = changelog.find_section(doc, frozenset({"1.0.0"}))
    assume(section is not None)
    assert section is not None
    for entry in section.entries:
        assert_inert(markdown_to_html(link_advisories(entry.text)))


@PROPS
@given(st.text(max_size=2000))
def test_redaction_spans_stay_inside_the_value(value: str) -> None:
    from secdocs import redact

    for start, end in redact.secret_spans(value):
        assert 0 <= start <= end <= len(value)
    out = redact.redact_message(value, ("hunter2-secret",))
    assert "hunter2-secret" not in out


@PROPS
@given(st.text(max_size=3000), st.sampled_from(["yaml", "json", "toml", "text"]))
def test_config_parser_raises_only_its_parse_error(text: str, fmt: str) -> None:
    from secdocs.kinds.config_diff import differ

    try:
        differ.parse(text, fmt, "deploy/values")
    except differ.ParseError as exc:
        assert exc.args
