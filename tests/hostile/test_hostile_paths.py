"""Hostile paths: ``..``, absolute paths, control characters and symlinks are refused with a
clear error, and a build never writes outside its site directory."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
from gitutil import Repo, new_repo

from secdocs.cli import main
from secdocs.collectors import ReleaseContext
from secdocs.config import from_mapping
from secdocs.errors import ConfigError, EvidenceError, UnsafePathError
from secdocs.evidence import scan
from secdocs.git import GitRepo
from secdocs.model import EvidenceFile, Kind
from secdocs.pipeline import open_run
from secdocs.safety import check_relative, check_segment, confined, read_limited

MKDOCS = """\
site_name: Paths
theme:
  name: material
  font: false
plugins:
  - secdocs:
      tags: "v*"
"""

BAD_SEGMENTS = (
    "..",
    ".",
    "",
    ".hidden",
    "-rf",
    "a/b",
    "a\\b",
    "/etc",
    "a\x00b",
    "a\nb",
    "a\rb",
    "tab\tname",
    "del\x7f",
    "esc\x1b[31m",
    "<script>",
    'quote"',
    "space name",
    "x" * 201,
    "\u202egnp.exe",
)
BAD_PATHS = (
    "../x",
    "a/../../x",
    "a/..",
    "/etc/passwd",
    "//host/share",
    "a\\..\\b",
    "a/\x00/b",
    "a\n/b",
    "",
    "C:\\windows",
)


@pytest.mark.parametrize("name", BAD_SEGMENTS)
def test_unsafe_names_are_refused_with_a_readable_reason(name: str) -> None:
    with pytest.raises(UnsafePathError) as caught:
        check_segment(name, "tag")
    message = caught.value.message
    assert "tag is not a safe path segment" in message
    # the hostile name is shown escaped in the message, never with raw control characters
    assert not any(ord(c) < 32 or c == "\x7f" for c in message)


@pytest.mark.parametrize("path", BAD_PATHS)
def test_unsafe_relative_paths_are_refused(path: str, tmp_path: Path) -> None:
    with pytest.raises(UnsafePathError):
        check_relative(path, "name")
    with pytest.raises(UnsafePathError):
        confined(tmp_path, path)


@pytest.mark.parametrize("path", ["../x", "/etc/passwd", "a/../../b", "a\x01b", "a\\b"])
@pytest.mark.parametrize(
    ("option", "key"),
    [("changelog", "changelog.path"), ("public_keys", "public_keys[0]"), ("tag_signers", "")],
)
def test_repository_paths_in_options_are_refused(
    path: str, option: str, key: str, tmp_path: Path
) -> None:
    value = {"path": path} if option == "changelog" else path
    with pytest.raises(ConfigError) as caught:
        from_mapping({option: value}, tmp_path)
    assert caught.value.key == (key or option)


@pytest.mark.parametrize("template", ["../{tag}", "/srv/{tag}", "a/../../{tag}", "{tag}/{x}"])
def test_evidence_template_cannot_leave_the_repository(template: str, tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        from_mapping({"evidence": template}, tmp_path)
    assert caught.value.key == "evidence"


def test_confined_refuses_a_symlink_that_leaves_the_root(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret").write_text("secret")
    root = tmp_path / "root"
    root.mkdir()
    (root / "link").symlink_to(outside / "secret")
    (root / "dir").symlink_to(outside)
    with pytest.raises(UnsafePathError, match="resolves outside"):
        confined(root, "link")
    with pytest.raises(UnsafePathError, match="resolves outside"):
        confined(root, "dir/secret")
    # read_limited never follows a final symlink either
    with pytest.raises(EvidenceError, match="cannot read"):
        read_limited(root / "link", 100)


def test_scan_refuses_symlinks_fifos_and_unsafe_names(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("do not publish")
    root = tmp_path / "evidence"
    root.mkdir()
    (root / "ok.cdx.json").write_text("{}")
    (root / "escape.cdx.json").symlink_to(outside / "secret.txt")
    (root / "dir-link").symlink_to(outside)
    (root / "relative.sig").symlink_to("../outside/secret.txt")
    (root / "ctl\x01name.json").write_text("{}")
    (root / "new\nline.json").write_text("{}")
    (root / "<img src=x onerror=alert(1)>.json").write_text("{}")
    (root / ".hidden").write_text("{}")
    os.mkfifo(root / "pipe.json")
    listing = scan(root, 1 << 20)
    assert [f.name for f in listing.files] == ["ok.cdx.json"]
    reasons = {r.name: r.reason for r in listing.rejected}
    assert reasons["escape.cdx.json"].startswith("symbolic link")
    assert reasons["dir-link"].startswith("symbolic link")
    assert reasons["relative.sig"].startswith("symbolic link")
    assert reasons["pipe.json"] == "not a regular file"
    for name in (
        "ctl\x01name.json",
        "new\nline.json",
        "<img src=x onerror=alert(1)>.json",
        ".hidden",
    ):
        assert reasons[name].startswith("unsafe file name"), name
    # the reason shows control characters escaped
    assert "\\x01" in reasons["ctl\x01name.json"] and "\x01" not in reasons["ctl\x01name.json"]


def test_release_context_read_stays_in_the_evidence_folder(tmp_path: Path) -> None:
    repo = new_repo(tmp_path / "p")
    repo.release("v1.0.0")
    (tmp_path / "secret").write_text("secret")
    root = repo.root / "evidence" / "v1.0.0"
    root.mkdir(parents=True)
    (root / "link.json").symlink_to(tmp_path / "secret")
    config = from_mapping({}, repo.root)
    run = open_run(config)
    try:
        ctx: ReleaseContext = run.context(run.releases[0])
        for name in ("../../../secret", "/etc/passwd", "link.json", "a\x00b"):
            with pytest.raises(EvidenceError):
                ctx.read(name)
        with pytest.raises(EvidenceError):
            ctx.read(EvidenceFile("../x", 1, "0" * 64, Kind.ARTIFACT))
    finally:
        run.repo.close()
    with GitRepo(repo.root) as git_repo:
        assert git_repo.read("v1.0.0", "../outside", 100) is None


def _project(tmp_path: Path) -> Repo:
    repo = new_repo(tmp_path / "project")
    repo.write("mkdocs.yml", MKDOCS)
    repo.write("docs/index.md", "# Paths\n")
    repo.release("v1.0.0")
    data = b"artifact"
    repo.evidence("v1.0.0", "a.tar.gz", data)
    repo.evidence("v1.0.0", "SHA256SUMS", f"{hashlib.sha256(data).hexdigest()}  a.tar.gz\n")
    return repo


def _listing(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*"))


def test_a_hostile_build_writes_only_into_its_site_dir(tmp_path: Path) -> None:
    repo = _project(tmp_path)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("TOP-SECRET-CONTENT")
    evidence = repo.root / "evidence" / "v1.0.0"
    (evidence / "leak.txt").symlink_to(outside / "secret.txt")
    (evidence / "..\\..\\escape.txt").write_text("backslashes")
    (evidence / "ctl\x1bname").write_text("x")
    sums = evidence / "SHA256SUMS"
    sums.write_text(
        sums.read_text()
        + f"{'0' * 64}  ../../../outside/secret.txt\n"
        + f"{'0' * 64}  /etc/passwd\n"
        + f"{'0' * 64}  ../../escape\n"
    )
    # unsafe tag names git accepts: refused, so no page path is ever made from them
    repo.tag("v9.0.0'onload='x")
    repo.tag('v9.1.0"x')
    site = tmp_path / "build" / "site"
    site.parent.mkdir()
    before_tmp = _listing(tmp_path)
    assert main(["build", "-f", str(repo.root / "mkdocs.yml"), "-d", str(site)]) == 0
    after_tmp = _listing(tmp_path)
    new = sorted(set(after_tmp) - set(before_tmp))
    assert new and all(p == "build/site" or p.startswith("build/site/") for p in new), new
    assert not any("escape" in p or "secret" in p or "passwd" in p for p in new)
    published = (site / "releases").iterdir()
    assert {p.name for p in published} == {"v1.0.0", "latest", "index.html"}
    for path in site.rglob("*"):
        if path.is_file():
            assert b"TOP-SECRET-CONTENT" not in path.read_bytes(), path


def test_tag_that_is_unsafe_is_reported_not_used(tmp_path: Path) -> None:
    repo = _project(tmp_path)
    repo.tag("v2.0.0'onmouseover='alert(1)'")
    run = open_run(from_mapping({}, repo.root))
    run.repo.close()
    assert [r.tag for r in run.releases] == ["v1.0.0"]
    [problem] = run.discovery.problems
    assert "not a safe path segment" in problem.message


def test_evidence_folder_behind_an_intermediate_symlink_is_refused(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    repo = _project(tmp_path)
    outside = tmp_path / "outside" / "v1.0.0"
    outside.mkdir(parents=True)
    (outside / "stolen.txt").write_text("TOP-SECRET-CONTENT")
    real = repo.root / "evidence"
    real.rename(repo.root / "evidence-real")
    real.symlink_to(tmp_path / "outside")
    site = tmp_path / "site"
    assert main(["build", "-f", str(repo.root / "mkdocs.yml"), "-d", str(site)]) == 0
    leaked = [p for p in site.rglob("*") if p.is_file() and b"TOP-SECRET" in p.read_bytes()]
    assert leaked == []
    assert "evidence is a symbolic link" in caplog.text
