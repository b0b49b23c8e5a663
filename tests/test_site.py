"""The spine end to end: a real repository, a real ``mkdocs build``, the published files."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import jsonschema_rs
import pytest
from gitutil import Repo, new_repo

from secdocs.cli import main
from secdocs.render.json import schema

MKDOCS_YML = """\
site_name: Acme widget
theme:
  name: material
plugins:
  - search
  - secdocs:
      tags: "v*"
{extra}
"""


def make_project(tmp_path: Path, extra: str = "") -> Repo:
    repo = new_repo(tmp_path / "project")
    repo.write("mkdocs.yml", MKDOCS_YML.format(extra=extra))
    repo.write("docs/index.md", "# Acme widget\n\nSecurity evidence.\n")
    for tag, payload in (("v1.0.0", b"one"), ("v1.1.0", b"two"), ("v2.0.0-rc.1", b"three")):
        repo.release(tag, message=f"widget {tag}")
        name = f"widget-{tag}.tar.gz"
        repo.evidence(tag, name, payload)
        digest = hashlib.sha256(payload).hexdigest()
        repo.evidence(tag, "SHA256SUMS", f"{digest}  {name}\n")
    repo.release("v0.1.0", message=None)  # no evidence folder at all
    repo.evidence("v1.1.0", "report.html", "<script>alert(1)</script>")
    return repo


def build(repo: Repo, site: Path) -> int:
    return main(["build", "-f", str(repo.root / "mkdocs.yml"), "-d", str(site)])


def tree(root: Path) -> dict[str, bytes]:
    files = sorted(p for p in root.rglob("*") if p.is_file())
    return {str(p.relative_to(root)): p.read_bytes() for p in files}


def test_build_publishes_release_pages_index_and_json(tmp_path: Path) -> None:
    repo = make_project(tmp_path)
    site = tmp_path / "site"
    assert build(repo, site) == 0

    for tag in ("v0.1.0", "v1.0.0", "v1.1.0", "v2.0.0-rc.1"):
        assert (site / "releases" / tag / "index.html").is_file()
    latest = (site / "releases" / "latest" / "index.html").read_text()
    assert "v1.1.0" in latest and "latest" in latest

    index = json.loads((site / "evidence.json").read_text())
    jsonschema_rs.validator_for(schema()).validate(index)
    assert [r["tag"] for r in index["releases"]] == ["v2.0.0-rc.1", "v1.1.0", "v1.0.0", "v0.1.0"]
    assert index["latest"] == "v1.1.0"
    by_tag = {r["tag"]: r for r in index["releases"]}
    assert by_tag["v0.1.0"]["status"] == "missing"
    assert by_tag["v2.0.0-rc.1"]["prerelease"] is True
    checks = {(i["kind"], i["path"]): i["status"] for i in by_tag["v1.0.0"]["items"]}
    assert checks[("checksum", "widget-v1.0.0.tar.gz")] == "verified"
    assert by_tag["v1.0.0"]["previous"] == "v0.1.0" and by_tag["v1.0.0"]["next"] == "v1.1.0"

    single = json.loads((site / "releases" / "v1.0.0" / "evidence.json").read_text())
    jsonschema_rs.validator_for(schema()).validate(single)
    assert single["releases"][0] == by_tag["v1.0.0"]

    versions = json.loads((site / "versions.json").read_text())
    assert versions[0] == {"version": "v2.0.0-rc.1", "title": "v2.0.0-rc.1 (pre-release)",
                           "aliases": []}
    assert {"version": "v1.1.0", "title": "v1.1.0", "aliases": ["latest"]} in versions

    # Evidence files are published under the release; a scriptable one only as inert text.
    files = site / "releases" / "v1.1.0" / "files"
    assert (files / "widget-v1.1.0.tar.gz").read_bytes() == b"two"
    assert (files / "report.html.txt").read_text() == "<script>alert(1)</script>"
    assert not (files / "report.html").exists()
    page = (site / "releases" / "v1.1.0" / "index.html").read_text()
    assert "<script>alert(1)</script>" not in page
    assert "report.html.txt" in page
    assert (site / "assets" / "secdocs" / "secdocs.css").is_file()
    assert "assets/secdocs/secdocs.css" in page


def test_release_pages_stay_out_of_the_navigation(tmp_path: Path) -> None:
    repo = make_project(tmp_path)
    site = tmp_path / "site"
    assert build(repo, site) == 0
    home = (site / "index.html").read_text()
    assert 'href="releases/"' in home
    for tag in ("v1.0.0", "v1.1.0", "latest"):
        assert f'href="releases/{tag}/"' not in home


def test_builds_are_byte_identical(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    repo = make_project(tmp_path)
    assert build(repo, tmp_path / "one") == 0
    assert build(repo, tmp_path / "two") == 0
    assert tree(tmp_path / "one") == tree(tmp_path / "two")


def test_strict_fails_the_build_on_failed_evidence(tmp_path: Path) -> None:
    repo = make_project(tmp_path, extra="      strict: true")
    (repo.root / "evidence" / "v1.0.0" / "widget-v1.0.0.tar.gz").write_bytes(b"tampered")
    assert build(repo, tmp_path / "site") == 2


def test_bad_plugin_option_is_a_config_error(tmp_path: Path) -> None:
    repo = make_project(tmp_path, extra="      evidence: ../../{tag}")
    assert build(repo, tmp_path / "site") == 2


def test_explicit_nav_gets_the_releases_entry_and_flat_urls_work(tmp_path: Path) -> None:
    repo = make_project(tmp_path)
    text = (repo.root / "mkdocs.yml").read_text()
    (repo.root / "mkdocs.yml").write_text(
        text + "nav:\n  - Home: index.md\n  - Old: releases/v1.0.0/index.md\n"
        "use_directory_urls: false\n"
    )
    site = tmp_path / "site"
    assert build(repo, site) == 0
    home = (site / "index.html").read_text()
    assert 'href="releases/index.html"' in home
    assert 'href="releases/v1.0.0/index.html"' not in home
    page = (site / "releases" / "v1.1.0" / "index.html").read_text()
    assert 'href="../v1.0.0/index.html"' in page  # previous release
    assert 'href="files/widget-v1.1.0.tar.gz"' in page


def test_generated_pages_replace_docs_files_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    repo = make_project(tmp_path)
    repo.write("docs/releases/index.md", "# hand-written")
    assert build(repo, tmp_path / "site") == 0
    assert "replaced by the generated one" in caplog.text
    assert "hand-written" not in (tmp_path / "site" / "releases" / "index.html").read_text()


def test_delta_sources_in_docs_are_not_built_as_raw_pages(tmp_path: Path) -> None:
    repo = make_project(tmp_path)
    repo.write("docs/threat-model/deltas/1.0.0.md", "# delta\n\n<script>alert(1)</script>\n")
    repo.write("docs/threat-model/index.md", "# Threat model\n")
    assert build(repo, tmp_path / "site") == 0
    assert not (tmp_path / "site" / "threat-model" / "deltas").exists()
    assert (tmp_path / "site" / "threat-model" / "index.html").is_file()
