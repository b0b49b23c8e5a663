"""slsa-verifier's provenance files from the corpus through the provenance collector.

Expected values (builder, source, subjects) are those MANIFEST.md records from slsa-verifier's
regression tests. The tag commit of the temporary repository is not the upstream commit, so the
commit check must fail and nothing may be ``verified``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from secdocs.collectors import PageContext
from secdocs.model import Status
from secdocs.provenance.collector import ProvenanceCollector

pytestmark = pytest.mark.corpus


def _checks(item):  # type: ignore[no-untyped-def]
    return {c["name"]: c for c in item.details["checks"]}


def _collect(project, files: dict[str, bytes], **sections):  # type: ignore[no-untyped-def]
    ctx = project.context(files, **sections)
    collector = ProvenanceCollector(ctx.config)
    return ctx, collector, collector.collect(ctx)


def test_github_attestation_for_bcr_module(corpus_dir: Path, make_project) -> None:  # type: ignore[no-untyped-def]
    base = corpus_dir / "slsa-verifier/bcr"
    project = make_project("v1.3.1")
    ctx, collector, findings = _collect(
        project,
        {
            "MODULE.bazel": (base / "MODULE.bazel").read_bytes(),
            "MODULE.bazel.intoto.jsonl": (base / "MODULE.bazel.intoto.jsonl").read_bytes(),
        },
        provenance={
            "source_uri": "github.com/aspect-build/rules_lint",
            "builders": [
                "https://github.com/bazel-contrib/publish-to-bcr/.github/workflows/publish.yaml"
            ],
        },
    )
    (item,) = findings.items
    checks = _checks(item)
    assert checks["signature"]["result"] == "pass", checks["signature"]
    assert checks["subjects"]["result"] == "pass"
    assert checks["source"]["result"] == "pass"
    assert checks["builder"]["result"] == "pass"
    assert checks["commit"]["result"] == "fail"  # the tmp repo's tag is not upstream's commit
    assert checks["ref"]["result"] == "fail"  # built from refs/heads/publish-to-bcr
    assert item.status is Status.FAILED
    assert item.signer is not None
    assert item.signer.identity == (
        "https://github.com/bazel-contrib/publish-to-bcr/.github/workflows/publish.yaml"
        "@refs/tags/v0.0.1"
    )
    assert item.details["builder"].startswith("https://github.com/bazel-contrib/publish-to-bcr/")
    assert item.details["source_commit"] == "8f70009fde0c94ade6ce2a054b94718c819126ec"
    assert item.details["predicate_type"] == "https://slsa.dev/provenance/v1"
    commands = item.details["commands"]
    assert any(
        c.startswith("gh attestation verify MODULE.bazel --repo aspect-build/rules_lint")
        for c in commands
    )
    assert any(c.startswith("slsa-verifier verify-artifact MODULE.bazel") for c in commands)
    page = PageContext(ctx.release, "files/", {})
    (section,) = collector.render(findings, page)
    assert "publish-to-bcr" in section.body
    assert "search.sigstore.dev/?logIndex" in section.body


def test_wrong_builder_or_source_fails(corpus_dir: Path, make_project) -> None:  # type: ignore[no-untyped-def]
    base = corpus_dir / "slsa-verifier/bcr"
    _, _, findings = _collect(
        make_project(),
        {
            "MODULE.bazel": (base / "MODULE.bazel").read_bytes(),
            "MODULE.bazel.intoto.jsonl": (base / "MODULE.bazel.intoto.jsonl").read_bytes(),
        },
        signer={
            "identity": "https://github.com/bazel-contrib/publish-to-bcr/.github/workflows/"
            "publish.yaml@refs/tags/v0.0.1",
            "issuer": "https://token.actions.githubusercontent.com",
        },
        provenance={
            "source_uri": "github.com/acme/widget",
            "builders": ["https://github.com/slsa-framework/slsa-github-generator"],
        },
    )
    (item,) = findings.items
    checks = _checks(item)
    assert checks["signature"]["result"] == "pass"
    assert checks["source"]["result"] == "fail"
    assert checks["builder"]["result"] == "fail"
    assert item.status is Status.FAILED


def test_tampered_subject_fails(corpus_dir: Path, make_project) -> None:  # type: ignore[no-untyped-def]
    base = corpus_dir / "slsa-verifier/bcr"
    _, _, findings = _collect(
        make_project(),
        {
            "MODULE.bazel": (base / "MODULE.bazel").read_bytes() + b"\n# tampered\n",
            "MODULE.bazel.intoto.jsonl": (base / "MODULE.bazel.intoto.jsonl").read_bytes(),
        },
        provenance={
            "builders": [
                "https://github.com/bazel-contrib/publish-to-bcr/.github/workflows/publish.yaml"
            ]
        },
    )
    (item,) = findings.items
    assert _checks(item)["subjects"]["result"] == "fail"
    assert item.status is Status.FAILED


def test_generic_generator_bundle_without_artifact(corpus_dir: Path, make_project) -> None:  # type: ignore[no-untyped-def]
    name = "binary-linux-amd64-push-v14.intoto.jsonl"
    raw = (corpus_dir / "slsa-verifier/gha_generic/v2.1.0" / name).read_bytes()
    _, _, findings = _collect(
        make_project("v14"),
        {name: raw},
        provenance={
            "source_uri": "github.com/slsa-framework/example-package",
            "builders": [
                "https://github.com/slsa-framework/slsa-github-generator/"
                ".github/workflows/generator_generic_slsa3.yml"
            ],
        },
    )
    (item,) = findings.items
    checks = _checks(item)
    assert checks["signature"]["result"] == "pass"
    assert checks["source"]["result"] == "pass"
    assert checks["builder"]["result"] == "pass"
    assert checks["ref"]["result"] == "pass"  # built from refs/tags/v14
    assert checks["subjects"]["result"] == "unknown"  # the binary is not in the corpus
    assert item.details["predicate_type"] == "https://slsa.dev/provenance/v0.2"
    assert item.status is not Status.VERIFIED


def test_legacy_envelope_is_unverifiable_with_slsa_verifier_command(
    corpus_dir: Path, make_project
) -> None:  # type: ignore[no-untyped-def]
    base = corpus_dir / "slsa-verifier"
    project = make_project("v1.0.0")
    _, _, findings = _collect(
        project,
        {
            "workflow-inputs": (base / "workflow-inputs").read_bytes(),
            "workflow-inputs.intoto.jsonl": (base / "workflow-inputs.intoto.jsonl").read_bytes(),
        },
        provenance={"source_uri": "github.com/laurentsimon/slsa-on-github-test"},
    )
    (item,) = findings.items
    checks = _checks(item)
    assert checks["signature"]["result"] == "unknown"
    assert "slsa-verifier" in checks["signature"]["detail"]
    assert checks["subjects"]["result"] == "pass"
    assert checks["source"]["result"] == "pass"
    assert item.status is Status.FAILED  # the commit is upstream's, not the tmp tag's
    assert item.details["commands"] == [
        "slsa-verifier verify-artifact workflow-inputs --provenance-path "
        "workflow-inputs.intoto.jsonl --source-uri github.com/laurentsimon/slsa-on-github-test "
        "--source-tag v1.0.0"
    ]


def test_unsigned_in_toto_statement(corpus_dir: Path, make_project) -> None:  # type: ignore[no-untyped-def]
    raw = (corpus_dir / "in-toto-attestation/statements/release-example-1.json").read_bytes()
    _, _, findings = _collect(make_project(), {"release.intoto.json": raw})
    (item,) = findings.items
    assert item.status in (Status.UNVERIFIABLE, Status.FAILED)
    assert item.status is not Status.VERIFIED
