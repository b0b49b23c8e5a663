"""Evidence on its own git ref: written with plumbing, read through the bulk reader, and treated
exactly like a working-tree evidence folder."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from gitutil import Repo, git, new_repo

from secdocs.cli import main
from secdocs.commands.collect import collect
from secdocs.config import from_mapping
from secdocs.errors import ConfigError, SecdocsError

REF = "refs/secdocs/evidence"
REF_YML = """\
site_name: p
plugins:
  - secdocs:
      evidence: {ref: refs/secdocs/evidence}
"""


def project(tmp_path: Path, yml: str = REF_YML) -> Repo:
    repo = new_repo(tmp_path / "p")
    repo.write(".gitignore", "*.txt\n*.sigstore.json\n*.intoto.jsonl\n")
    repo.write("mkdocs.yml", yml)
    repo.write("docs/index.md", "# p\n")
    repo.release("v1.0.0")
    repo.release("v1.1.0")
    return repo


def outputs(tmp_path: Path) -> list[Path]:
    dist = tmp_path / "dist"
    dist.mkdir(exist_ok=True)
    made = {
        "pkg-1.0.0.whl": b"wheel bytes",
        "pkg-1.0.0.whl.sigstore.json": b'{"not": "a bundle"}',
        "pkg.cdx.json": b'{"bomFormat": "CycloneDX", "specVersion": "1.5", "components": []}',
        "notes.txt": b"ignored by .gitignore",
    }
    for name, data in made.items():
        (dist / name).write_bytes(data)
    return sorted(dist / n for n in made)


def ref_files(repo: Repo) -> dict[str, str]:
    out = git(repo.root, "ls-tree", "-r", REF)
    return {line.split("\t")[1]: line.split()[2] for line in out.splitlines()}


def test_collect_writes_ignored_files_to_the_ref_without_touching_the_work_tree(
    tmp_path: Path,
) -> None:
    repo = project(tmp_path)
    status_before = git(repo.root, "status", "--porcelain", "--ignored")
    head = git(repo.root, "rev-parse", "HEAD")
    config_file = str(repo.root / "mkdocs.yml")
    dist = [str(p) for p in outputs(tmp_path)]
    assert main(["collect", "-f", config_file, "--tag", "v1.0.0", *dist]) == 0
    files = ref_files(repo)
    # ignored patterns are kept; the binaries (the wheel, notes.txt) are known by digest only
    assert sorted(files) == [
        "v1.0.0/pkg-1.0.0.whl.sigstore.json",
        "v1.0.0/pkg.cdx.json",
        "v1.0.0/secdocs-digests.sha256",
    ]
    listing = git(repo.root, "cat-file", "blob", f"{REF}:v1.0.0/secdocs-digests.sha256")
    assert f"{hashlib.sha256(b'wheel bytes').hexdigest()}  pkg-1.0.0.whl" in listing
    assert "notes.txt" in listing
    # no checkout, no index, no branch moved
    assert git(repo.root, "status", "--porcelain", "--ignored") == status_before
    assert git(repo.root, "rev-parse", "HEAD") == head
    message = git(repo.root, "log", "-1", "--format=%B", REF)
    assert message.startswith("Add the evidence of v1.0.0")
    assert "pkg-1.0.0.whl" in message.split("Known by digest only")[1]


def test_ref_is_append_only_and_a_replacement_records_its_reason(tmp_path: Path) -> None:
    repo = project(tmp_path)
    config = from_mapping({"evidence": {"ref": REF}}, repo.root)
    dist = outputs(tmp_path)
    first = collect(config, "v1.0.0", dist)
    assert first.commit == git(repo.root, "rev-parse", REF)
    collect(config, "v1.1.0", dist)
    with pytest.raises(SecdocsError, match="append-only"):
        collect(config, "v1.0.0", dist[:1])
    with pytest.raises(SecdocsError, match="--reason"):
        collect(config, "v1.0.0", dist[:1], replace=True)
    with pytest.raises(SecdocsError, match=r"no tag 'v9\.0\.0'"):
        collect(config, "v9.0.0", dist)
    tip = git(repo.root, "rev-parse", REF)
    replaced = collect(
        config, "v1.0.0", dist[1:3], replace=True, reason="bundle was\nuploaded twice"
    )
    assert git(repo.root, "rev-parse", f"{REF}~1") == tip  # history kept, never rewritten
    message = git(repo.root, "log", "-1", "--format=%B", REF)
    assert message.startswith("Replace the evidence of v1.0.0")
    assert "Reason: bundle was uploaded twice" in message
    assert replaced.files == ("pkg-1.0.0.whl.sigstore.json", "secdocs-digests.sha256")
    assert "v1.1.0/pkg.cdx.json" in ref_files(repo)  # the other release is untouched


def test_keep_binaries_keeps_them(tmp_path: Path) -> None:
    repo = project(tmp_path)
    config = from_mapping({"evidence": {"ref": REF, "keep_binaries": True}}, repo.root)
    collect(config, "v1.0.0", outputs(tmp_path))
    assert "v1.0.0/pkg-1.0.0.whl" in ref_files(repo)


def test_a_concurrent_writer_makes_collect_fail_not_overwrite(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = project(tmp_path)
    config = from_mapping({"evidence": {"ref": REF}}, repo.root)
    collect(config, "v1.0.0", outputs(tmp_path))
    from secdocs.commands import collect as collect_mod

    real = collect_mod._Plumbing.run

    def racing(self: collect_mod._Plumbing, *args: str, stdin: bytes | None = None) -> str:
        if args[0] == "update-ref":  # someone else moves the ref in between
            other = git(repo.root, "commit-tree", f"{REF}^{{tree}}", "-p", REF, "-m", "other")
            git(repo.root, "update-ref", REF, other)
        return real(self, *args, stdin=stdin)

    monkeypatch.setattr(collect_mod._Plumbing, "run", racing)
    with pytest.raises(SecdocsError, match="update-ref"):
        collect(config, "v1.1.0", outputs(tmp_path))


@pytest.mark.parametrize(
    ("value", "key"),
    [
        ({"ref": "refs/heads/main"}, "evidence.ref"),
        ({"ref": "secdocs"}, "evidence.ref"),
        ({"ref": "refs/secdocs/../x"}, "evidence.ref"),
        ({"ref": REF, "pth": "x"}, "evidence.pth"),
        ({"ref": REF, "path": "../{tag}"}, "evidence.path"),
        ({"ref": REF, "keep_binaries": "yes"}, "evidence.keep_binaries"),
        (["evidence"], "evidence"),
    ],
)
def test_evidence_option_errors_name_the_key(tmp_path: Path, value: object, key: str) -> None:
    with pytest.raises(ConfigError) as caught:
        from_mapping({"evidence": value}, tmp_path)
    # the error names the option and, inside it, the key that is wrong
    assert caught.value.key == key.split(".")[0]
    assert key.split(".", 1)[-1] in str(caught.value)


def _evidence_set(root: Path) -> None:
    root.mkdir(parents=True, exist_ok=True)
    (root / "good.whl").write_bytes(b"wheel")
    (root / "SHA256SUMS").write_text(
        f"{hashlib.sha256(b'wheel').hexdigest()}  good.whl\n"
        f"{hashlib.sha256(b'gone').hexdigest()}  gone.whl\n"
    )
    (root / "big.bin").write_bytes(b"x" * 300)
    (root / "sub").mkdir()
    (root / "sub" / "inner.cdx.json").write_text("not json")
    (root / "-dash").write_text("unsafe name")
    (root / "link").symlink_to("good.whl")


def _commit_folder_to_ref(repo: Repo, folder: Path, tag: str) -> None:
    """Store a folder (its symlink and unsafe names included) on the evidence ref, through a
    throwaway index, as a hostile writer of the ref could."""
    env = {
        **os.environ,
        "GIT_DIR": str(repo.root / ".git"),
        "GIT_WORK_TREE": str(folder),
        "GIT_INDEX_FILE": str(repo.root / ".git" / "scratch-index"),
    }
    subprocess.run(["git", "add", "-A", "-f", "."], cwd=folder, env=env, check=True)
    tree = subprocess.run(
        ["git", "write-tree"], cwd=folder, env=env, check=True, capture_output=True, text=True
    ).stdout.strip()
    for name in (tag, "evidence"):
        tree = subprocess.run(
            ["git", "mktree"],
            cwd=repo.root,
            input=f"040000 tree {tree}\t{name}\n",
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    outer = tree
    git(repo.root, "update-ref", REF, git(repo.root, "commit-tree", outer, "-m", "evidence"))


def _report(repo: Repo) -> dict[str, object]:
    out = subprocess.run(
        [
            str(Path(sys.executable).parent / "secdocs"),
            "verify",
            "--json",
            "-f",
            str(repo.root / "mkdocs.yml"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    doc = json.loads(out.stdout)
    release = next(r for r in doc["releases"] if r["tag"] == "v1.0.0")
    return {"items": release["items"], "files": release.get("files")}


def test_ref_evidence_is_treated_exactly_like_folder_evidence(tmp_path: Path) -> None:
    folder_yml = REF_YML.replace("{ref: refs/secdocs/evidence}", "evidence/{tag}") + (
        "      max_file_size: 200\n"
    )
    ref_yml = REF_YML.replace("}", ', path: "evidence/{tag}"}') + "      max_file_size: 200\n"
    by_folder = project(tmp_path / "a", folder_yml)
    _evidence_set(by_folder.root / "evidence" / "v1.0.0")
    by_ref = project(tmp_path / "b", ref_yml)
    staging = tmp_path / "staging"
    staging.mkdir()
    _evidence_set(staging)
    _commit_folder_to_ref(by_ref, staging, "v1.0.0")

    folder_report = _report(by_folder)
    ref_report = _report(by_ref)
    assert folder_report == ref_report
    items = folder_report["items"]
    assert isinstance(items, list)
    reasons = {i["path"]: (i["status"], i.get("reason")) for i in items}
    assert reasons["-dash"][0] == "failed" and "unsafe" in str(reasons["-dash"][1])
    assert reasons["link"][0] == "failed" and "symbolic link" in str(reasons["link"][1])
    assert reasons["big.bin"][0] == "failed" and "max_file_size" in str(reasons["big.bin"][1])


def test_site_publishes_ref_evidence_and_a_missing_ref_is_missing_evidence(
    tmp_path: Path,
) -> None:
    repo = project(tmp_path)
    site = tmp_path / "site"
    config_file = str(repo.root / "mkdocs.yml")
    assert main(["verify", "--strict", "-f", config_file]) == 1  # no ref yet: missing evidence
    dist = outputs(tmp_path)
    assert main(["collect", "-f", config_file, "--tag", "v1.0.0", *map(str, dist)]) == 0
    assert main(["build", "-f", config_file, "-d", str(site)]) == 0
    published = site / "releases" / "v1.0.0" / "files"
    sbom = (tmp_path / "dist" / "pkg.cdx.json").read_bytes()
    assert (published / "pkg.cdx.json").read_bytes() == sbom
    assert (published / "secdocs-digests.sha256").is_file()
    assert not (published / "pkg-1.0.0.whl").exists()
    assert not (repo.root / "evidence").exists()
