"""The embedded sample project behind ``secdocs demo``.

It writes, offline and deterministically, a git repository for an imaginary project "widget" by
"acme" with release tags spread over a year, the files a secure release process leaves in the tree
(changelog, threat-model deltas, deployment config) and per-release evidence folders (artifacts,
SBOMs, signatures, provenance, checksums). Each kind of input is contributed by a module of this
package (:data:`CONTRIBUTORS`), so the feature that reads it also owns its sample.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import os
import subprocess  # nosec B404 - runs the git binary with fixed arguments
import tarfile
import zipfile
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml

from secdocs.demo.releases import (
    AUTHOR,
    OWNER,
    PROJECT,
    RELEASES,
    SOURCE_URI,
    Contributor,
    DemoRelease,
    EvidenceDraft,
)

__all__ = [
    "AUTHOR",
    "OWNER",
    "PROJECT",
    "RELEASES",
    "SOURCE_URI",
    "Contributor",
    "DemoRelease",
    "EvidenceDraft",
    "contributors",
    "create_project",
]


def contributors() -> list[Contributor]:
    from secdocs.demo import containers, history, policy, sbom, signing

    return [
        history.CONTRIBUTOR,
        sbom.CONTRIBUTOR,
        signing.CONTRIBUTOR,
        policy.CONTRIBUTOR,
        containers.CONTRIBUTOR,
    ]


def _git_env(date: datetime) -> dict[str, str]:
    stamp = f"{int(date.timestamp())} +0000"
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(
        {
            "GIT_AUTHOR_NAME": AUTHOR[0],
            "GIT_AUTHOR_EMAIL": AUTHOR[1],
            "GIT_COMMITTER_NAME": AUTHOR[0],
            "GIT_COMMITTER_EMAIL": AUTHOR[1],
            "GIT_AUTHOR_DATE": stamp,
            "GIT_COMMITTER_DATE": stamp,
            "GIT_CONFIG_GLOBAL": os.devnull,
            "GIT_CONFIG_NOSYSTEM": "1",
        }
    )
    return env


def _git(root: Path, date: datetime, *args: str) -> str:
    result = subprocess.run(  # nosec B603 B607 - fixed git invocation from PATH
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
        env=_git_env(date),
        check=True,
        capture_output=True,
        text=True,
    )
    return result.stdout.strip()


def artifact_bytes(release: DemoRelease) -> dict[str, bytes]:
    """A reproducible source tarball and wheel for one release."""
    source = (
        f'"""widget {release.version}"""\n__version__ = "{release.version}"\n# {release.notes}\n'
    ).encode()
    tar_buffer = io.BytesIO()
    with tarfile.open(fileobj=tar_buffer, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for name, data in (
            (f"widget-{release.version}/widget/__init__.py", source),
            (
                f"widget-{release.version}/PKG-INFO",
                f"Metadata-Version: 2.1\nName: widget\nVersion: {release.version}\n".encode(),
            ),
        ):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mtime = int(release.date.timestamp())
            info.mode = 0o644
            info.uname = info.gname = "root"
            tar.addfile(info, io.BytesIO(data))
    sdist = gzip.compress(tar_buffer.getvalue(), mtime=int(release.date.timestamp()))

    wheel_buffer = io.BytesIO()
    stamp = release.date.timetuple()[:6]
    with zipfile.ZipFile(wheel_buffer, "w", zipfile.ZIP_DEFLATED) as wheel:
        for name, data in (
            ("widget/__init__.py", source),
            (
                f"widget-{release.version}.dist-info/METADATA",
                f"Metadata-Version: 2.1\nName: widget\nVersion: {release.version}\n".encode(),
            ),
        ):
            wheel.writestr(zipfile.ZipInfo(name, date_time=stamp), data)
    return {
        f"widget-{release.version}.tar.gz": sdist,
        f"widget-{release.version}-py3-none-any.whl": wheel_buffer.getvalue(),
    }


def sha256sums(files: Mapping[str, bytes]) -> bytes:
    lines = [
        f"{hashlib.sha256(data).hexdigest()}  {name}\n" for name, data in sorted(files.items())
    ]
    return "".join(lines).encode()


def mkdocs_yml(options: Mapping[str, Any]) -> str:
    plugin: dict[str, Any] = {
        "repo": ".",
        "tags": "v*",
        "evidence": "evidence/{tag}",
        "site_name": PROJECT,
    }
    plugin.update(options)
    document = {
        "site_name": "widget security evidence",
        "site_url": "https://acme.example/widget/",
        "repo_url": f"https://{SOURCE_URI}",
        "theme": {"name": "material", "features": ["navigation.sections"]},
        "plugins": ["search", {"secdocs": plugin}],
    }
    return yaml.safe_dump(document, sort_keys=False)


INDEX_MD = """# widget security evidence

This site publishes, for every release of **widget**, the evidence its release process produced:
SBOMs, signatures, provenance, the threat-model delta, the security changelog and configuration
changes — each checked when the site was built.

Start at the [list of releases](releases/index.md).
"""


def create_project(root: Path) -> Path:
    """Write the sample repository into ``root`` (which must be empty or absent)."""
    root.mkdir(parents=True, exist_ok=True)
    if any(root.iterdir()):
        raise FileExistsError(f"{root} is not empty")
    parts = contributors()
    _git(root, RELEASES[0].date, "init", "-q")

    previous: DemoRelease | None = None
    for release in RELEASES:
        files: dict[str, bytes] = {
            "README.md": f"# widget\n\nCurrent version: {release.version}\n".encode(),
        }
        for part in parts:
            files.update(part.tree_files(release, previous))
        for name, data in files.items():
            target = root / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        _git(root, release.date, "add", "--all")
        _git(
            root,
            release.date,
            "commit",
            "-q",
            "--allow-empty",
            "-m",
            f"Release {release.version}\n\n{release.notes}",
        )
        if release.annotated:
            _git(
                root,
                release.date,
                "tag",
                "-a",
                release.tag,
                "-m",
                f"widget {release.version}\n\n{release.notes}",
            )
        else:
            _git(root, release.date, "tag", release.tag)
        previous = release

    last = RELEASES[-1].date
    for release in RELEASES:
        if not release.has_evidence:
            continue
        commit = _git(root, last, "rev-parse", f"{release.tag}^{{commit}}")
        draft = EvidenceDraft(release, commit, dict(artifact_bytes(release)))
        for part in parts:
            draft.files.update(part.evidence_files(draft))
        draft.files["SHA256SUMS"] = sha256sums(draft.artifacts())
        folder = root / "evidence" / release.tag
        for name, data in draft.files.items():
            target = folder / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)

    options: dict[str, Any] = {}
    for part in parts:
        options.update(part.plugin_options())
    (root / "mkdocs.yml").write_text(mkdocs_yml(options))
    (root / "docs").mkdir(exist_ok=True)
    (root / "docs" / "index.md").write_text(INDEX_MD)
    return root
