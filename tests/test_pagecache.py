"""Finished release pages from the cache: a cached build is byte-identical to a clean build."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import shutil
from pathlib import Path

import pytest
from gitutil import Repo
from test_site import build, make_project, tree

from secdocs.collectors import PageContext
from secdocs.model import Problem
from secdocs.pagecache import _MARKDOWN_LINK, EncodedRelease, document_text
from secdocs.progress import ENV
from secdocs.render import json as evidence_json
from secdocs.render.pages import ReleasePageInput

CACHE = ".secdocs-cache"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Repo:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    monkeypatch.setenv(ENV, "1")
    return make_project(tmp_path, extra=f"      cache_dir: {CACHE}")


def from_cache(output: str) -> int:
    """The ``pages: N from the cache`` count of the last build."""
    lines = [line for line in output.splitlines() if "from the cache" in line]
    return int(lines[-1].split("pages: ")[1].split()[0])


def clean_build(repo: Repo, site: Path) -> dict[str, bytes]:
    """A build of the same inputs with no cache at all."""
    cache = repo.root / CACHE
    kept = cache.with_name("kept-cache")
    cache.rename(kept)
    try:
        assert build(repo, site) == 0
    finally:
        shutil.rmtree(cache, ignore_errors=True)
        kept.rename(cache)
    return tree(site)


def add_tag(repo: Repo, tag: str) -> None:
    repo.release(tag, message=f"widget {tag}")
    name = f"widget-{tag}.tar.gz"
    repo.evidence(tag, name, b"four")
    repo.evidence(tag, "SHA256SUMS", f"{hashlib.sha256(b'four').hexdigest()}  {name}\n")


def test_rebuild_after_a_new_tag_is_identical_to_a_clean_build(
    project: Repo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert build(project, tmp_path / "first") == 0
    assert from_cache(capsys.readouterr().err) == 0
    add_tag(project, "v1.2.0")
    assert build(project, tmp_path / "warm") == 0
    # v0.1.0 and v1.0.0 come from the cache; v1.1.0 (whose page links to the new tag), the
    # pre-release after it and the new tag are rendered
    assert from_cache(capsys.readouterr().err) == 2
    assert tree(tmp_path / "warm") == clean_build(project, tmp_path / "clean")


def test_unchanged_rebuild_serves_every_release_page(
    project: Repo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert build(project, tmp_path / "first") == 0
    assert build(project, tmp_path / "warm") == 0
    assert from_cache(capsys.readouterr().err) == 4
    assert tree(tmp_path / "warm") == tree(tmp_path / "first")
    search = json.loads((tmp_path / "warm" / "search" / "search_index.json").read_text())
    assert any(d["location"].startswith("releases/v1.0.0/") for d in search["docs"])


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("theme:\n  name: material\n", "theme:\n  name: material\n  features: [toc.integrate]\n"),
        (
            "site_name: Acme widget\n",
            "site_name: Acme widget\nextra:\n  version: {provider: mike}\n",
        ),
        ("site_name: Acme widget\n", "site_name: Acme gadget\n"),
        ("  - search\n", "  - search:\n      separator: '[\\s]+'\n"),
    ],
    ids=["theme-features", "extra", "site-name", "search-config"],
)
def test_a_changed_theme_or_site_wide_input_invalidates_cached_pages(
    project: Repo, tmp_path: Path, capsys: pytest.CaptureFixture[str], old: str, new: str
) -> None:
    assert build(project, tmp_path / "first") == 0
    yml = project.root / "mkdocs.yml"
    assert old in yml.read_text()
    yml.write_text(yml.read_text().replace(old, new))
    assert build(project, tmp_path / "warm") == 0
    assert from_cache(capsys.readouterr().err) == 0
    assert tree(tmp_path / "warm") == clean_build(project, tmp_path / "clean")


def test_a_changed_custom_dir_invalidates_cached_pages(
    project: Repo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    overrides = project.root / "overrides"
    overrides.mkdir()
    (overrides / "main.html").write_text('{% extends "base.html" %}\n')
    yml = project.root / "mkdocs.yml"
    yml.write_text(
        yml.read_text().replace("  name: material\n", "  name: material\n  custom_dir: overrides\n")
    )
    assert build(project, tmp_path / "first") == 0
    (overrides / "main.html").write_text(
        '{% extends "base.html" %}\n{% block announce %}Audit copy{% endblock %}\n'
    )
    assert build(project, tmp_path / "warm") == 0
    assert from_cache(capsys.readouterr().err) == 0
    assert "Audit copy" in (tmp_path / "warm" / "releases" / "v1.0.0" / "index.html").read_text()
    assert tree(tmp_path / "warm") == clean_build(project, tmp_path / "clean")


def test_a_changed_navigation_renders_cached_pages_from_their_markdown(
    project: Repo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert build(project, tmp_path / "first") == 0
    # The home page's heading is its title in the navigation that every page carries.
    project.write("docs/index.md", "# Acme gadget\n\nSecurity evidence.\n")
    assert build(project, tmp_path / "warm") == 0
    assert from_cache(capsys.readouterr().err) == 4  # found, then found out of date
    warm = tree(tmp_path / "warm")
    assert "Acme gadget" in warm["releases/v1.0.0/index.html"].decode()
    assert warm == clean_build(project, tmp_path / "clean")


@pytest.mark.parametrize("damage", ["truncate", "delete"])
def test_a_damaged_blob_is_rendered_again(project: Repo, tmp_path: Path, damage: str) -> None:
    assert build(project, tmp_path / "first") == 0
    blobs = sorted((project.root / CACHE / "pages" / "blobs").rglob("*"))
    for blob in (b for b in blobs if b.is_file()):
        if damage == "truncate":
            blob.write_bytes(blob.read_bytes()[:10])
        elif b"<html" not in blob.read_bytes()[:200]:
            continue
        else:
            blob.unlink()
        break
    assert build(project, tmp_path / "warm") == 0
    assert tree(tmp_path / "warm") == tree(tmp_path / "first")


def test_encoded_releases_give_the_same_evidence_json(project: Repo, tmp_path: Path) -> None:
    assert build(project, tmp_path / "site") == 0
    index = json.loads((tmp_path / "site" / "evidence.json").read_text())
    docs = index["releases"]
    problems = [Problem('a tag \u00e9 "quoted"\nline', path="x", line=3, severity="warning")]
    for releases, latest in ((docs, "v1.1.0"), (docs[:1], None), ([], None)):
        expected = evidence_json.dumps(
            evidence_json.document(releases, "Acme \u00e9", problems, latest)
        )
        encoded = [EncodedRelease.of(r) for r in releases]
        assert document_text(encoded, "Acme \u00e9", problems, latest) == expected
        again = [EncodedRelease.from_blob(e.blob()) for e in encoded]
        assert again == encoded


def test_the_page_key_covers_every_page_input() -> None:
    # The page key covers the report (release key), the release, project and directory_urls.
    # A new input of the release page must be added to pagecache.page_key, then here.
    assert [f.name for f in dataclasses.fields(ReleasePageInput)] == [
        "report",
        "sections",
        "page_path",
        "files_url",
        "directory_urls",
        "project",
        "alias_of",
        # only the latest page has it, and that page is rendered every build (never cached)
        "verified_release",
    ]
    assert [f.name for f in dataclasses.fields(PageContext)] == [
        "release",
        "files_url",
        "published_names",
        "page_path",
        "directory_urls",
    ]


@pytest.mark.parametrize(
    ("markdown", "cacheable"),
    [
        ("# v1\n\nSee [the index](../index.md).\n", False),
        ("# v1\n\n[index]: ../index.md\n", False),
        ("# v1\n\n![logo](logo.png)\n", False),
        ("# v1\n\nSECDOCSBLOCKabcN0x\n\nPlain text [not a link].\n", True),
    ],
)
def test_pages_with_markdown_links_are_not_cached(markdown: str, cacheable: bool) -> None:
    assert (_MARKDOWN_LINK.search(markdown) is None) is cacheable


def test_a_changed_mkdocs_hook_invalidates_cached_pages(
    project: Repo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    hook = project.root / "hooks.py"
    hook.write_text("def on_post_page(output, **kwargs):\n    return output + '<!-- one -->'\n")
    yml = project.root / "mkdocs.yml"
    yml.write_text(yml.read_text() + "hooks:\n  - hooks.py\n")
    assert build(project, tmp_path / "first") == 0
    hook.write_text("def on_post_page(output, **kwargs):\n    return output + '<!-- two -->'\n")
    assert build(project, tmp_path / "warm") == 0
    # (MkDocs keeps a hook module loaded for the life of the process, so only the key is
    # checked here: a new process runs the new hook.)
    assert from_cache(capsys.readouterr().err) == 0
