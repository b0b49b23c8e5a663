"""Property tests of the changelog kind: the changelog and commit parsers and advisory linking
give results or Problems for arbitrary input, never a crash."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from secdocs.advisory_ids import advisory_ids, link_advisories
from secdocs.kinds.changelog.collect import commit_entries, find_section
from secdocs.release_files import version_key
from secdocs.render.html import markdown_to_html

from ..markdownish import FAST, lines, markdownish


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
