"""The security: block, supported versions, SECURITY.md and its drift check, the policy pages."""

from __future__ import annotations

from datetime import UTC, date
from pathlib import Path
from typing import Any

import pytest
from gitutil import new_repo

from secdocs.cli import main
from secdocs.config import from_mapping
from secdocs.errors import ConfigError
from secdocs.kinds.security_policy import securitymd, supported
from secdocs.kinds.security_policy.collect import contribute, outputs
from secdocs.kinds.security_policy.model import Support, load, parse
from secdocs.model import Problem
from secdocs.site import SiteContent

from ..reports import POLICY, config, release, report


@pytest.mark.parametrize(
    ("block", "key"),
    [
        ({"bogus": 1}, "security.bogus"),
        ({"contacts": ["ftp://x"]}, "security.contacts[0]"),
        ({"contacts": "x@y.example"} | {"encryption": "http://k"}, "security.encryption"),
        ({"preferred_languages": ["en us"]}, "security.preferred_languages"),
        ({"site_url": "http://insecure.example/"}, "security.site_url"),
        ({"disclosure": {"fix_days": {"urgent": 1}}}, "security.disclosure.fix_days.urgent"),
        ({"disclosure": {"triage_days": -1}}, "security.disclosure.triage_days"),
        ({"disclosure": {"bug_bounty": "yes"}}, "security.disclosure.bug_bounty"),
        ({"disclosure": {"extra": 1}}, "security.disclosure.extra"),
        ({"support": {"majors": 0}}, "security.support.majors"),
        ({"support": {"end_of_life": {"one": "2026-01-01"}}}, "security.support.end_of_life.one"),
        ({"support": {"end_of_life": {"1": "soon"}}}, "security.support.end_of_life.1"),
        ({"advisories": "../outside"}, "security.advisories"),
        ({"insights": {"status": "thriving"}}, "security.insights.status"),
        ({"insights": {"administrators": [{"email": "x"}]}}, "security.insights.administrators[0]"),
        ({"expires_days": True}, "security.expires_days"),
        ({"security_md": "../SECURITY.md"}, "security.security_md"),
        ({"disclosure": "fast"}, "security.disclosure"),
        ({"disclosure": {"fix_days": [1]}}, "security.disclosure.fix_days"),
        ({"disclosure": {"credit": 5}}, "security.disclosure.credit"),
        ({"support": "latest"}, "security.support"),
        ({"support": {"lts": True}}, "security.support.lts"),
        ({"support": {"end_of_life": ["1"]}}, "security.support.end_of_life"),
        ({"support": {"note": ["x"]}}, "security.support.note"),
        ({"insights": "yes"}, "security.insights"),
        ({"insights": {"stars": 5}}, "security.insights.stars"),
        ({"insights": {"accepts_change_request": "y"}}, "security.insights.accepts_change_request"),
        ({"insights": {"administrators": "ada"}}, "security.insights.administrators"),
        (
            {"insights": {"administrators": [{"name": "a", "email": "no-at"}]}},
            "security.insights.administrators[0].email",
        ),
        (
            {"insights": {"administrators": [{"name": "a", "affiliation": 3}]}},
            "security.insights.administrators[0].affiliation",
        ),
        ({"encryption": 42}, "security.encryption"),
        ({"contacts": {"a": "b"}}, "security.contacts"),
        ({"security_md": "/etc/SECURITY.md"}, "security.security_md"),
    ],
)
def test_bad_values_name_their_key(block: dict[str, Any], key: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse(block, "widget")
    assert caught.value.key == key


def test_values_are_normalised() -> None:
    from datetime import datetime

    policy = parse(
        {
            "contacts": "security@acme.example",
            "preferred_languages": "en, de",
            "support": {"end_of_life": {1: datetime(2027, 1, 1, 23, 0, tzinfo=UTC)}},
            "insights": {"administrators": ["Ada"]},
        },
        "w",
    )
    assert policy.contacts == ("mailto:security@acme.example",)
    assert policy.preferred_languages == ("en", "de")
    assert policy.support.end_of_life == {"1": date(2027, 1, 1)}
    assert policy.insights.core_team[0].name == "Ada"


def test_block_from_a_file(tmp_path: Path) -> None:
    (tmp_path / "security.yml").write_text("contacts: [security@acme.example]\nexpires_days: 30\n")
    policy = load(config(tmp_path, {"file": "security.yml", "expires_days": 60}))
    assert policy is not None
    assert policy.contacts == ("mailto:security@acme.example",)
    assert policy.expires_days == 60  # the config block wins over the file
    (tmp_path / "nested.yml").write_text("file: other.yml\n")
    with pytest.raises(ConfigError, match="must not name another file"):
        load(config(tmp_path, {"file": "nested.yml"}))
    (tmp_path / "bad.yml").write_text("contacts: [unclosed\n")
    with pytest.raises(ConfigError, match="invalid YAML"):
        load(config(tmp_path, {"file": "bad.yml"}))
    with pytest.raises(ConfigError, match=r"security\.file"):
        load(config(tmp_path, {"file": "../etc/passwd"}))
    (tmp_path / "list.yml").write_text("- a\n")
    with pytest.raises(ConfigError, match="expected a mapping"):
        load(config(tmp_path, {"file": "list.yml"}))
    with pytest.raises(ConfigError, match="expected the path"):
        load(config(tmp_path, {"file": 3}))
    assert load(config(tmp_path)) is None
    with pytest.raises(ConfigError):
        load(from_mapping({"security": ["not", "a", "mapping"]}, tmp_path))


def test_supported_versions_from_tags_and_policy() -> None:
    releases = [
        release("v0.9.0", "2025-06-01"),
        release("v1.0.0", "2025-09-01"),
        release("v1.1.0", "2025-12-01"),
        release("v1.1.1", "2026-01-01"),
        release("v2.0.0-rc.1", "2026-02-01", prerelease=True),
        release("v2.0.0", "2026-03-01"),
        release("v2.1.0", "2026-04-01"),
    ]
    rows = supported.series(releases, Support(majors=2, minors=1), date(2026, 4, 2))
    assert [(r.label, r.latest.tag, r.supported) for r in rows] == [
        ("2.1.x", "v2.1.0", True),
        ("2.0.x", "v2.0.0", False),
        ("1.1.x", "v1.1.1", True),
        ("1.0.x", "v1.0.0", False),
        ("0.9.x", "v0.9.0", False),
    ]
    eol = Support(majors=2, minors=2, end_of_life={"1": date(2026, 3, 1), "2.0": date(2027, 1, 1)})
    rows = supported.series(releases, eol, date(2026, 4, 2))
    assert {r.label: r.why for r in rows}["1.1.x"] == "end of life since 2026-03-01"
    assert {r.label: (r.supported, r.end_of_life) for r in rows}["2.0.x"] == (
        True,
        date(2027, 1, 1),
    )
    # without a build date no end-of-life date can have passed
    assert {r.label: r.supported for r in supported.series(releases, eol, None)}["1.1.x"]


def test_security_md_has_the_sections_github_recognises() -> None:
    releases = [release("v1.0.0", "2025-09-01"), release("v2.0.0", "2026-03-01")]
    text = securitymd.render(parse(POLICY, "widget"), releases, release("x", "2026-04-01").date)
    assert text.startswith("# Security Policy\n")
    assert "## Supported Versions" in text and "## Reporting a Vulnerability" in text
    assert "| 2.0.x | :white_check_mark: | v2.0.0 |  |" in text
    assert "| 1.0.x | :x: | v1.0.0 | 2026-03-01 |" in text  # end of life passed
    assert "Email: [security@acme.example](<mailto:security@acme.example>)" in text
    assert "GitHub private vulnerability reporting:" in text
    assert "We aim to fix critical issues within 7 days." in text


def test_security_md_escapes_markdown() -> None:
    policy = parse(
        {**POLICY, "disclosure": {"credit": "<script>x</script> [a](javascript:x)"}}, "w"
    )
    text = securitymd.render(policy, [], None)
    assert "<script>" not in text and "](javascript" not in text
    assert "No stable release has been published yet." in text
    assert securitymd.md_link("x", "javascript:alert(1)") == "x"


MKDOCS = """\
site_name: widget
plugins:
  - secdocs:
      security:
        contacts: [security@acme.example]
        support: {majors: 1}
"""


def test_policy_write_then_check_catches_a_hand_edit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    repo = new_repo(tmp_path / "project")
    repo.write("mkdocs.yml", MKDOCS)
    repo.release("v1.0.0")
    repo.release("v1.1.0")
    config_file = str(repo.root / "mkdocs.yml")
    assert main(["policy", "-f", config_file, "--check"]) == 1  # no SECURITY.md yet
    assert main(["policy", "-f", config_file, "--write"]) == 0
    assert main(["policy", "-f", config_file, "--check"]) == 0
    security_md = repo.root / "SECURITY.md"
    assert "| 1.1.x | :white_check_mark: | v1.1.0 |" in security_md.read_text()
    security_md.write_text(security_md.read_text().replace(":x:", ":white_check_mark:"))
    capsys.readouterr()
    assert main(["policy", "-f", config_file, "--check"]) == 1
    out = capsys.readouterr()
    assert "-| 1.0.x | :white_check_mark:" in out.out and "+| 1.0.x | :x:" in out.out
    assert "secdocs policy --write" in out.err
    # a new release makes the committed file stale too
    assert main(["policy", "-f", config_file, "--write"]) == 0
    repo.release("v1.2.0")
    assert main(["policy", "-f", config_file, "--check"]) == 1


def test_security_md_in_the_github_folder(tmp_path: Path) -> None:
    repo = new_repo(tmp_path / "project")
    repo.write("mkdocs.yml", MKDOCS + "        security_md: .github/SECURITY.md\n")
    repo.release("v1.0.0")
    config_file = str(repo.root / "mkdocs.yml")
    assert main(["policy", "-f", config_file, "--write"]) == 0
    assert (repo.root / ".github" / "SECURITY.md").read_text().startswith("# Security Policy")
    assert main(["policy", "-f", config_file, "--check"]) == 0
    (repo.root / ".github" / "SECURITY.md").unlink()
    (repo.root / ".github" / "SECURITY.md").symlink_to(tmp_path / "elsewhere.md")
    assert main(["policy", "-f", config_file, "--write"]) == 2
    assert not (tmp_path / "elsewhere.md").exists()


def test_policy_needs_a_security_block(tmp_path: Path) -> None:
    repo = new_repo(tmp_path / "project")
    repo.write("mkdocs.yml", "site_name: x\nplugins:\n  - secdocs\n")
    assert main(["policy", "-f", str(repo.root / "mkdocs.yml"), "--check"]) == 2
    assert main(["policy", "-f", str(repo.root / "mkdocs.yml")]) == 2  # --write or --check


def test_site_pages_and_files(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1775001600")  # 2026-04-01
    reports = [report(release("v2.0.0", "2026-03-01")), report(release("v1.0.0", "2025-09-01"))]
    site = SiteContent()
    hostile = {
        **POLICY,
        "project": "<script>alert(1)</script>",
        "support": {**POLICY["support"], "note": "<b>x</b>"},
    }
    contribute(config(tmp_path, hostile), reports, site, True)
    assert set(site.pages) == {
        "security/policy.md",
        "security/reporting.md",
        "security/supported-versions.md",
    }
    assert [title for title, _ in site.nav] == [
        "Security policy",
        "Reporting a vulnerability",
        "Supported versions",
    ]
    assert set(site.files) == {".well-known/security.txt", "SECURITY-INSIGHTS.yml"}
    assert b"Expires: 2026-10-18T00:00:00Z" in site.files[".well-known/security.txt"]
    for body in site.pages.values():
        assert "<script>" not in body and "<b>x</b>" not in body
    assert '<a href="../../.well-known/security.txt">' in site.pages["security/policy.md"]
    assert 'href="mailto&#58;security@acme.example"' in site.pages["security/reporting.md"]
    supported_page = site.pages["security/supported-versions.md"]
    assert '<a href="../../releases/v2.0.0/">v2.0.0</a>' in supported_page
    assert "end of life since 2026-03-01" in supported_page
    # a build dated 2026-04-01 publishes a file that expired on 2026-10-18: the build says so
    # (and the policy's site_url has a path, where RFC 9116 readers do not look)
    assert [(p.path, p.severity) for p in site.problems] == [
        (".well-known/security.txt", "error"),
        (".well-known/security.txt", "warning"),
    ]
    assert "expired on 2026-10-18" in site.problems[0].message


def test_incomplete_policy_is_reported_not_invented(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    policy = parse({}, "widget")
    out = outputs(policy, [])
    assert out.security_txt is None and out.insights_yml is None
    # no contacts (an error); no date for SECURITY-INSIGHTS.yml (a warning)
    assert [p.severity for p in out.problems] == ["error", "warning"]
    out = outputs(policy, [release("v1.0.0", "2026-01-01")])
    assert out.security_txt is None
    assert Problem("security.txt not published: security.contacts is empty", "security") in (
        out.problems
    )
    site = SiteContent()
    contribute(config(tmp_path), [], site, False)  # no security: block, no pages
    assert site.pages == {}


def test_failed_signing_publishes_unsigned_with_an_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    out = outputs(parse({**POLICY, "signing_key": "k"}, "w"), [release("v1.0.0", "2026-01-01")])
    assert out.security_txt is not None and out.security_txt.startswith("# security.txt")
    assert any("gpg is not installed" in p.message for p in out.problems)
