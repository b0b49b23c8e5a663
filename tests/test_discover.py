from __future__ import annotations

import logging
import subprocess
from pathlib import Path

import pytest
from gitutil import git, new_repo

from secdocs.discover import discover, latest, parse_version
from secdocs.errors import GitError
from secdocs.git import GitRepo


@pytest.mark.parametrize(
    ("tag", "expected"),
    [
        ("v1.2.3", "1.2.3"),
        ("1.2.3", "1.2.3"),
        ("release-2.0", "2.0"),
        ("v1.2.0-rc.1", "1.2.0rc1"),
        ("v1.0.0-alpha", "1.0.0a0"),
        ("v1.0.0-beta.2", "1.0.0b2"),
        ("v1.0.0-alpha.beta", "1.0.0a0"),
        ("v3.0.0-snapshot", "3.0.0.dev0"),
        ("v1.0.0+build.5", "1.0.0+build.5"),
    ],
)
def test_parse_version(tag: str, expected: str) -> None:
    version = parse_version(tag)
    assert version is not None
    assert str(version) == expected


@pytest.mark.parametrize("tag", ["latest", "v", "vX.Y", "nightly-build"])
def test_parse_version_rejects_non_versions(tag: str) -> None:
    assert parse_version(tag) is None


def test_releases_sorted_by_version_with_neighbours(tmp_path: Path) -> None:
    repo = new_repo(tmp_path / "r")
    repo.release("v1.9.0", message=None)
    repo.release("v1.10.0", message="Ten\n\nNotes here.")
    repo.release("v1.10.1-rc.1", message="candidate")
    repo.release("v1.2.0", message=None)  # tagged later, older version
    repo.release("nightly", message=None)
    with GitRepo(repo.root) as gr:
        found = discover(gr, "v*")
    tags = [r.tag for r in found.releases]
    assert tags == ["v1.2.0", "v1.9.0", "v1.10.0", "v1.10.1-rc.1"]
    first, second, third, fourth = found.releases
    assert first.previous is None and first.next == "v1.9.0"
    assert third.previous == "v1.9.0" and third.next == "v1.10.1-rc.1"
    assert fourth.prerelease and not third.prerelease
    assert third.annotated and third.tagger == "Test Tagger <tagger@example.org>"
    assert third.message == "Ten\n\nNotes here."
    assert not second.annotated and second.tagger is None and second.message == ""
    assert latest(found.releases) == third
    assert latest(found.releases[3:]) == fourth
    assert latest(()) is None


def test_dates_from_tagger_for_annotated_and_commit_otherwise(tmp_path: Path) -> None:
    repo = new_repo(tmp_path / "r")
    repo.commit("one")
    commit_epoch = repo.epoch
    git(repo.root, "tag", "v1.0.0", epoch=commit_epoch)
    git(repo.root, "tag", "-a", "v1.0.1", "-m", "later", epoch=commit_epoch + 3600)
    with GitRepo(repo.root) as gr:
        one, two = discover(gr, "v*").releases
    assert int(one.date.timestamp()) == commit_epoch
    assert int(two.date.timestamp()) == commit_epoch + 3600
    assert one.commit == two.commit


def test_unsafe_and_unparsable_tags_are_refused_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    repo = new_repo(tmp_path / "r")
    repo.release("v1.0.0", message=None)
    git(repo.root, "tag", "v1.0.1<script>")
    git(repo.root, "tag", "v-not-a-version")
    with caplog.at_level(logging.WARNING), GitRepo(repo.root) as gr:
        found = discover(gr, "v*")
    assert [r.tag for r in found.releases] == ["v1.0.0"]
    messages = [p.message for p in found.problems]
    assert any("v1.0.1<script>" in m and "not a safe path segment" in m for m in messages)
    assert any("v-not-a-version" in m for m in messages)
    assert "not a safe path segment" in caplog.text


def test_no_tags_warns(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    repo = new_repo(tmp_path / "r")
    repo.commit()
    with caplog.at_level(logging.WARNING), GitRepo(repo.root) as gr:
        assert discover(gr, "v*").releases == ()
    assert "fetch --tags" in caplog.text


def test_shallow_clone_without_tags_says_to_fetch_them(tmp_path: Path) -> None:
    repo = new_repo(tmp_path / "origin")
    repo.release("v1.0.0")
    repo.commit("two")
    clone = tmp_path / "clone"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", "--no-tags", f"file://{repo.root}", str(clone)],
        check=True, capture_output=True,
    )
    with GitRepo(clone) as gr, pytest.raises(GitError, match="fetch --tags --unshallow"):
        discover(gr, "v*")


def test_not_a_repository(tmp_path: Path) -> None:
    with pytest.raises(GitError, match="not a git repository"):
        GitRepo(tmp_path)


def test_git_reader_blobs_trees_commits(tmp_path: Path) -> None:
    repo = new_repo(tmp_path / "r")
    repo.write("docs/a.md", "one")
    first = repo.commit("feat: first")
    repo.write("docs/b.md", "two")
    repo.write("big.bin", b"x" * 100)
    second = repo.commit("security: fix it\n\nSecurity: CVE-2026-0001")
    with GitRepo(repo.root) as gr:
        assert gr.read(first, "docs/a.md", 10) == b"one"
        assert gr.read(first, "docs/b.md", 10) is None
        assert gr.read(second, "docs", 10) is None  # a tree, not a blob
        with pytest.raises(Exception, match="exceeds the limit"):
            gr.read(second, "big.bin", 10)
        assert gr.list_files(second, "docs") == ["docs/a.md", "docs/b.md"]
        assert gr.list_files("0" * 40, "docs") == []
        assert gr.added_files(first, second, "docs") == ["docs/b.md"]
        assert gr.added_files(None, second, "docs") == ["docs/a.md", "docs/b.md"]
        commits = gr.commits_between(first, second)
        assert [c.subject for c in commits] == ["security: fix it"]
        assert commits[0].body == "Security: CVE-2026-0001"
        assert len(gr.commits_between(None, second)) == 2
        with pytest.raises(GitError):
            gr.commits_between("nope", second)
        with pytest.raises(GitError):
            gr.added_files("nope", second, "docs")
