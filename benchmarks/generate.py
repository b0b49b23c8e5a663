"""Synthetic release histories for the secdocs benchmarks.

``python benchmarks/generate.py TARGET --releases 500`` writes into ``TARGET`` a real git
repository for an imaginary project "widget" with N annotated release tags and, per release:

* a CycloneDX 1.6 JSON SBOM with M components (name, version, purl, licenses, hashes, bom-ref,
  dependencies); a few components change version between releases and one is replaced every
  ten releases,
* K artifacts with a ``SHA256SUMS`` file and cosign-style key signatures (``<artifact>.sig``,
  base64 DER ECDSA P-256, one deterministic key whose public half is ``keys/release.pub``),
* an in-toto SLSA v1 provenance statement in a DSSE envelope signed with the same key, naming the
  artifacts' SHA-256 and the tag's commit,
* a ``CHANGELOG.md`` section, a threat-model delta ``docs/threat-model/deltas/{version}.md`` and
  a change to ``deploy/values.yaml``,

plus an ``mkdocs.yml`` with the secdocs plugin (the same options as ``secdocs demo``).

All commits and tags go through one ``git fast-import`` process; dates are fixed, so the same
arguments always give the same commits. Everything of release *i* depends only on *i*, so
``--extend 1`` on a history of N releases gives the same repository as generating N + 1.

The changelog keeps its newest ``--changelog-window`` sections (default 50) so that input size
per release stays constant and the 1,000-vs-500 figure measures secdocs, not a growing file;
``--changelog-window 0`` keeps every section, like a real project's ever-growing changelog.
"""

from __future__ import annotations

import argparse
import base64
import dataclasses
import hashlib
import json
import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import yaml

from secdocs.demo import DemoRelease as _DemoRelease
from secdocs.demo import EvidenceDraft, signing
from secdocs.demo import history as demo_history

PROJECT = "widget"
OWNER = "acme"
AUTHOR = "Acme Release Bot <releases@acme.example>"
START = datetime(2020, 1, 1, 12, 0, tzinfo=UTC)
DELTA_DIR = "docs/threat-model/deltas"
CACHE_DIR = ".secdocs-cache"
SHAPE_FILE = "bench-shape.json"
LICENSES = ("MIT", "Apache-2.0", "BSD-3-Clause", "ISC", "MPL-2.0", "BSD-2-Clause", "LGPL-3.0-only")
PLATFORMS = ("linux-amd64", "linux-arm64", "darwin-arm64", "windows-amd64", "freebsd-amd64")
SERIAL_NAMESPACE = uuid.UUID("6f1c0d52-3b0e-4a59-9f64-5e1b2f0a9c11")


@dataclass(frozen=True)
class Shape:
    """What every release of a synthetic history contains."""

    components: int = 200
    artifacts: int = 2
    changelog_window: int = 50
    jobs: int = 0
    cache: bool = True


def version_of(index: int) -> str:
    return f"{1 + index // 100}.{(index // 10) % 10}.{index % 10}"


def tag_of(index: int) -> str:
    return f"v{version_of(index)}"


def date_of(index: int) -> datetime:
    return START + timedelta(days=index, hours=index % 7)


def demo_release(index: int) -> _DemoRelease:
    return _DemoRelease(
        index, tag_of(index), version_of(index), date_of(index), notes=f"Release {index}."
    )


# --- tree files ------------------------------------------------------------------------------


def changelog_section(index: int) -> str:
    version = version_of(index)
    day = date_of(index).strftime("%Y-%m-%d")
    lines = [f"## [{version}] - {day}", "", "### Changed", "", f"- Routine release number {index}."]
    if index % 3 == 0:
        lines += [
            "",
            "### Security",
            "",
            f"- Fixed an input validation flaw (CVE-2020-{10000 + index}).",
        ]
    if index % 5 == 0:
        lines += ["", "### Fixed", "", f"- Export of large reports no longer times out ({index})."]
    return "\n".join(lines) + "\n"


def changelog(index: int, window: int) -> str:
    first = 0 if window <= 0 else max(0, index - window + 1)
    sections = [changelog_section(i) for i in range(index, first - 1, -1)]
    header = (
        "# Changelog\n\nAll notable changes to widget are documented in this file.\n\n"
        "## [Unreleased]\n\n"
    )
    return header + "\n".join(sections)


def delta(index: int) -> str:
    version = version_of(index)
    if index % 4 == 3:
        return (
            f"---\ntitle: Release {version}\nchanges: none\n---\n"
            f"# Threat-model delta for {version}\n\nNothing changes in this release.\n"
        )
    risk = f"R-{index}"
    older = f"R-{index - 1}" if index else "R-base"
    status = "mitigated" if index % 2 else "open"
    return f"""---
title: Release {version}
owner: appsec
---
# Threat-model delta for {version}

## What changes

Release {version} changes the export service (change {index}).

## Data touched

- Export records of customers.

## Trust boundaries

- Internet → export API.

## Risks

### {risk}: Export request {index} can be replayed
- Mitigation: signed links expire after {5 + index % 30} minutes
- Status: {status}
- Owner: @team-{index % 5}

### {older}: Earlier export risk
- Mitigation: re-checked in {version}
- Status: mitigated
- Owner: @appsec
"""


def values_yaml(index: int) -> str:
    tls = "TLSv1.3" if index % 50 >= 25 else "TLSv1.2"
    return (
        "# Helm values for widget\n"
        f"image: ghcr.io/acme/widget:{version_of(index)}\n"
        f"replicas: {2 + index % 4}\n"
        "ingress:\n  host: widget.acme.example\n  tls:\n"
        f"    minVersion: {tls}\n"
        "database:\n  host: db.internal\n  user: widget\n"
        f"  poolSize: {10 + index % 20}\n"
        "export:\n"
        f"  maxRows: {100000 + 1000 * (index % 10)}\n"
        f"  linkTtlSeconds: {300 + 60 * (index % 30)}\n"
    )


def tree_changes(index: int, shape: Shape) -> dict[str, bytes]:
    """Files that change in the commit of release ``index``."""
    files = {
        "README.md": f"# widget\n\nCurrent version: {version_of(index)}\n".encode(),
        "CHANGELOG.md": changelog(index, shape.changelog_window).encode(),
        f"{DELTA_DIR}/{version_of(index)}.md": delta(index).encode(),
        "deploy/values.yaml": values_yaml(index).encode(),
    }
    if index == 0:
        files[signing.KEY_PATH] = signing.public_pem()
    return files


# --- evidence --------------------------------------------------------------------------------


def _component(ident: int, index: int) -> tuple[str, str, dict[str, Any]]:
    name = f"lib-{ident:05d}"
    period = 40 + (ident * 37) % 160
    version = f"{1 + ident % 7}.{(index + ident) // period}.{ident % 10}"
    purl = f"pkg:pypi/{name}@{version}"
    digest = hashlib.sha256(f"{name}@{version}".encode()).hexdigest()
    if ident % 11 == 0:
        licenses: list[dict[str, Any]] = [{"expression": "MIT OR Apache-2.0"}]
    else:
        licenses = [{"license": {"id": LICENSES[ident % len(LICENSES)]}}]
    component = {
        "type": "library",
        "bom-ref": purl,
        "name": name,
        "version": version,
        "description": f"Synthetic dependency number {ident}",
        "purl": purl,
        "licenses": licenses,
        "hashes": [{"alg": "SHA-256", "content": digest}],
        "externalReferences": [
            {"type": "website", "url": f"https://pypi.org/project/{name}/"},
        ],
    }
    return name, purl, component


def sbom(index: int, commit: str, count: int) -> bytes:
    """A CycloneDX 1.6 JSON SBOM of ``count`` components; one is replaced every ten releases."""
    version = version_of(index)
    first = index // 10
    parts = [_component(ident, index) for ident in range(first, first + count)]
    root_ref = f"pkg:pypi/{PROJECT}@{version}"
    refs = [purl for _name, purl, _c in parts]
    dependencies = [{"ref": root_ref, "dependsOn": refs[: min(20, len(refs))]}]
    for position, ref in enumerate(refs):
        dependsOn = [refs[j] for j in (position + 1, position + 2) if j < len(refs)]
        dependencies.append({"ref": ref, "dependsOn": dependsOn})
    document = {
        "$schema": "http://cyclonedx.org/schema/bom-1.6.schema.json",
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "serialNumber": f"urn:uuid:{uuid.uuid5(SERIAL_NAMESPACE, version)}",
        "version": 1,
        "metadata": {
            "timestamp": date_of(index).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "tools": {"components": [{"type": "application", "name": "secdocs-bench"}]},
            "component": {
                "type": "application",
                "bom-ref": root_ref,
                "name": PROJECT,
                "version": version,
                "purl": root_ref,
                "properties": [{"name": "vcs:commit", "value": commit}],
            },
        },
        "components": [c for _n, _p, c in parts],
        "dependencies": dependencies,
    }
    return json.dumps(document, indent=1).encode()


def artifacts(index: int, count: int) -> dict[str, bytes]:
    out = {}
    for k in range(count):
        platform = PLATFORMS[k % len(PLATFORMS)] + ("" if k < len(PLATFORMS) else f"-{k}")
        seed = hashlib.sha256(f"{index}/{k}".encode()).digest()
        out[f"{PROJECT}-{version_of(index)}-{platform}.tar.gz"] = seed * 64  # 2 KiB
    return out


def evidence(index: int, commit: str, shape: Shape) -> dict[str, bytes]:
    release = demo_release(index)
    files = artifacts(index, shape.artifacts)
    draft = EvidenceDraft(release, commit, dict(files))
    for name, data in sorted(files.items()):
        draft.files[f"{name}.sig"] = base64.b64encode(signing.sign(data))
    statement = signing.provenance_statement(release, commit, files)
    draft.files[f"{PROJECT}-{release.version}.intoto.jsonl"] = signing.envelope(statement)
    draft.files[f"{PROJECT}-{release.version}.cdx.json"] = sbom(index, commit, shape.components)
    lines = [f"{hashlib.sha256(d).hexdigest()}  {n}\n" for n, d in sorted(files.items())]
    draft.files["SHA256SUMS"] = "".join(lines).encode()
    return draft.files


# --- the repository --------------------------------------------------------------------------


def plugin_options(shape: Shape) -> dict[str, Any]:
    options: dict[str, Any] = {"repo": ".", "tags": "v*", "evidence": "evidence/{tag}"}
    options.update(demo_history.CONTRIBUTOR.plugin_options())
    options.update(signing.CONTRIBUTOR.plugin_options())
    options["config_diff"] = {"paths": ["deploy/values.yaml"]}
    options["jobs"] = shape.jobs
    if shape.cache:
        options["cache_dir"] = CACHE_DIR
    return options


def mkdocs_document(plugins: list[Any]) -> dict[str, Any]:
    return {
        "site_name": "widget security evidence",
        "site_url": "https://acme.example/widget/",
        "repo_url": f"https://github.com/{OWNER}/{PROJECT}",
        "theme": {"name": "material", "features": ["navigation.sections"]},
        "plugins": plugins,
    }


def mkdocs_yml(shape: Shape) -> str:
    document = mkdocs_document(["search", {"secdocs": plugin_options(shape)}])
    return yaml.safe_dump(document, sort_keys=False)


INDEX_MD = """# widget security evidence

Synthetic history generated by `benchmarks/generate.py`.
See the [list of releases](releases/index.md).
"""


def git_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update({"GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"})
    return env


def git(root: Path, *args: str, data: bytes | None = None) -> str:
    result = subprocess.run(
        ["git", "-c", "init.defaultBranch=main", *args],
        cwd=root,
        env=git_env(),
        input=data,
        check=True,
        capture_output=True,
    )
    return result.stdout.decode().strip()


def _data(blob: bytes) -> Iterator[bytes]:
    yield b"data %d\n" % len(blob)
    yield blob
    yield b"\n"


def fast_import_stream(first: int, count: int, shape: Shape, parent: str | None) -> bytes:
    """Commits and annotated tags for releases ``first`` … ``first + count - 1``."""
    chunks: list[bytes] = []
    for index in range(first, first + count):
        stamp = f"{int(date_of(index).timestamp())} +0000"
        mark = index + 1
        chunks.append(b"commit refs/heads/main\n")
        chunks.append(b"mark :%d\n" % mark)
        chunks.append(f"author {AUTHOR} {stamp}\ncommitter {AUTHOR} {stamp}\n".encode())
        chunks.extend(_data(f"Release {version_of(index)}\n".encode()))
        if index == first and parent is not None:
            chunks.append(f"from {parent}\n".encode())
        for path, blob in sorted(tree_changes(index, shape).items()):
            chunks.append(f"M 100644 inline {path}\n".encode())
            chunks.extend(_data(blob))
        chunks.append(b"\n")
        chunks.append(f"tag {tag_of(index)}\nfrom :{mark}\ntagger {AUTHOR} {stamp}\n".encode())
        chunks.extend(_data(f"widget {version_of(index)}\n".encode()))
    chunks.append(b"done\n")
    return b"".join(chunks)


def _write_releases(
    root: Path, first: int, count: int, shape: Shape, checkout: bool = True
) -> None:
    parent = git(root, "rev-parse", "refs/heads/main") if first > 0 else None
    marks = root / ".git" / "bench-marks"
    stream = fast_import_stream(first, count, shape, parent)
    git(root, "fast-import", "--quiet", "--done", f"--export-marks={marks}", data=stream)
    commits = {}
    for line in marks.read_text().splitlines():
        mark, sha = line.split()
        commits[int(mark[1:]) - 1] = sha
    marks.unlink()
    for index in range(first, first + count):
        folder = root / "evidence" / tag_of(index)
        folder.mkdir(parents=True, exist_ok=True)
        for name, blob in evidence(index, commits[index], shape).items():
            (folder / name).write_bytes(blob)
    if checkout:
        git(root, "reset", "-q", "--hard", "refs/heads/main")


def generate(root: Path, releases: int, shape: Shape | None = None) -> Path:
    """Write a history of ``releases`` releases into ``root`` (which must be empty or absent)."""
    shape = shape or Shape()
    if releases < 1:
        raise ValueError("at least one release")
    root.mkdir(parents=True, exist_ok=True)
    if any(root.iterdir()):
        raise FileExistsError(f"{root} is not empty")
    git(root, "init", "-q")
    _write_releases(root, 0, releases, shape)
    (root / "mkdocs.yml").write_text(mkdocs_yml(shape))
    (root / "docs" / "index.md").write_text(INDEX_MD)
    (root / ".gitignore").write_text("site/\n.secdocs-cache/\n")
    (root / ".git" / SHAPE_FILE).write_text(json.dumps(dataclasses.asdict(shape)))
    return root


def release_count(root: Path) -> int:
    return len(git(root, "tag", "--list", "v*").split())


def extend(root: Path, count: int = 1, checkout: bool = True) -> None:
    """Add ``count`` releases after the last one of a generated history (same shape).

    With ``checkout=False`` the working tree stays as it was (only refs and evidence change).
    """
    shape = Shape(**json.loads((root / ".git" / SHAPE_FILE).read_text()))
    _write_releases(root, release_count(root), count, shape, checkout)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("target", type=Path)
    parser.add_argument("--releases", type=int, default=100)
    parser.add_argument("--components", type=int, default=Shape.components)
    parser.add_argument("--artifacts", type=int, default=Shape.artifacts)
    parser.add_argument("--changelog-window", type=int, default=Shape.changelog_window)
    parser.add_argument("--jobs", type=int, default=Shape.jobs, help="secdocs 'jobs' option")
    parser.add_argument("--no-cache", action="store_true", help="leave 'cache_dir' unset")
    parser.add_argument("--extend", type=int, default=0, help="add releases to TARGET instead")
    parser.add_argument("--force", action="store_true", help="delete TARGET first")
    args = parser.parse_args(argv)
    shape = Shape(
        args.components, args.artifacts, args.changelog_window, args.jobs, not args.no_cache
    )
    if args.extend:
        extend(args.target, args.extend)
        print(f"{args.target}: {release_count(args.target)} releases")
        return 0
    if args.force and args.target.exists():
        shutil.rmtree(args.target)
    generate(args.target, args.releases, shape)
    print(f"{args.target}: {args.releases} releases")
    return 0


if __name__ == "__main__":
    sys.exit(main())
