"""Advisories: front matter, hostile files, overdue follow-ups, links both ways with releases."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from secdocs.errors import SecdocsError
from secdocs.kinds.advisories import collect as advisories_collect
from secdocs.kinds.advisories import render as advisories_render
from secdocs.kinds.advisories.model import load_folder, parse, split_front_matter
from secdocs.render.pages import release_page_path
from secdocs.site import SiteContent

from ..reports import config, release, report

ADVISORY = """---
id: WIDGET-2026-001
title: Token leak
severity: high
affected: ">=1.1.0,<1.2.1"
fixed_in: v1.2.1
published: 2026-08-03
follow_ups:
  - {action: Regression test, owner: ada, due: 2026-08-31, done: true}
  - {action: Scan logs, owner: ops, due: 2026-09-30}
  - {action: Rotate keys, owner: ops}
---
Upgrade to **1.2.1**. <script>alert(1)</script> [x](javascript:alert(1))
"""

RELEASES = [
    release("v1.0.0", "2026-03-02"),
    release("v1.1.0", "2026-04-20"),
    release("v1.2.0-rc.1", "2026-06-01", prerelease=True),
    release("v1.2.0", "2026-06-15"),
    release("v1.2.1", "2026-08-03"),
]


def test_front_matter_is_parsed() -> None:
    advisory = parse(ADVISORY, "adv/a.md")
    assert advisory.id == "WIDGET-2026-001" and advisory.severity == "high"
    assert [r.tag for r in RELEASES if advisory.affects(r)] == ["v1.1.0", "v1.2.0-rc.1", "v1.2.0"]
    overdue = [f.action for f in advisory.follow_ups if f.overdue(date(2026, 10, 1))]
    assert overdue == ["Scan logs"]  # done ones and undated ones are never overdue
    assert [f.overdue(None) for f in advisory.follow_ups] == [False, False, False]
    listed = parse(ADVISORY.replace('">=1.1.0,<1.2.1"', "[v1.0.0]"), "b.md")
    assert [r.tag for r in RELEASES if listed.affects(r)] == ["v1.0.0"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("no front matter", "no YAML front matter"),
        ("---\nid: [unclosed\n---\n", "invalid front matter"),
        ("---\n- a list\n---\n", "must be a mapping"),
        ("---\ntitle: no id\n---\n", "id: is required"),
        ("---\nid: X\nseverity: apocalyptic\n---\n", "severity"),
        ("---\nid: X\naffected: '=>1'\n---\n", "not a version specifier"),
        ("---\nid: X\naffected: 3\n---\n", "affected"),
        ("---\nid: X\nkind: rumour\n---\n", "kind"),
        ("---\nid: X\npublished: yesterday\n---\n", "published"),
        ("---\nid: X\nfollow_ups: [{action: a}]\n---\n", "needs an action and an owner"),
        ("---\nid: X\nfollow_ups: [{action: a, owner: b, done: maybe}]\n---\n", "done"),
        ("---\nid: X\nfollow_ups: nope\n---\n", "expected a list"),
        ("---\nid: X\naliases: CVE-1\n---\n", "aliases"),
        ("---\nid: {a: b}\n---\n", "expected text"),
    ],
)
def test_bad_advisories_name_the_file_and_key(text: str, message: str) -> None:
    with pytest.raises(SecdocsError, match=message) as caught:
        parse(text, "adv/bad.md")
    assert "adv/bad.md" in str(caught.value)


def test_unterminated_front_matter() -> None:
    assert split_front_matter("---\nid: x\n") is None


def test_folder_loading_reports_bad_files(tmp_path: Path) -> None:
    folder = tmp_path / "adv"
    folder.mkdir()
    (folder / "a.md").write_text(ADVISORY)
    (folder / "b.md").write_text(ADVISORY)  # same id
    (folder / "c.md").write_bytes(b"---\nid: \xff\n---\n")
    (folder / "d.md").write_text("nothing")
    (folder / "index.md").write_text("ignored")
    (folder / "notes.txt").write_text("ignored")
    (folder / "link.md").symlink_to(tmp_path / "outside.md")
    (tmp_path / "outside.md").write_text(ADVISORY.replace("WIDGET", "OUT"))
    advisories, problems = load_folder(tmp_path, "adv")
    assert [a.id for a in advisories] == ["WIDGET-2026-001"]
    messages = sorted(str(p) for p in problems)
    assert any("adv/b.md" in m and "duplicate advisory id" in m for m in messages)
    assert any("adv/c.md" in m and "not UTF-8" in m for m in messages)
    assert any("adv/d.md" in m and "no YAML front matter" in m for m in messages)
    assert any("adv/link.md" in m for m in messages)  # symlinks are not followed
    assert load_folder(tmp_path, "missing")[1][0].severity == "warning"
    assert load_folder(tmp_path, "../x")[0] == []


def test_page_and_release_cross_links(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790812800")  # 2026-10-01
    (tmp_path / "adv").mkdir()
    (tmp_path / "adv" / "a.md").write_text(ADVISORY)
    (tmp_path / "adv" / "r.md").write_text(
        "---\nid: PIR-1\nkind: review\nfixed_in: v9.9.9\n---\nReview.\n"
    )
    reports = [report(r) for r in reversed(RELEASES)]
    site = SiteContent()
    for r in RELEASES:
        site.pages[release_page_path(r.tag)] = f"# {r.tag}\n"
    advisories_collect.contribute(config(tmp_path, {"advisories": "adv"}), reports, site, True)
    page = site.pages["security/advisories.md"]
    assert ("Advisories", "security/advisories.md") in site.nav
    assert "<script>" not in page and 'href="javascript' not in page
    assert "1 follow-up(s) are past their due date on 2026-10-01" in page
    assert '<a href="../../releases/v1.2.1/">v1.2.1</a>' in page
    assert "v9.9.9 (no such release)" in page
    assert 'id="adv-widget-2026-001"' in page
    fixing = site.pages[release_page_path("v1.2.1")]
    assert "fixes" in fixing and "../../security/advisories/&#35;adv-widget-2026-001" in fixing
    assert "affected by" in site.pages[release_page_path("v1.1.0")]
    assert site.pages[release_page_path("v1.0.0")] == "# v1.0.0\n"


def test_no_advisories_folder_configured(tmp_path: Path) -> None:
    site = SiteContent()
    advisories_collect.contribute(config(tmp_path, {}), [], site, True)
    assert site.pages == {}
    assert "No advisory has been published." in advisories_render.page([], [], None, True)
