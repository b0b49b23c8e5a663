"""The synthetic history generator writes inputs that are valid and that secdocs verifies."""

from __future__ import annotations

import base64
import hashlib
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cyclonedx.schema import SchemaVersion
from cyclonedx.validation.json import JsonStrictValidator

from .conftest import BENCHMARKS

RELEASES = 3


@pytest.fixture(scope="module")
def history(gen: ModuleType, tmp_path_factory: pytest.TempPathFactory) -> Path:
    shape = gen.Shape(components=6, artifacts=2, changelog_window=2, jobs=1, cache=False)
    return gen.generate(tmp_path_factory.mktemp("bench") / "h", RELEASES, shape)


def tag_commits(root: Path, gen: ModuleType) -> dict[str, str]:
    fmt = "--format=%(refname:short) %(objecttype) %(*objectname)"
    out = gen.git(root, "for-each-ref", fmt, "refs/tags")
    commits = {}
    for line in out.splitlines():
        name, kind, commit = line.split()
        assert kind == "tag", f"{name} is not an annotated tag"
        commits[name] = commit
    return commits


def test_tags_commits_and_tree(history: Path, gen: ModuleType) -> None:
    commits = tag_commits(history, gen)
    assert sorted(commits) == [gen.tag_of(i) for i in range(RELEASES)]
    assert len(set(commits.values())) == RELEASES
    # one commit per release, in order, with the fixed dates
    log = gen.git(history, "log", "--format=%at %s", "main").splitlines()
    assert log == [
        f"{int(gen.date_of(i).timestamp())} Release {gen.version_of(i)}"
        for i in reversed(range(RELEASES))
    ]
    tree = gen.git(history, "ls-tree", "-r", "--name-only", gen.tag_of(1)).splitlines()
    assert "docs/threat-model/deltas/1.0.0.md" in tree
    assert "docs/threat-model/deltas/1.0.1.md" in tree
    assert "docs/threat-model/deltas/1.0.2.md" not in tree
    assert {"CHANGELOG.md", "deploy/values.yaml", "keys/release.pub", "README.md"} <= set(tree)
    changelog = gen.git(history, "show", f"{gen.tag_of(2)}:CHANGELOG.md")
    assert "## [1.0.2]" in changelog and "## [1.0.1]" in changelog
    assert "## [1.0.0]" not in changelog  # window of two sections
    v1 = gen.git(history, "show", f"{gen.tag_of(1)}:deploy/values.yaml")
    v2 = gen.git(history, "show", f"{gen.tag_of(2)}:deploy/values.yaml")
    assert v1 != v2
    assert (history / "mkdocs.yml").is_file() and (history / "docs" / "index.md").is_file()


def test_sbom_is_valid_cyclonedx_and_changes_a_little(history: Path, gen: ModuleType) -> None:
    validator = JsonStrictValidator(SchemaVersion.V1_6)
    documents = []
    for index in range(RELEASES):
        path = history / "evidence" / gen.tag_of(index) / f"widget-{gen.version_of(index)}.cdx.json"
        text = path.read_text()
        assert validator.validate_str(text) is None
        documents.append(json.loads(text))
    first = documents[0]
    assert first["specVersion"] == "1.6" and len(first["components"]) == 6
    component = first["components"][0]
    for key in ("name", "version", "purl", "licenses", "hashes", "bom-ref"):
        assert component[key]
    refs = {c["bom-ref"] for c in first["components"]} | {first["metadata"]["component"]["bom-ref"]}
    assert {d["ref"] for d in first["dependencies"]} <= refs
    assert {r for d in first["dependencies"] for r in d["dependsOn"]} <= refs
    assert len({d["serialNumber"] for d in documents}) == RELEASES


def test_components_evolve_over_a_long_history(gen: ModuleType) -> None:
    old = json.loads(gen.sbom(0, "0" * 40, 200))["components"]
    new = json.loads(gen.sbom(40, "0" * 40, 200))["components"]
    old_versions = {c["name"]: c["version"] for c in old}
    new_versions = {c["name"]: c["version"] for c in new}
    assert len(set(old_versions) - set(new_versions)) == 4  # one replaced every ten releases
    changed = [n for n in new_versions if n in old_versions and new_versions[n] != old_versions[n]]
    assert 0 < len(changed) < 100


def test_signatures_provenance_and_checksums(history: Path, gen: ModuleType) -> None:
    commits = tag_commits(history, gen)
    key = serialization.load_pem_public_key((history / "keys" / "release.pub").read_bytes())
    assert isinstance(key, ec.EllipticCurvePublicKey)
    for index in range(RELEASES):
        tag = gen.tag_of(index)
        folder = history / "evidence" / tag
        artifacts = sorted(p for p in folder.iterdir() if p.name.endswith(".tar.gz"))
        assert len(artifacts) == 2
        sums = (folder / "SHA256SUMS").read_text().splitlines()
        assert sums == [
            f"{hashlib.sha256(p.read_bytes()).hexdigest()}  {p.name}" for p in artifacts
        ]
        for artifact in artifacts:
            signature = base64.b64decode((folder / f"{artifact.name}.sig").read_bytes())
            key.verify(signature, artifact.read_bytes(), ec.ECDSA(hashes.SHA256()))
        envelope = json.loads((folder / f"widget-{gen.version_of(index)}.intoto.jsonl").read_text())
        payload = base64.b64decode(envelope["payload"])
        signed = b"DSSEv1 %d %s %d %s" % (
            len(envelope["payloadType"]),
            envelope["payloadType"].encode(),
            len(payload),
            payload,
        )
        key.verify(
            base64.b64decode(envelope["signatures"][0]["sig"]), signed, ec.ECDSA(hashes.SHA256())
        )
        statement = json.loads(payload)
        assert statement["predicateType"] == "https://slsa.dev/provenance/v1"
        assert {s["digest"]["sha256"] for s in statement["subject"]} == {
            hashlib.sha256(p.read_bytes()).hexdigest() for p in artifacts
        }
        dependency = statement["predicate"]["buildDefinition"]["resolvedDependencies"][0]
        assert dependency["digest"]["gitCommit"] == commits[tag]


def test_secdocs_verifies_the_generated_evidence(history: Path) -> None:
    result = subprocess.run(
        [sys.executable, str(BENCHMARKS / "secdocs_cli.py"), "verify", "--json"],
        cwd=history,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert len(document["releases"]) == RELEASES
    for release in document["releases"]:
        items = release["items"]
        assert not [i for i in items if i["status"] == "failed"], items
        verified = {(i["kind"], i["path"]) for i in items if i["status"] == "verified"}
        assert sum(1 for kind, _ in verified if kind == "signature") == 2
        assert sum(1 for kind, _ in verified if kind == "provenance") == 1
        assert ("checksums", "SHA256SUMS") in verified
        present = {i["kind"] for i in items if i["status"] in ("present", "verified")}
        assert {"threat-model", "changelog", "config-diff"} <= present
        assert not [p for p in release["problems"] if p.get("severity") == "error"]


def test_extending_equals_generating_more(gen: ModuleType, tmp_path: Path) -> None:
    shape = gen.Shape(components=4, artifacts=1, changelog_window=3, jobs=1, cache=True)
    once = gen.generate(tmp_path / "once", 3, shape)
    twice = gen.generate(tmp_path / "twice", 2, shape)
    gen.extend(twice, 1)
    assert gen.release_count(twice) == 3
    assert tag_commits(once, gen) == tag_commits(twice, gen)
    for folder in sorted((once / "evidence").iterdir()):
        for file in sorted(folder.iterdir()):
            assert (twice / "evidence" / folder.name / file.name).read_bytes() == file.read_bytes()
    assert gen.git(twice, "status", "--porcelain", "--untracked-files=no") == ""


def test_generate_refuses_a_non_empty_target(gen: ModuleType, tmp_path: Path) -> None:
    (tmp_path / "keep.txt").write_text("x")
    with pytest.raises(FileExistsError):
        gen.generate(tmp_path, 2)
    with pytest.raises(ValueError, match="at least one"):
        gen.generate(tmp_path / "empty", 0)


def test_command_line(gen: ModuleType, tmp_path: Path) -> None:
    target = tmp_path / "cli"
    assert gen.main([str(target), "--releases", "2", "--components", "3", "--no-cache"]) == 0
    assert "cache_dir" not in (target / "mkdocs.yml").read_text()
    assert gen.main([str(target), "--extend", "1"]) == 0
    assert gen.release_count(target) == 3
    assert gen.main([str(target), "--releases", "1", "--force"]) == 0
    assert gen.release_count(target) == 1
