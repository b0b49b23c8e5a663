"""Real git repositories with release tags, built in tmp_path for the history collectors."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from secdocs.collectors import Collector, ReleaseContext
from secdocs.config import from_mapping
from secdocs.discover import discover
from secdocs.git import GitRepo
from secdocs.model import Findings, Release, ReleaseReport


@dataclass
class Step:
    """One commit: files to write (``None`` deletes), message, optional tag."""

    files: Mapping[str, bytes | str | None]
    message: str = "change"
    tag: str | None = None
    body: str = ""


def git(root: Path, *args: str, when: int = 0) -> str:
    stamp = f"{1_770_000_000 + when * 86_400} +0000"
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(
        {
            "GIT_AUTHOR_NAME": "Dev",
            "GIT_AUTHOR_EMAIL": "dev@example.org",
            "GIT_COMMITTER_NAME": "Dev",
            "GIT_COMMITTER_EMAIL": "dev@example.org",
            "GIT_AUTHOR_DATE": stamp,
            "GIT_COMMITTER_DATE": stamp,
            "GIT_CONFIG_GLOBAL": os.devnull,
            "GIT_CONFIG_NOSYSTEM": "1",
        }
    )
    result = subprocess.run(
        [
            "git",
            "-c",
            "commit.gpgsign=false",
            "-c",
            "tag.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
            *args,
        ],
        cwd=root,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return result.stdout.strip()


def build_repo(root: Path, steps: Sequence[Step]) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    git(root, "init", "-q")
    for index, step in enumerate(steps):
        for name, data in step.files.items():
            target = root / name
            if data is None:
                target.unlink()
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data.encode() if isinstance(data, str) else data)
        git(root, "add", "--all", when=index)
        message = f"{step.message}\n\n{step.body}" if step.body else step.message
        git(root, "commit", "-q", "--allow-empty", "-m", message, when=index)
        if step.tag:
            git(root, "tag", "-a", step.tag, "-m", f"release {step.tag}", when=index)
    return root


class History:
    """Discovered releases of a built repo and contexts for collectors."""

    def __init__(
        self,
        root: Path,
        sections: Mapping[str, Any] | None = None,
        max_file_size: int = 64 * 1024 * 1024,
    ) -> None:
        self.repo = GitRepo(root)
        self.config = from_mapping({**(sections or {}), "max_file_size": max_file_size}, root)
        self.releases = discover(self.repo, "v*").releases
        self.by_tag = {r.tag: r for r in self.releases}

    def ctx(self, tag: str) -> ReleaseContext:
        release = self.by_tag[tag]
        previous = self.by_tag.get(release.previous or "")
        return ReleaseContext(
            release, previous, self.config, self.repo, None, f"evidence/{tag}", ()
        )

    def run(self, collector: Collector) -> dict[str, Findings]:
        out: dict[str, Findings] = {}
        previous: Findings | None = None
        for release in self.releases:
            found = collector.compare(previous, collector.collect(self.ctx(release.tag)))
            out[release.tag] = found
            previous = found
        return out

    def reports(self, collector: Collector) -> list[ReleaseReport]:
        found = self.run(collector)
        return [ReleaseReport(r, None, (), (found[r.tag],)) for r in reversed(self.releases)]


def release(tag: str = "v1.0.0", version: str = "1.0.0", day: int = 1) -> Release:
    return Release(
        tag=tag,
        version=version,
        commit="0" * 40,
        date=datetime(2026, 1, day, tzinfo=UTC),
        annotated=True,
        prerelease=False,
    )
