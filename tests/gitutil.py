"""Build real git repositories with tags for tests (fixed dates, no user config)."""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

BASE = datetime(2025, 1, 1, tzinfo=UTC)


def git_env(epoch: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    stamp = f"{epoch} +0000"
    env.update(
        GIT_AUTHOR_NAME="Test Author",
        GIT_AUTHOR_EMAIL="author@example.org",
        GIT_COMMITTER_NAME="Test Tagger",
        GIT_COMMITTER_EMAIL="tagger@example.org",
        GIT_AUTHOR_DATE=stamp,
        GIT_COMMITTER_DATE=stamp,
        GIT_CONFIG_GLOBAL=os.devnull,
        GIT_CONFIG_NOSYSTEM="1",
    )
    return env


def git(root: Path, *args: str, epoch: int = 1_735_689_600) -> str:
    result = subprocess.run(
        ["git", "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false",
         "-c", "tag.gpgsign=false", *args],
        cwd=root, env=git_env(epoch), check=True, capture_output=True, text=True,
    )
    return result.stdout.strip()


@dataclass
class Repo:
    root: Path
    epoch: int = 1_735_689_600

    def write(self, path: str, content: str | bytes) -> Path:
        target = self.root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            target.write_text(content)
        else:
            target.write_bytes(content)
        return target

    def commit(self, message: str = "change", days: int = 1) -> str:
        self.epoch += days * 86_400
        git(self.root, "add", "--all", epoch=self.epoch)
        git(self.root, "commit", "-q", "--allow-empty", "-m", message, epoch=self.epoch)
        return git(self.root, "rev-parse", "HEAD")

    def tag(self, name: str, message: str | None = None) -> None:
        if message is None:
            git(self.root, "tag", name, epoch=self.epoch)
        else:
            git(self.root, "tag", "-a", name, "-m", message, epoch=self.epoch)

    def release(self, tag: str, message: str | None = "release", **files: str | bytes) -> str:
        for path, content in files.items():
            self.write(path, content)
        sha = self.commit(f"release {tag}")
        self.tag(tag, message)
        return sha

    def evidence(self, tag: str, name: str, content: str | bytes) -> Path:
        return self.write(f"evidence/{tag}/{name}", content)


def new_repo(path: Path) -> Repo:
    path.mkdir(parents=True, exist_ok=True)
    git(path, "init", "-q")
    return Repo(path)
