"""The maintainer's flow end to end: init, build, collect, verify, and the demo's policy pages."""

from __future__ import annotations

import hashlib
import json
import re
import time
from pathlib import Path

import pytest
from gitutil import git, new_repo

from secdocs.cli import main
from secdocs.kinds.security_policy import securitytxt

SHA_PIN = re.compile(r"^[\w.-]+/[\w.-]+@[0-9a-f]{40}$")


def fill_in(mkdocs_yml: Path) -> None:
    text = mkdocs_yml.read_text()
    text = text.replace("contacts: []", "contacts: [security@acme.example]")
    text = text.replace("        site_url:\n", "        site_url: https://acme.example/w/\n")
    # this walk-through has no signed tags or SBOMs: strictness is checked elsewhere
    text = text.replace("      strict: true\n", "      strict: false\n")
    mkdocs_yml.write_text(text)


def test_init_then_build_on_a_fresh_repository(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    repo = new_repo(tmp_path / "widget")
    assert main(["init", str(repo.root)]) == 0
    config_file = str(repo.root / "mkdocs.yml")
    site = tmp_path / "site"
    assert main(["build", "-f", config_file, "-d", str(site)]) == 0
    for page in (
        "index.html",
        "security/policy/index.html",
        "security/reporting/index.html",
        "security/supported-versions/index.html",
        "metrics/index.html",
        "practices/index.html",
        "releases/index.html",
    ):
        assert (site / page).is_file(), page
    assert not (site / ".well-known" / "security.txt").exists()  # no contact yet

    # fill in the blanks, release, collect the outputs, rebuild
    fill_in(repo.root / "mkdocs.yml")
    repo.release("v1.0.0")
    artifact = tmp_path / "widget-1.0.0.tar.gz"
    artifact.write_bytes(b"release bytes")
    assert (
        main(["collect", "-f", config_file, "--tag", "v1.0.0", "--keep-binaries", str(artifact)])
        == 0
    )
    assert main(["policy", "-f", config_file, "--write"]) == 0
    # security.txt counts from the build time: a build dated a year ago has expired
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(time.time()) - 365 * 86_400))
    assert main(["verify", "-f", config_file]) == 1
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert main(["verify", "-f", config_file]) == 0
    site2 = tmp_path / "site2"
    assert main(["build", "-f", config_file, "-d", str(site2)]) == 0
    text = (site2 / ".well-known" / "security.txt").read_text()
    parsed = securitytxt.parse(text)
    assert parsed.errors == []
    assert parsed.values("Contact") == ["mailto:security@acme.example"]
    assert parsed.values("Canonical") == ["https://acme.example/w/.well-known/security.txt"]
    evidence = json.loads((site2 / "evidence.json").read_text())
    checks = {(i["kind"], i["path"]): i["status"] for i in evidence["releases"][0]["items"]}
    # the digest list secdocs wrote itself shows integrity since collection, not authenticity
    assert checks[("checksum", "widget-1.0.0.tar.gz")] == "present"
    assert checks[("checksums", "secdocs-digests.sha256")] == "present"
    assert (site2 / "releases" / "v1.0.0" / "files" / "widget-1.0.0.tar.gz").read_bytes() == (
        b"release bytes"
    )


def sums(folder: Path) -> str:
    return (folder / "secdocs-digests.sha256").read_text()


def test_collect_copies_and_refuses_to_overwrite(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = new_repo(tmp_path / "p")
    repo.write("mkdocs.yml", "site_name: p\nplugins:\n  - secdocs\n")
    repo.release("v1.0.0")
    config_file = str(repo.root / "mkdocs.yml")
    a, b = tmp_path / "a.whl", tmp_path / "b.cdx.json"
    a.write_bytes(b"wheel")
    b.write_bytes(b"{}")
    assert main(["collect", "-f", config_file, "--tag", "v1.0.0", str(a), str(b)]) == 0
    folder = repo.root / "evidence" / "v1.0.0"
    assert sums(folder) == (
        f"{hashlib.sha256(b'wheel').hexdigest()}  a.whl\n"
        f"{hashlib.sha256(b'{}').hexdigest()}  b.cdx.json\n"
    )
    # the binary is known by its digest only; the SBOM is kept
    assert sorted(p.name for p in folder.iterdir()) == ["b.cdx.json", "secdocs-digests.sha256"]
    a.write_bytes(b"tampered")
    capsys.readouterr()
    assert main(["collect", "-f", config_file, "--tag", "v1.0.0", str(b)]) == 2
    assert "evidence is immutable" in capsys.readouterr().err
    assert (folder / "b.cdx.json").read_bytes() == b"{}"
    c = tmp_path / "c.txt"
    c.write_text("new")
    # the digest list exists already
    assert main(["collect", "-f", config_file, "--tag", "v1.0.0", str(c)]) == 2
    assert not (folder / "c.txt").exists()
    assert main(["collect", "-f", config_file, "--tag", "v9.9.9", str(c)]) == 2  # no such tag
    assert main(["collect", "-f", config_file, "--tag", "v1.0.0", "--replace", str(c)]) == 2


@pytest.mark.parametrize("case", ["dup", "sums", "dir", "tag", "missing"])
def test_collect_rejects_bad_input(tmp_path: Path, case: str) -> None:
    repo = new_repo(tmp_path / "p")
    repo.write("mkdocs.yml", "site_name: p\nplugins:\n  - secdocs\n")
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "f.txt").write_text("1")
    (tmp_path / "f.txt").write_text("2")
    repo.release("v1")
    (tmp_path / "secdocs-digests.sha256").write_text("")
    args = {
        "dup": ["--tag", "v1", str(tmp_path / "f.txt"), str(tmp_path / "x" / "f.txt")],
        "sums": ["--tag", "v1", str(tmp_path / "secdocs-digests.sha256")],
        "dir": ["--tag", "v1", str(tmp_path / "x")],
        "tag": ["--tag", "../v1", str(tmp_path / "f.txt")],
        "missing": ["--tag", "v1", str(tmp_path / "nope")],
    }[case]
    assert main(["collect", "-f", str(repo.root / "mkdocs.yml"), *args]) == 2
    assert not (repo.root / "evidence").exists()


VERIFY_YML = """\
site_name: p
plugins:
  - secdocs:
      security:
        contacts: [security@acme.example]
        expires_days: 100
"""


def test_verify_warns_then_fails_on_security_txt_expiry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from datetime import UTC, datetime, timedelta

    repo = new_repo(tmp_path / "p")
    repo.write("mkdocs.yml", VERIFY_YML)
    repo.release("v1.0.0")
    config_file = str(repo.root / "mkdocs.yml")
    now = datetime.now(UTC)
    # built 80 days ago with a 100-day lifetime: 20 days left
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int((now - timedelta(days=80)).timestamp())))
    capsys.readouterr()
    assert main(["verify", "-f", config_file]) == 0
    assert "security.txt (generated): security.txt expires on" in capsys.readouterr().err
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int((now - timedelta(days=101)).timestamp())))
    assert main(["verify", "-f", config_file]) == 1
    assert "error: security.txt (generated): security.txt expired on" in (capsys.readouterr().err)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(now.timestamp())))
    assert main(["verify", "-f", config_file]) == 0
    assert capsys.readouterr().err == ""
    # a committed copy that has expired fails too
    repo.write(
        "docs/.well-known/security.txt",
        "Contact: mailto:a@b.example\nExpires: 2020-01-01T00:00:00Z\n",
    )
    assert main(["verify", "-f", config_file]) == 1
    assert "docs/.well-known/security.txt: security.txt expired on 2020-01-01" in (
        capsys.readouterr().err
    )


def test_demo_has_policy_pages_and_passes_the_drift_check(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import secdocs.demo as demo
    from secdocs.config import load_mkdocs_yml
    from secdocs.demo import policy as demo_policy
    from secdocs.site import build_site

    base = demo.contributors()
    if demo_policy.CONTRIBUTOR not in base:
        monkeypatch.setattr(demo, "contributors", lambda: [*base, demo_policy.CONTRIBUTOR])
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(demo.RELEASES[-1].date.timestamp())))
    root = demo.create_project(tmp_path / "demo")
    assert main(["policy", "-f", str(root / "mkdocs.yml"), "--check"]) == 0
    config, _ = load_mkdocs_yml(root / "mkdocs.yml")
    site = build_site(config, "widget")
    for page in (
        "security/policy.md",
        "security/reporting.md",
        "security/supported-versions.md",
        "security/advisories.md",
        "metrics.md",
        "practices.md",
    ):
        assert page in site.pages
    parsed = securitytxt.parse(site.files[".well-known/security.txt"].decode())
    assert parsed.errors == []
    assert parsed.values("Expires") == ["2027-04-10T13:00:00Z"]  # 2026-10-12 13:00 + 180 days
    assert b"schema-version: 2.0.0" in site.files["SECURITY-INSIGHTS.yml"]
    assert (
        '<td>2.0.x</td><td><span class="secdocs-badge secdocs-verified">'
        '<span class="secdocs-icon" aria-hidden="true"></span>supported'
        in (site.pages["security/supported-versions.md"])
    )
    assert "Scan logs of hosted instances" in site.pages["security/advisories.md"]
    for chart in ("coverage", "time-to-fix", "risk-acceptances", "freshness"):
        assert f"metrics/{chart}.svg" in site.files
    again = build_site(config, "widget")
    assert again.pages == site.pages and again.files == site.files
    git(root, "status")  # the repository is intact
