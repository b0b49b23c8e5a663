"""Every conformance case through the real command line: ``secdocs verify --json``.

A repository with one tag per case, the bundle and its artifact committed in the tag's evidence
folder, an ``mkdocs.yml`` with the suite's default identity/issuer (and the case's own trusted
root or key). Collectors are restricted to the verification ones, so the test does not depend on
unrelated features. Expected outcome: directory name ending in ``_fail`` → not verified.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

import secdocs.collectors as collectors_module
from secdocs import cli

DEFAULT_IDENTITY = (  # the suite README's defaults
    "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/"
    ".github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main"
)
DEFAULT_ISSUER = "https://token.actions.githubusercontent.com"
SUITE = "sigstore-conformance/bundle-verify"

pytestmark = pytest.mark.corpus
MINE = {"files", "checksums", "signatures", "provenance", "tag-signatures"}


def _write_case(case: Path, project) -> None:  # type: ignore[no-untyped-def]
    suite = case.parent
    artifact = case / "artifact" if (case / "artifact").is_file() else suite / "a.txt"
    name = "a.txt" if artifact.name == "a.txt" else "artifact.bin"
    folder = project.root / "evidence" / project.tag
    folder.mkdir(parents=True)
    (folder / name).write_bytes(artifact.read_bytes())
    (folder / f"{name}.sigstore.json").write_bytes((case / "bundle.sigstore.json").read_bytes())
    plugin: dict[str, object] = {
        "repo": ".",
        "tags": "*",
        "evidence": "evidence/{tag}",
        "signer": {"identity": DEFAULT_IDENTITY, "issuer": DEFAULT_ISSUER},
    }
    if (case / "trusted_root.json").is_file():
        plugin["trusted_root"] = project.write(
            "trust/root.json", (case / "trusted_root.json").read_bytes()
        )
    if (case / "key.pub").is_file():
        plugin["public_keys"] = [project.write("keys/key.pub", (case / "key.pub").read_bytes())]
    (project.root / "mkdocs.yml").write_text(
        yaml.safe_dump({"site_name": "t", "plugins": [{"secdocs": plugin}]})
    )


def _tsa_end_cases(corpus: Path, suite: Path) -> list[Path]:
    """Upstream's ``trust-root-tsa-validity-end-inclusive`` (not in the corpus), made as upstream
    made it: ``rekor2-happy-path`` with the TSA's ``validFor.end`` set to the timestamp's time.
    One second earlier it must fail."""
    source = corpus / SUITE / "rekor2-happy-path"
    suite.mkdir(parents=True)
    (suite / "a.txt").write_bytes((corpus / SUITE / "a.txt").read_bytes())
    cases = []
    for name, end in (
        ("trust-root-tsa-validity-end-inclusive", "2025-06-12T12:02:20Z"),
        ("trust-root-tsa-validity-end-one-second-early_fail", "2025-06-12T12:02:19Z"),
    ):
        case = suite / name
        case.mkdir(parents=True)
        (case / "bundle.sigstore.json").write_bytes((source / "bundle.sigstore.json").read_bytes())
        root = json.loads((source / "trusted_root.json").read_text())
        (authority,) = root["timestampAuthorities"]
        authority["validFor"]["end"] = end
        (case / "trusted_root.json").write_text(json.dumps(root))
        cases.append(case)
    return cases


def test_tsa_end_case_matches_the_bundle(corpus_dir) -> None:  # type: ignore[no-untyped-def]
    """The derived case is on the edge: the bundle's only TSA timestamp is 2025-06-12T12:02:20Z."""
    from sigstore.models import Bundle

    raw = (corpus_dir / SUITE / "rekor2-happy-path" / "bundle.sigstore.json").read_bytes()
    data = Bundle.from_json(raw).verification_material.timestamp_verification_data
    assert data is not None
    times = [t.tst_info.gen_time.isoformat() for t in data.rfc3161_timestamps]
    assert times == ["2025-06-12T12:02:20+00:00"]


def test_conformance_cases_through_secdocs_verify_json(  # type: ignore[no-untyped-def]
    corpus_dir, make_project, monkeypatch, capsys, tmp_path
):
    real = collectors_module._entry_points
    monkeypatch.setattr(
        collectors_module, "_entry_points", lambda: [ep for ep in real() if ep.name in MINE]
    )
    cases = sorted(p for p in (corpus_dir / SUITE).iterdir() if p.is_dir())
    cases += _tsa_end_cases(corpus_dir, tmp_path / "derived")
    score = 0
    mismatches = []
    for case in cases:
        project = make_project()
        _write_case(case, project)
        code = cli.main(["verify", "--json", "-f", str(project.root / "mkdocs.yml")])
        out = capsys.readouterr().out
        doc = json.loads(out)
        (release,) = doc["releases"]
        items = [
            i
            for i in release["items"]
            if i["kind"] == "signature" and i["path"].endswith(".sigstore.json")
        ]
        assert len(items) == 1, case.name
        item = items[0]
        assert {"kind", "path", "status", "reason"} <= set(item)
        expect_pass = not case.name.endswith("_fail")
        if not expect_pass:
            assert item["status"] != "verified", case.name
            assert code != 0 or item["status"] != "failed", case.name
        else:
            assert item["signer"]["identity"], case.name
        if (item["status"] == "verified") == expect_pass:
            score += 1
        else:
            mismatches.append((case.name, item["status"], item["reason"]))
    with capsys.disabled():
        print(f"\nsecdocs verify --json conformance score: {score}/{len(cases)}")
    assert not mismatches, mismatches
