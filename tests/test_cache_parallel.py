"""The per-release cache never serves stale results; parallel collection equals serial."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_site import build, make_project, tree

from secdocs import cache as cache_mod
from secdocs.cache import MAGIC, Cache
from secdocs.config import from_mapping
from secdocs.model import Status
from secdocs.pipeline import open_run
from secdocs.progress import Progress


def run_reports(repo_root: Path, **options: object) -> tuple[list[object], Cache | None]:
    config = from_mapping({"cache_dir": ".cache", **options}, repo_root)
    run = open_run(config)
    try:
        reports = list(run.reports())
    finally:
        run.repo.close()
    return reports, run.cache


def test_second_run_reuses_every_release(tmp_path: Path) -> None:
    repo = make_project(tmp_path)
    first, cache = run_reports(repo.root)
    assert cache is not None and cache.hits == 0 and cache.misses == 4
    second, cache = run_reports(repo.root)
    assert cache is not None and cache.hits == 4 and cache.misses == 0
    assert second == first


def test_changed_evidence_is_never_served_stale(tmp_path: Path) -> None:
    repo = make_project(tmp_path)
    run_reports(repo.root)
    (repo.root / "evidence" / "v1.0.0" / "widget-v1.0.0.tar.gz").write_bytes(b"tampered")
    reports, cache = run_reports(repo.root)
    assert cache is not None
    # v1.0.0 and every later release (they compare against it) are rebuilt; v0.1.0 is reused.
    assert (cache.hits, cache.misses) == (1, 3)
    v100 = next(r for r in reports if r.release.tag == "v1.0.0")  # type: ignore[attr-defined]
    assert any(i.status is Status.FAILED for i in v100.items)


def test_changed_config_or_code_is_never_served_stale(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = make_project(tmp_path)
    run_reports(repo.root)
    _, cache = run_reports(repo.root, max_file_size=1 << 20)
    assert cache is not None and cache.hits == 0
    monkeypatch.setattr(cache_mod, "code_digest", lambda: "another secdocs version")
    _, cache = run_reports(repo.root, max_file_size=1 << 20)
    assert cache is not None and cache.hits == 0


def test_changed_file_named_by_the_config_invalidates(tmp_path: Path) -> None:
    repo = make_project(tmp_path)
    repo.write("keys/release.pub", "one")
    config = from_mapping({"public_keys": ["keys/release.pub"], "tags": "v*"}, repo.root)
    before = cache_mod.referenced_files_digest(config)
    assert before == cache_mod.referenced_files_digest(config)
    repo.write("keys/release.pub", "two")
    assert cache_mod.referenced_files_digest(config) != before


def test_new_tag_reuses_the_history(tmp_path: Path) -> None:
    repo = make_project(tmp_path)
    run_reports(repo.root)
    repo.release("v2.0.0", message="next")
    _, cache = run_reports(repo.root)
    assert cache is not None and (cache.hits, cache.misses) == (4, 1)


@pytest.mark.parametrize(
    "damage",
    [
        lambda blob: blob[: len(blob) // 2],
        lambda blob: blob[:-1] + bytes([blob[-1] ^ 1]),
        lambda blob: b"garbage",
        lambda blob: MAGIC + b"\x00" * 32 + b"not a pickle",
    ],
)
def test_corrupt_entries_are_ignored_and_rebuilt(tmp_path: Path, damage: object) -> None:
    repo = make_project(tmp_path)
    first, _ = run_reports(repo.root)
    for entry in (repo.root / ".cache").rglob("*.pickle"):
        entry.write_bytes(damage(entry.read_bytes()))  # type: ignore[operator]
    second, cache = run_reports(repo.root)
    assert cache is not None and cache.hits == 0 and cache.misses == 4
    assert second == first
    _, cache = run_reports(repo.root)
    assert cache is not None and cache.hits == 4


def test_entry_for_another_tag_is_refused(tmp_path: Path) -> None:
    repo = make_project(tmp_path)
    reports, _ = run_reports(repo.root)
    store = Cache(tmp_path / "c")
    store.store("ab" * 32, reports[1])  # type: ignore[arg-type]
    assert store.load("ab" * 32, "v9.9.9") is None
    assert store.load("ab" * 32, reports[1].release.tag) == reports[1]  # type: ignore[attr-defined]


def test_cached_build_is_byte_identical(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    repo = make_project(tmp_path, extra="      cache_dir: .secdocs-cache")
    assert build(repo, tmp_path / "cold") == 0
    assert build(repo, tmp_path / "warm") == 0
    assert any((repo.root / ".secdocs-cache").rglob("*.pickle"))
    assert tree(tmp_path / "cold") == tree(tmp_path / "warm")


@pytest.mark.slow
def test_parallel_build_is_byte_identical_to_serial(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    monkeypatch.setattr("secdocs.pipeline.POOL_THRESHOLD", 2)
    repo = make_project(tmp_path, extra="      jobs: 1")
    assert build(repo, tmp_path / "serial") == 0
    yml = repo.root / "mkdocs.yml"
    yml.write_text(yml.read_text().replace("jobs: 1", "jobs: 2"))
    assert build(repo, tmp_path / "parallel") == 0
    one, two = tree(tmp_path / "serial"), tree(tmp_path / "parallel")
    assert one.keys() == two.keys()
    assert json.loads(one["evidence.json"]) == json.loads(two["evidence.json"])
    assert one == two


def test_progress_lines(capsys: pytest.CaptureFixture[str]) -> None:
    import io

    stream = io.StringIO()
    progress = Progress(stream=stream, enabled=True)
    progress.phase("12 releases")
    progress.step("releases", 12, 12)
    assert stream.getvalue() == "secdocs: 12 releases\nsecdocs: releases 12/12\n"
    quiet = io.StringIO()
    Progress(stream=quiet).phase("nothing")
    assert quiet.getvalue() == ""


def test_working_tree_copies_of_files_read_at_each_tag_do_not_invalidate(tmp_path: Path) -> None:
    repo = make_project(tmp_path)
    repo.write("CHANGELOG.md", "# Changelog\n")
    repo.write("keys/release.pub", "key")
    options = {"changelog": {"path": "CHANGELOG.md"}, "public_keys": ["keys/release.pub"]}
    config = from_mapping({**options, "tags": "v*"}, repo.root)
    before = cache_mod.referenced_files_digest(config)
    repo.write("CHANGELOG.md", "# Changelog\n\n## 9.9.9\n")  # a newer checkout of the tree
    assert cache_mod.referenced_files_digest(config) == before
    repo.write("keys/release.pub", "rotated key")
    assert cache_mod.referenced_files_digest(config) != before
