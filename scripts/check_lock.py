"""Fail when requirements.lock does not satisfy pyproject.toml (or lacks hashes)."""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[1]
PIN = re.compile(r"^([A-Za-z0-9._-]+)==([^\s\\;]+)")


def main() -> int:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = [Requirement(r) for r in project["dependencies"]]
    for extra in project.get("optional-dependencies", {}).values():
        wanted += [Requirement(r) for r in extra]
    lock_text = (ROOT / "requirements.lock").read_text()
    pins: dict[str, Version] = {}
    blocks = re.split(r"\n(?=\S)", lock_text)
    errors = []
    for block in blocks:
        match = PIN.match(block.strip())
        if not match:
            continue
        name = canonicalize_name(match[1])
        pins[name] = Version(match[2])
        if "--hash=sha256:" not in block:
            errors.append(f"{name} is pinned without a hash")
    for req in wanted:
        name = canonicalize_name(req.name)
        if name not in pins:
            errors.append(f"{req} is in pyproject.toml but not in requirements.lock")
        elif not req.specifier.contains(pins[name], prereleases=True):
            errors.append(f"{req} is not satisfied by the locked {name}=={pins[name]}")
    for error in errors:
        print(f"lockfile: {error}", file=sys.stderr)
    if errors:
        print(
            "regenerate with: uv pip compile pyproject.toml --extra dev --generate-hashes "
            "--python-version 3.11 -o requirements.lock --no-header",
            file=sys.stderr,
        )
        return 1
    print(f"lockfile: {len(wanted)} requirements satisfied by {len(pins)} hashed pins")
    return 0


if __name__ == "__main__":
    sys.exit(main())
