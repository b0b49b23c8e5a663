"""The `make_project` fixture for the signatures, tag-signatures and provenance kinds: real git
repositories with tags and evidence folders."""

from __future__ import annotations

import hashlib
import os
import subprocess
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from secdocs.collectors import ReleaseContext
from secdocs.config import from_mapping
from secdocs.git import GitRepo
from secdocs.model import EvidenceFile, Kind, Release

DATE = "1767225600 +0000"  # 2026-01-01


def git(root: Path, *args: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(
        GIT_AUTHOR_NAME="T",
        GIT_AUTHOR_EMAIL="t@example.org",
        GIT_COMMITTER_NAME="T",
        GIT_COMMITTER_EMAIL="t@example.org",
        GIT_AUTHOR_DATE=DATE,
        GIT_COMMITTER_DATE=DATE,
        GIT_CONFIG_GLOBAL=os.devnull,
        GIT_CONFIG_NOSYSTEM="1",
    )
    out = subprocess.run(
        [
            "git",
            "-c",
            "init.defaultBranch=main",
            "-c",
            "commit.gpgsign=false",
            "-c",
            "tag.gpgsign=false",
            *args,
        ],
        cwd=root,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return out.stdout.strip()


def role_of(name: str) -> str:
    if ".intoto." in name:
        return Kind.PROVENANCE
    if name.endswith((".sigstore.json", ".sigstore", ".sig")):
        return Kind.SIGNATURE
    if name.endswith((".pem", ".pub", ".crt", ".asc")):
        return Kind.SIGNATURE_MATERIAL
    if name.startswith("SHA256SUMS"):
        return Kind.CHECKSUMS
    return Kind.ARTIFACT


@dataclass
class Project:
    root: Path
    tag: str
    commit: str

    def context(self, files: Mapping[str, bytes], **sections: Any) -> ReleaseContext:
        folder = self.root / "evidence" / self.tag
        folder.mkdir(parents=True, exist_ok=True)
        evidence = []
        for name, data in sorted(files.items()):
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name).write_bytes(data)
            evidence.append(
                EvidenceFile(name, len(data), hashlib.sha256(data).hexdigest(), role_of(name))
            )
        config = from_mapping(sections, self.root)
        release = Release(
            tag=self.tag,
            version=self.tag.lstrip("v"),
            commit=self.commit,
            date=datetime(2026, 1, 1, tzinfo=UTC),
            annotated=True,
            prerelease=False,
        )
        return ReleaseContext(
            release=release,
            previous=None,
            config=config,
            repo=GitRepo(self.root),
            evidence_root=folder,
            evidence_dir=f"evidence/{self.tag}",
            files=tuple(evidence),
        )

    def git(self, *args: str) -> str:
        return git(self.root, *args)

    def write(self, relative: str, data: bytes) -> str:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return relative


@pytest.fixture
def make_project(tmp_path: Path) -> Callable[..., Project]:
    counter = iter(range(1_000_000))

    def make(tag: str = "v1.0.0", signed_tag_args: tuple[str, ...] = ()) -> Project:
        root = tmp_path / f"repo{next(counter)}"
        root.mkdir()
        git(root, "init", "-q")
        (root / "README.md").write_text("widget\n")
        git(root, "add", "README.md")
        git(root, "commit", "-q", "-m", "release")
        git(root, "tag", *(signed_tag_args or ("-a", "-m", f"release {tag}")), tag)
        return Project(root, tag, git(root, "rev-parse", "HEAD"))

    return make
