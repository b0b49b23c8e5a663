"""slsa-verifier's provenance files from the corpus through the provenance collector.

Expected values (builder, source, subjects) are those MANIFEST.md records from slsa-verifier's
regression tests. The tag commit of the temporary repository is not the upstream commit, so the
commit check must fail and nothing may be ``verified``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from secdocs.collectors import PageContext
from secdocs.kinds.provenance.collect import ProvenanceCollector
from secdocs.model import Status

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


NPM = "slsa-verifier/npm/gha"
NPM_KEY = "sigstore-go/examples/publish_key.pub"  # the npm registry's publish-attestation key
GUNDAM_SOURCE = "github.com/ramonpetgrave64/gundam-visor"
GITHUB_HOSTED = "https://github.com/actions/runner/github-hosted"
GUNDAM_SIGNER = {
    "identity_regex": "https://github.com/ramonpetgrave64/gundam-visor/.*",
    "issuer": "https://token.actions.githubusercontent.com",
}


def _npm(corpus_dir: Path, make_project, upstream: str, tag: str, **sections):  # type: ignore[no-untyped-def]
    """An npm release's registry attestations response, as npm serves it. The corpus has no
    tarballs (slsa-verifier's test tarballs were not copied), so subjects cannot match here."""
    project = make_project(tag)
    key = project.write("keys/npm-registry.pem", (corpus_dir / NPM_KEY).read_bytes())
    name = "attestations.intoto.json"
    files = {name: (corpus_dir / NPM / f"{upstream}.tgz.json").read_bytes()}
    sections.setdefault("public_keys", [key])
    ctx, collector, findings = _collect(project, files, **sections)
    return ctx, collector, {i.path: i for i in findings.items}, findings


def test_npm_publish_attestation_checked_with_the_registry_key(
    corpus_dir: Path, make_project
) -> None:  # type: ignore[no-untyped-def]
    """MANIFEST: gundam-visor-cli-v1-tag.tgz.json PASS, package gundam-visor@1.0.1, source
    github.com/ramonpetgrave64/gundam-visor, builder https://github.com/actions/runner/github-hosted."""
    ctx, collector, items, findings = _npm(
        corpus_dir,
        make_project,
        "gundam-visor-cli-v1-tag",
        "v1.0.1",
        signer=GUNDAM_SIGNER,
        provenance={"source_uri": GUNDAM_SOURCE, "builders": [GITHUB_HOSTED]},
    )
    # two attestations in one file, told apart
    assert sorted(items) == ["attestations.intoto.json#1", "attestations.intoto.json#2"]
    publish, provenance = items["attestations.intoto.json#1"], items["attestations.intoto.json#2"]
    assert publish.kind == "attestation"
    assert publish.details["npm_publish"] == {
        "package": "gundam-visor@1.0.1",
        "registry": "https://registry.npmjs.org",
    }
    checks = _checks(publish)
    assert checks["signature"] == {
        "name": "signature",
        "result": "pass",
        "detail": "signed by key keys/npm-registry.pem; transparency log entry checked",
    }
    assert checks["package"]["result"] == "pass" and checks["version"]["result"] == "pass"
    assert "predicate" not in checks  # no longer "not SLSA provenance"
    # the tarball is not in the evidence folder: honest, not verified
    assert checks["subjects"]["result"] == "unknown"
    assert publish.status is Status.UNVERIFIABLE
    assert provenance.kind == "provenance"
    checks = _checks(provenance)
    for name in ("signature", "source", "builder", "ref"):
        assert checks[name]["result"] == "pass", checks[name]
    assert checks["commit"]["result"] == "fail"  # the temporary repository's commit
    command = (
        "slsa-verifier verify-npm-package gundam-visor-1.0.1.tgz --attestations-path "
        f"attestations.intoto.json --builder-id {GITHUB_HOSTED} --package-name gundam-visor "
        f"--package-version 1.0.1 --source-uri {GUNDAM_SOURCE}"
    )
    for item in (publish, provenance):
        assert item.details["commands"] == [command]
        for check in item.details["checks"]:
            assert "(None)" not in check["detail"]
    page = PageContext(ctx.release, "files/", {})
    (section,) = collector.render(findings, page)
    assert "npm publish attestation" in section.body
    assert "<code>gundam-visor@1.0.1</code> by the registry https&#58;//registry.npmjs.org" in (
        section.body
    )
    assert "(attestation 2)" in section.body


def test_npm_publish_attestation_for_another_version_fails(corpus_dir: Path, make_project) -> None:  # type: ignore[no-untyped-def]
    _, _, items, _ = _npm(corpus_dir, make_project, "gundam-visor-cli-v1-tag", "v1.0.2")
    publish = items["attestations.intoto.json#1"]
    assert publish.status is Status.FAILED
    assert "version: 1.0.1 (release v1.0.2 is version 1.0.2)" in (publish.reason or "")


def test_npm_publish_attestation_without_the_registry_key_is_unverifiable(  # type: ignore[no-untyped-def]
    corpus_dir: Path, make_project
) -> None:
    _, _, items, _ = _npm(
        corpus_dir, make_project, "provenance-npm-test-cli-v1-prega", "v2.3.1", public_keys=[]
    )
    publish = items["attestations.intoto.json#1"]
    assert publish.status is Status.UNVERIFIABLE
    assert "no public_keys are configured" in _checks(publish)["signature"]["detail"]
    assert publish.details["npm_publish"]["package"] == "sigstore@2.3.1"


def test_every_check_is_shown_when_the_signature_fails(corpus_dir: Path, make_project) -> None:  # type: ignore[no-untyped-def]
    """MANIFEST: ...-invalidsigprov.tgz.json FAIL (provenance attestation signature tampered)."""
    _, _, items, _ = _npm(
        corpus_dir,
        make_project,
        "gundam-visor-cli-v1-tag-invalidsigprov",
        "v1.0.1",
        signer=GUNDAM_SIGNER,
        provenance={"source_uri": GUNDAM_SOURCE, "builders": [GITHUB_HOSTED]},
    )
    provenance = items["attestations.intoto.json#2"]
    assert provenance.status is Status.FAILED
    checks = _checks(provenance)
    assert checks["signature"]["result"] == "fail"
    for name in ("subjects", "source", "commit", "ref", "builder"):
        assert checks[name]["detail"].endswith("(read from the unauthenticated statement)"), name
    assert _checks(items["attestations.intoto.json#1"])["signature"]["result"] == "pass"


def test_signer_mismatch_keeps_the_builder_and_source_checks(
    corpus_dir: Path, make_project
) -> None:  # type: ignore[no-untyped-def]
    _, _, items, _ = _npm(
        corpus_dir,
        make_project,
        "gundam-visor-cli-v1-tag",
        "v1.0.1",
        provenance={"source_uri": GUNDAM_SOURCE, "builders": ["https://example.org/other"]},
    )
    checks = _checks(items["attestations.intoto.json#2"])
    assert checks["signature"]["result"] == "fail"
    assert "does not match a builder in provenance.builders" in checks["signature"]["detail"]
    assert checks["source"]["result"] == "pass"
    assert checks["builder"]["result"] == "fail"
