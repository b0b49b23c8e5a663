"""A real project adopts secdocs: sigstore-python's 75-tag history, `secdocs init`, and the
generated workflow's shell steps replayed for a new tag and a maintenance tag, against a remote
whose default branch refuses every push.

Steps that need GitHub (building the package, keyless signing, uploading artifacts) are replaced
by real corpus evidence: the production Sigstore bundle of the rfc8785 0.1.2 wheel, known by the
wheel's digest (the binary itself is not even available), and a real CycloneDX SBOM. Every `run:`
step that touches git or secdocs is executed as written in the generated YAML.
"""

from __future__ import annotations

import base64
import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from secdocs.commands.init import EVIDENCE_REF, SEPARATE_CONFIG, WORKFLOW_PATH

ROOT = Path(__file__).resolve().parents[1]
HISTORY = ROOT.parent / "shared" / "repos" / "sigstore-python-history.bundle"
BIN = Path(sys.executable).parent
WHEEL = "rfc8785-0.1.2-py3-none-any.whl"
#: sha256 of the real wheel (corpus MANIFEST, "sigstore-python/bundle_v3_github.whl")
WHEEL_SHA256 = "c4e92e9ecc828bef2aa7dba1de8ac983511f7532a0df11c770d39099a25cf201"
#: the certificate identity of that bundle (corpus MANIFEST)
IDENTITY = (
    "https://github.com/trailofbits/rfc8785.py/.github/workflows/release.yml@refs/tags/v0.1.2"
)
ISSUER = "https://token.actions.githubusercontent.com"
SBOM = "cyclonedx-bom-examples/SBOM/cern-lhc-vdm-editor-e564943/bom.json"

REJECT_BRANCH_PUSHES = """\
#!/bin/sh
while read old new ref; do
  case "$ref" in
    refs/heads/*) echo "refused: $ref is protected" >&2; exit 1 ;;
  esac
done
exit 0
"""


def env(**extra: str) -> dict[str, str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    base.update(
        PATH=f"{BIN}{os.pathsep}{base.get('PATH', '')}",
        GIT_AUTHOR_NAME="Release Manager",
        GIT_AUTHOR_EMAIL="release@example.org",
        GIT_COMMITTER_NAME="Release Manager",
        GIT_COMMITTER_EMAIL="release@example.org",
        GIT_CONFIG_GLOBAL=os.devnull,
        GIT_CONFIG_NOSYSTEM="1",
    )
    base.pop("SOURCE_DATE_EPOCH", None)
    base.update(extra)
    return base


def run(cwd: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        list(args), cwd=cwd, env=env(), capture_output=True, text=True, check=check
    )


def git(cwd: Path, *args: str) -> str:
    return run(cwd, "git", *args).stdout.strip()


def step(workflow: dict, job: str, name: str) -> str:  # type: ignore[type-arg]
    found = [s for s in workflow["jobs"][job]["steps"] if s.get("name") == name]
    assert len(found) == 1, f"{job}: no single step named {name!r}"
    script = found[0]["run"]
    assert isinstance(script, str)
    return script


def replay(workflow: dict, job: str, names: list[str], cwd: Path, **variables: str) -> None:  # type: ignore[type-arg]
    """Run the named `run:` steps of a job, as written, with the workflow's environment."""
    top = {k: v for k, v in workflow["env"].items() if "${{" not in str(v)}
    for name in names:
        result = subprocess.run(
            ["bash", "-e", "-o", "pipefail", "-c", step(workflow, job, name)],
            cwd=cwd,
            env=env(**top, **variables),
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, f"{job} / {name}:\n{result.stdout}\n{result.stderr}"


@pytest.fixture
def history(tmp_path: Path) -> Path:
    if not HISTORY.is_file():
        message = f"release history not found at {HISTORY}"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return HISTORY


def release_outputs(corpus: Path, folder: Path, version: str, digest: str = WHEEL_SHA256) -> Path:
    """What the build and sign jobs hand to publish-evidence (out/dist, out/signed)."""
    dist, signed = folder / "dist", folder / "signed"
    dist.mkdir(parents=True)
    signed.mkdir()
    sbom = dist / f"{version}.cdx.json"
    shutil.copyfile(corpus / SBOM, sbom)
    sbom_digest = hashlib.sha256(sbom.read_bytes()).hexdigest()
    (dist / "SHA256SUMS").write_text(f"{digest}  {WHEEL}\n{sbom_digest}  {sbom.name}\n")
    shutil.copyfile(
        corpus / "sigstore-python" / "bundle_v3_github.whl.sigstore",
        signed / f"{WHEEL}.sigstore.json",
    )
    return folder


def release(work: Path, key: Path, tag: str, base: str | None = None) -> None:
    """A release as maintainers make it: changelog section, threat-model delta, signed tag."""
    version = tag.lstrip("v")
    if base is not None:
        git(work, "checkout", "-q", "-b", f"release/{version}", base)
    changelog = work / "CHANGELOG.md"
    text = changelog.read_text()
    marker = "## [Unreleased]"
    entry = f"{marker}\n\n## [{version}]\n\n### Fixed\n\n* Release {version}.\n"
    changelog.write_text(text.replace(marker, entry, 1) if marker in text else entry + text)
    deltas = work / "docs" / "threat-model" / "deltas"
    deltas.mkdir(parents=True, exist_ok=True)
    template = (
        (work / "threat-model" / "delta-template.md").read_text()
        if (work / "threat-model" / "delta-template.md").exists()
        else git(work, "show", "main:threat-model/delta-template.md")
    )
    (deltas / f"{version}.md").write_text(template.replace("<version>", version))
    git(work, "add", "-A", "-f", "CHANGELOG.md", str(deltas))
    git(work, "commit", "-q", "-m", f"Release {version}")
    git(
        work,
        "-c",
        "gpg.format=ssh",
        "-c",
        f"user.signingkey={key}",
        "tag",
        "-s",
        tag,
        "-m",
        f"{tag}",
    )
    git(work, "push", "-q", "origin", f"refs/tags/{tag}")
    if base is not None:
        git(work, "checkout", "-q", "main")


def adopt(tmp_path: Path, history: Path) -> tuple[Path, Path, Path, dict]:  # type: ignore[type-arg]
    remote = tmp_path / "remote.git"
    run(tmp_path, "git", "clone", "-q", "--bare", str(history), str(remote))
    work = tmp_path / "work"
    run(tmp_path, "git", "clone", "-q", str(remote), str(work))
    result = run(work, "secdocs", "init", ".")
    assert f"created {SEPARATE_CONFIG}" in result.stdout
    assert "plugins:" in result.stdout and "  - secdocs:" in result.stdout  # the block to add

    key = tmp_path / "release-key"
    run(tmp_path, "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "release", "-f", str(key))
    public = (tmp_path / "release-key.pub").read_text().split()
    signers = work / "security" / "allowed_signers"
    signers.write_text(f'release@example.org namespaces="git" {public[0]} {public[1]}\n')

    config = work / SEPARATE_CONFIG
    text = config.read_text()
    lines = [ln for ln in text.splitlines() if "identity_regex:" not in ln]
    text = "\n".join(lines) + "\n"
    text = text.replace("      signer:\n", f'      signer:\n        identity: "{IDENTITY}"\n')
    text = text.replace("contacts: []", "contacts: [security@example.org]")
    text = text.replace("        site_url:\n", "        site_url: https://example.org/\n")
    text = text.replace(
        "          repository_url:\n",
        "          repository_url: https://github.com/sigstore/sigstore-python\n",
    )
    text = text.replace(
        "          administrators: []",
        "          administrators: [{name: Release Manager, email: release@example.org}]",
    )
    text = text.replace(
        "          license_url:\n", "          license_url: https://example.org/LICENSE\n"
    )
    text = text.replace(
        "          license_expression:\n", "          license_expression: Apache-2.0\n"
    )
    text = text.replace(
        "      threat_model:", "      tag_signers: security/allowed_signers\n      threat_model:"
    )
    config.write_text(text)
    # adoption lands on the default branch the normal way (a reviewed merge) ...
    git(work, "add", "-A", "-f", ".")
    git(work, "commit", "-q", "-m", "Adopt secdocs")
    git(work, "push", "-q", "origin", "HEAD:main")
    # ... and from now on the default branch refuses every push
    hook = remote / "hooks" / "pre-receive"
    hook.write_text(REJECT_BRANCH_PUSHES)
    hook.chmod(0o755)
    change = git(work, "commit-tree", "HEAD^{tree}", "-p", "HEAD", "-m", "direct push")
    refused = run(work, "git", "push", "origin", f"{change}:refs/heads/main", check=False)
    assert refused.returncode != 0 and "protected" in refused.stderr
    workflow = yaml.safe_load((work / WORKFLOW_PATH).read_text())
    return remote, work, key, workflow


def publish(
    tmp_path: Path,
    remote: Path,
    workflow: dict,
    tag: str,
    outputs: Path,  # type: ignore[type-arg]
) -> None:
    """The publish-evidence job: a fresh checkout of the default branch, the artifacts in out/."""
    job = tmp_path / f"publish-{tag}"
    run(tmp_path, "git", "clone", "-q", str(remote), str(job))  # actions/checkout, fetch-depth 0
    shutil.copytree(outputs, job / "out")  # actions/download-artifact
    replay(
        workflow,
        "publish-evidence",
        [
            "Fetch tags and evidence",
            "Collect evidence",
            "Gate the release",
            "Push the evidence ref",
        ],
        job,
        TAG=tag,
    )


def test_real_repository_adopts_secdocs_end_to_end(
    tmp_path: Path, history: Path, corpus_dir: Path
) -> None:
    remote, work, key, workflow = adopt(tmp_path, history)

    # a new release on the default branch, and a maintenance release made after the 4.x tags
    release(work, key, "v4.6.0")
    release(work, key, "v3.6.8", base="v3.6.7")
    assert "mkdocs-secdocs.yml" not in git(work, "ls-tree", "--name-only", "v3.6.8")
    for tag in ("v4.6.0", "v3.6.8"):
        outputs = release_outputs(corpus_dir, tmp_path / f"artifacts-{tag}", tag.lstrip("v"))
        publish(tmp_path, remote, workflow, tag, outputs)

    # the evidence reached the ref whole, ignored patterns included; the branch did not move
    assert git(remote, "rev-parse", "main") == git(work, "rev-parse", "origin/main")
    listed = git(remote, "ls-tree", "-r", "--name-only", EVIDENCE_REF).splitlines()
    for tag in ("v4.6.0", "v3.6.8"):
        version = tag.lstrip("v")
        assert {
            f"{tag}/{version}.cdx.json",
            f"{tag}/SHA256SUMS",
            f"{tag}/{WHEEL}.sigstore.json",  # ignored by the repository's .gitignore
            f"{tag}/secdocs-digests.sha256",
        } == {p for p in listed if p.startswith(f"{tag}/")}
    ignored = run(work, "git", "check-ignore", f"{WHEEL}.sigstore.json", "SHA256SUMS.txt")
    assert ignored.stdout.split() == [f"{WHEEL}.sigstore.json", "SHA256SUMS.txt"]

    # a fresh mirror clone verifies the new tags strictly and builds a site that shows them
    mirror = tmp_path / "mirror.git"
    run(tmp_path, "git", "clone", "-q", "--mirror", str(remote), str(mirror))
    checkout = tmp_path / "mirror-checkout"
    git(mirror, "worktree", "add", "-q", str(checkout), "main")
    config = str(checkout / SEPARATE_CONFIG)
    for tag in ("v4.6.0", "v3.6.8"):
        verified = run(
            checkout, "secdocs", "verify", "-f", config, "--strict", "--tag", tag, check=False
        )
        assert verified.returncode == 0, verified.stdout + verified.stderr
    evidence_json = run(checkout, "secdocs", "verify", "-f", config, "--json", "--tag", "v4.6.0")
    assert '"verified"' in evidence_json.stdout and IDENTITY in evidence_json.stdout
    pages = tmp_path / "pages"
    run(tmp_path, "git", "clone", "-q", str(remote), str(pages))
    replay(workflow, "pages", ["Fetch tags and evidence", "Build the site"], pages)
    site = pages / "site"
    page = (site / "releases" / "v4.6.0" / "index.html").read_text()
    assert WHEEL in page and "verified" in page
    assert (site / "releases" / "v3.6.8" / "index.html").is_file()
    published = {p.name for p in site.rglob("*") if p.is_file()}
    assert f"{WHEEL}.sigstore.json" in published and WHEEL not in published
    # no release binary in git either: nothing on the ref is an artifact
    assert not [p for p in listed if p.endswith((".whl", ".tar.gz"))]

    # a flipped digest, then a wrong identity, fail the same strict check
    flipped = WHEEL_SHA256[:-1] + ("0" if WHEEL_SHA256[-1] != "0" else "1")
    bad = release_outputs(corpus_dir, tmp_path / "artifacts-flipped", "4.6.0", flipped)
    sources = [
        str(p) for p in sorted((bad / "dist").iterdir()) + sorted((bad / "signed").iterdir())
    ]
    run(
        checkout,
        "secdocs",
        "collect",
        "-f",
        config,
        "--tag",
        "v4.6.0",
        "--replace",
        "--reason",
        "test: tampered digest",
        *sources,
    )
    failed = run(
        checkout, "secdocs", "verify", "-f", config, "--strict", "--tag", "v4.6.0", check=False
    )
    assert failed.returncode == 1 and "failed" in failed.stdout
    assert "Reason: test: tampered digest" in git(mirror, "log", "-1", "--format=%B", EVIDENCE_REF)
    git(mirror, "update-ref", EVIDENCE_REF, f"{EVIDENCE_REF}~1")  # back to the published state
    wrong = (
        (checkout / SEPARATE_CONFIG)
        .read_text()
        .replace("trailofbits/rfc8785.py", "trailofbits/rfc8785-fork")
    )
    (checkout / SEPARATE_CONFIG).write_text(wrong)
    failed = run(
        checkout, "secdocs", "verify", "-f", config, "--strict", "--tag", "v3.6.8", check=False
    )
    assert failed.returncode == 1 and "failed" in failed.stdout


def test_sign_job_refuses_a_build_output_that_changed(tmp_path: Path) -> None:
    """The sign job's digest check, as written in the workflow, on a real and a swapped file."""
    from secdocs.commands.init import files

    workflow = yaml.safe_load(files("widget")[WORKFLOW_PATH])
    dist = tmp_path / "dist"
    dist.mkdir()
    (dist / "widget-1.0.0-py3-none-any.whl").write_bytes(b"wheel")
    (dist / "1.0.0.cdx.json").write_text("{}")
    output = tmp_path / "github-output"
    replay(workflow, "build", ["Hash the build output"], tmp_path, GITHUB_OUTPUT=str(output))
    hashes = output.read_text().strip().removeprefix("hashes=")
    assert base64.b64decode(hashes).decode().count("  ") == 2
    replay(workflow, "sign", ["Check the build output"], tmp_path, HASHES=hashes)
    (dist / "widget-1.0.0-py3-none-any.whl").write_bytes(b"swapped")
    with pytest.raises(AssertionError, match="Check the build output"):
        replay(workflow, "sign", ["Check the build output"], tmp_path, HASHES=hashes)
    (dist / "widget-1.0.0-py3-none-any.whl").write_bytes(b"wheel")
    (dist / "extra.whl").write_bytes(b"smuggled")
    with pytest.raises(AssertionError, match="Check the build output"):
        replay(workflow, "sign", ["Check the build output"], tmp_path, HASHES=hashes)
