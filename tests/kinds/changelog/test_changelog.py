"""The security changelog: the release's section, its security part, linked ids, commit fallback."""

from __future__ import annotations

import html
from pathlib import Path

import pytest

from secdocs.advisory_ids import advisory_ids, advisory_url, link_advisories
from secdocs.collectors import PageContext
from secdocs.config import from_mapping
from secdocs.errors import ConfigError
from secdocs.git import CommitInfo
from secdocs.kinds.changelog.collect import (
    ChangelogCollector,
    commit_entries,
    find_section,
)
from secdocs.model import Kind, Status
from secdocs.release_files import version_key

from ..releaserepo import History, Step, build_repo

KEEP = """# Changelog

## [Unreleased]

## [1.2.0] - 2026-06-15

### Added

- A thing with CVE-looking text like CVE-20-1 that is no id.

### Security

- Fixed CVE-2026-1234 in the parser ([details](https://example.org/a)).
- Bumped openssl for GHSA-2c8m-q5xf-7hgr and
  PYSEC-2026-118.

### Fixed

- Crash on empty input.

## [1.1.0] - 2026-04-01

### Security

- Old entry CVE-2025-0001.
"""


def section(text: str, version: str):  # type: ignore[no-untyped-def]
    return find_section(text, frozenset({version_key(version)}))


def test_keep_a_changelog_security_heading() -> None:
    found = section(KEEP, "v1.2.0")
    assert found is not None
    assert (found.heading, found.line, found.security_headings) == (
        "[1.2.0] - 2026-06-15",
        5,
        ("Security",),
    )
    assert [(e.origin, e.line, e.ids) for e in found.entries] == [
        ("heading", 13, ("CVE-2026-1234",)),
        ("heading", 14, ("GHSA-2c8m-q5xf-7hgr", "PYSEC-2026-118")),
    ]
    assert found.entries[1].text == "Bumped openssl for GHSA-2c8m-q5xf-7hgr and\nPYSEC-2026-118."


@pytest.mark.parametrize("version", ["1.1.0", "v1.1.0", "V1.1.0"])
def test_version_with_or_without_v(version: str) -> None:
    found = section(KEEP, version)
    assert found is not None
    assert [e.ids for e in found.entries] == [("CVE-2025-0001",)]


def test_no_section_for_an_unknown_version() -> None:
    assert section(KEEP, "9.9.9") is None
    assert section("", "1.0.0") is None


def test_variants_real_projects_use() -> None:
    text = """# widget 1.2.0 (2026-06-15)

## Features
- thing
- **Security:** session ids are rotated on login (CVE-2026-2222)
- **Security**: cookies are Secure
- Security: plain prefix

## Security Fixes
- Fixed GO-2026-1234

# v1.2.0-rc.1

## <!-- 8 -->🛡️ Security
- rc entry RUSTSEC-2026-0001
"""
    found = section(text, "1.2.0")
    assert found is not None
    assert found.security_headings == ("Security Fixes",)
    assert [(e.origin, e.text) for e in found.entries] == [
        ("bold", "session ids are rotated on login (CVE-2026-2222)"),
        ("bold", "cookies are Secure"),
        ("bold", "plain prefix"),
        ("heading", "Fixed GO-2026-1234"),
    ]
    rc = section(text, "1.2.0rc1")
    assert rc is not None
    assert rc.security_headings == ("<!-- 8 -->🛡️ Security",)
    assert [e.ids for e in rc.entries] == [("RUSTSEC-2026-0001",)]


def test_plain_headings_and_paragraph_entries() -> None:
    text = "## 2.0.0\n\n### Security\n\nA paragraph about CVE-2026-3333.\n\n## 1.0.0\n"
    found = section(text, "2.0.0")
    assert found is not None
    assert [(e.origin, e.text) for e in found.entries] == [
        ("heading", "A paragraph about CVE-2026-3333.")
    ]


def test_sigstore_python_changelog(corpus_dir: Path) -> None:
    text = (corpus_dir / "sigstore-python" / "CHANGELOG.md").read_text()
    # 4.2.0 fixes an advisory under "### Fixed": found because it cites the GHSA id
    fixed = section(text, "4.2.0")
    assert fixed is not None
    assert fixed.heading == "[4.2.0]"
    assert [(e.origin, e.ids) for e in fixed.entries] == [("advisory", ("GHSA-hm8f-75xx-w2vr",))]
    # 3.6.4 mentions "a security vulnerability" in a Fixed item
    bumped = section(text, "v3.6.4")
    assert bumped is not None and len(bumped.entries) == 1
    assert "rfc3161-client" in bumped.entries[0].text
    # 4.5.0 says nothing about security
    quiet = section(text, "4.5.0")
    assert quiet is not None and quiet.entries == ()
    # 2.1.5 uses "## Fixed" under "## [2.1.5]": the section ends at the next level-2 heading
    assert section(text, "2.1.5") is not None
    assert section(text, "0.8.3") is None


def test_advisory_ids_and_links() -> None:
    text = (
        "CVE-2024-12345, GHSA-hm8f-75xx-w2vr, PYSEC-2024-12, GO-2024-1234, "
        "RUSTSEC-2024-0001, OSV-2020-111, xCVE-2024-1111, CVE-2024-1, GHSA-abcd-efgh-ijkl"
    )
    assert advisory_ids(text) == [
        "CVE-2024-12345",
        "GHSA-hm8f-75xx-w2vr",
        "GO-2024-1234",
        "OSV-2020-111",
        "PYSEC-2024-12",
        "RUSTSEC-2024-0001",
    ]
    assert advisory_url("CVE-2024-12345") == "https://nvd.nist.gov/vuln/detail/CVE-2024-12345"
    assert advisory_url("GHSA-hm8f-75xx-w2vr") == (
        "https://github.com/advisories/GHSA-hm8f-75xx-w2vr"
    )
    assert advisory_url("PYSEC-2024-12") == "https://osv.dev/vulnerability/PYSEC-2024-12"
    assert advisory_url("GO-2024-1234") == "https://osv.dev/vulnerability/GO-2024-1234"


def test_link_advisories_leaves_links_and_code_alone() -> None:
    source = "Fix CVE-2024-1111, [GHSA-hm8f-75xx-w2vr](https://x.example/a) and `CVE-2024-2222`"
    assert link_advisories(source) == (
        "Fix [CVE-2024-1111](https://nvd.nist.gov/vuln/detail/CVE-2024-1111), "
        "[GHSA-hm8f-75xx-w2vr](https://x.example/a) and `CVE-2024-2222`"
    )


def commit(subject: str, body: str = "", sha: str = "a" * 40) -> CommitInfo:
    from datetime import UTC, datetime

    return CommitInfo(sha, "Dev <dev@example.org>", datetime(2026, 1, 1, tzinfo=UTC), subject, body)


def test_commit_entries() -> None:
    entries = commit_entries(
        [
            commit("security: reject unsigned webhooks (CVE-2026-5555)"),
            commit("fix(security)!: escape export names"),
            commit("feat(api): add export", "Adds export.\n\nSecurity: exports are rate limited"),
            commit("fix: typo"),
            commit("docs(security): explain the policy"),
            commit("Security: prefix with capital", sha="b" * 40),
        ]
    )
    assert [(e.text, e.ids) for e in entries] == [
        ("reject unsigned webhooks (CVE-2026-5555)", ("CVE-2026-5555",)),
        ("escape export names", ()),
        ("feat(api): add export (Security: exports are rate limited)", ()),
        ("explain the policy", ()),
        ("prefix with capital", ()),
    ]
    assert {e.origin for e in entries} == {"commit"}


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return build_repo(
        tmp_path / "repo",
        [
            Step({"CHANGELOG.md": "# Changelog\n\n## [Unreleased]\n"}, tag="v1.0.0"),
            Step({"a": "1"}, message="security: escape <script> in names (CVE-2026-7777)"),
            Step({"b": "1"}, message="feat: more", body="Security: GHSA-2c8m-q5xf-7hgr fixed"),
            Step({"c": "1"}, message="chore: nothing"),
            Step(
                {
                    "CHANGELOG.md": KEEP.replace("1.2.0", "1.1.0", 1).replace(
                        "[1.1.0] - 2026-04-01", "[1.0.0]"
                    )
                },
                tag="v1.1.0",
            ),
            Step({"CHANGELOG.md": None}, tag="v1.2.0"),
        ],
    )


def test_collector_statuses_and_fallback(repo: Path) -> None:
    history = History(repo)
    found = history.run(ChangelogCollector(history.config))
    v100, v110, v120 = found["v1.0.0"], found["v1.1.0"], found["v1.2.0"]
    assert [(i.kind, i.status) for i in v110.items] == [(Kind.CHANGELOG, Status.PRESENT)]
    assert v110.data["source"] == "changelog"
    assert v110.data["ids"] == ["CVE-2026-1234", "GHSA-2c8m-q5xf-7hgr", "PYSEC-2026-118"]

    assert v100.items[0].status is Status.MISSING
    assert v100.data["source"] == "commits"
    assert v100.items[0].reason == (
        "CHANGELOG.md has no section for 1.0.0; 0 security entries taken from 1 commit since "
        "the first commit"
    )

    assert v120.items[0].status is Status.MISSING
    assert v120.items[0].reason == (
        "no CHANGELOG.md at v1.2.0; 0 security entries taken from 1 commit since v1.1.0"
    )


def test_fallback_lists_security_commits(tmp_path: Path) -> None:
    root = build_repo(
        tmp_path / "r",
        [
            Step({"x": "0"}, tag="v1.0.0"),
            Step({"a": "1"}, message="security: escape <script> in names (CVE-2026-7777)"),
            Step({"b": "1"}, message="feat: more", body="Security: GHSA-2c8m-q5xf-7hgr fixed"),
            Step({"c": "1"}, message="chore: nothing", tag="v1.1.0"),
        ],
    )
    history = History(root)
    collector = ChangelogCollector(history.config)
    found = history.run(collector)["v1.1.0"]
    assert found.data["source"] == "commits"
    assert found.data["ids"] == ["CVE-2026-7777", "GHSA-2c8m-q5xf-7hgr"]
    (rendered,) = collector.render(found, PageContext(history.by_tag["v1.1.0"], "", {}))
    body = rendered.body
    assert "These entries come from commit messages" in body
    assert "<script>" not in body and "&lt;script&gt;" in body
    assert 'href="https://nvd.nist.gov/vuln/detail/CVE-2026-7777"' in html.unescape(body)
    assert 'href="https://github.com/advisories/GHSA-2c8m-q5xf-7hgr"' in html.unescape(body)


def test_render_links_ids_and_drops_raw_html(tmp_path: Path) -> None:
    text = KEEP.replace("Crash on empty input.", "Crash <img src=x onerror=alert(1)>").replace(
        "in the parser", "in the <script>alert(1)</script> parser"
    )
    root = build_repo(tmp_path / "r", [Step({"CHANGELOG.md": text}, tag="v1.2.0")])
    history = History(root)
    collector = ChangelogCollector(history.config)
    found = history.run(collector)["v1.2.0"]
    (rendered,) = collector.render(found, PageContext(history.by_tag["v1.2.0"], "", {}))
    assert rendered.id == "security-changelog"
    body = rendered.body
    assert "<script" not in body and "<img" not in body
    assert 'href="https://nvd.nist.gov/vuln/detail/CVE-2026-1234"' in body
    assert 'href="https://osv.dev/vulnerability/PYSEC-2026-118"' in body
    assert "2 security entries" in body


def test_quiet_section_says_nothing_about_security(tmp_path: Path) -> None:
    root = build_repo(
        tmp_path / "r", [Step({"CHANGELOG.md": "## 1.0.0\n### Added\n- things\n"}, tag="v1.0.0")]
    )
    history = History(root)
    collector = ChangelogCollector(history.config)
    found = history.run(collector)["v1.0.0"]
    assert found.items[0].status is Status.PRESENT
    assert found.data["security"] == []
    (rendered,) = collector.render(found, PageContext(history.by_tag["v1.0.0"], "", {}))
    assert "says nothing about security" in rendered.body
    assert "No security entries for this release." in rendered.body


def test_unreadable_changelog_fails(tmp_path: Path) -> None:
    root = build_repo(
        tmp_path / "r", [Step({"docs/CHANGES.md": "## 1.0.0\n" + "- x\n" * 500}, tag="v1.0.0")]
    )
    history = History(root, {"changelog": {"path": "docs/CHANGES.md"}}, max_file_size=100)
    collector = ChangelogCollector(history.config)
    found = history.run(collector)["v1.0.0"]
    assert found.items[0].status is Status.FAILED
    assert "exceeds the limit of 100" in (found.items[0].reason or "")
    (rendered,) = collector.render(found, PageContext(history.by_tag["v1.0.0"], "", {}))
    assert "secdocs-failed" in rendered.body


def test_not_utf8_is_a_warning(tmp_path: Path) -> None:
    root = build_repo(
        tmp_path / "r",
        [
            Step(
                {"CHANGELOG.md": b"## 1.0.0\n### Security\n- caf\xe9 CVE-2026-1000\n"}, tag="v1.0.0"
            )
        ],
    )
    history = History(root)
    found = history.run(ChangelogCollector(history.config))["v1.0.0"]
    assert found.items[0].status is Status.PRESENT
    assert [p.severity for p in found.problems] == ["warning"]
    assert found.data["ids"] == ["CVE-2026-1000"]


@pytest.mark.parametrize(
    ("value", "key"),
    [
        (["CHANGELOG.md"], "changelog"),
        ({"path": 3}, "changelog.path"),
        ({"path": "/etc/passwd"}, "changelog.path"),
        ({"file": "x"}, "changelog.file"),
    ],
)
def test_bad_options(tmp_path: Path, value: object, key: str) -> None:
    with pytest.raises(ConfigError) as info:
        from_mapping({"changelog": value}, tmp_path)
    assert info.value.key == key
