"""Keyless Sigstore bundles from the corpus: identity policy, pairing, trust roots, commands.

Expected outcomes follow MANIFEST.md: conformance ``happy-path-*`` bundles pass with the suite's
default identity and issuer; sigstore-python's ``bundle_v3.txt.sigstore`` is a STAGING bundle.
"""

from __future__ import annotations

import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from secdocs.collectors import PageContext
from secdocs.errors import ConfigError
from secdocs.kinds.signatures.collect import SignaturesCollector
from secdocs.model import Status
from secdocs.pipeline import open_run
from secdocs.render import json as evidence_json
from secdocs.verify.signers import SignerIdentity

pytestmark = pytest.mark.corpus

IDENTITY = (
    "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/"
    ".github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main"
)
ISSUER = "https://token.actions.githubusercontent.com"


def _happy(corpus: Path, case: str = "happy-path-v0.3") -> dict[str, bytes]:
    suite = corpus / "sigstore-conformance/bundle-verify"
    return {
        "a.txt": (suite / "a.txt").read_bytes(),
        "a.txt.sigstore.json": (suite / case / "bundle.sigstore.json").read_bytes(),
    }


def _item(project, files, **sections):  # type: ignore[no-untyped-def]
    ctx = project.context(files, **sections)
    collector = SignaturesCollector(ctx.config)
    findings = collector.collect(ctx)
    items = {i.path: i for i in findings.items}
    return ctx, collector, findings, items["a.txt.sigstore.json"]


def test_verified_bundle_records_signer_and_rekor(corpus_dir, make_project) -> None:  # type: ignore[no-untyped-def]
    ctx, collector, findings, item = _item(
        make_project(), _happy(corpus_dir), signer={"identity": IDENTITY, "issuer": ISSUER}
    )
    assert item.status is Status.VERIFIED
    assert item.signer is not None
    assert (item.signer.identity, item.signer.issuer) == (IDENTITY, ISSUER)
    assert isinstance(item.details["rekor_log_index"], int)
    assert item.details["time"]
    commands = item.details["commands"]
    assert commands[0] == shlex.join(
        [
            "python",
            "-m",
            "sigstore",
            "verify",
            "identity",
            "--offline",
            "--bundle",
            "a.txt.sigstore.json",
            "--cert-identity",
            IDENTITY,
            "--cert-oidc-issuer",
            ISSUER,
            "a.txt",
        ]
    )
    assert commands[1].startswith("cosign verify-blob --bundle a.txt.sigstore.json")
    (section,) = collector.render(findings, PageContext(ctx.release, "files/", {}))
    assert "search.sigstore.dev/?logIndex" in section.body
    assert "extremely-dangerous-oidc-beacon.yml" in section.body
    entry = findings.data["entries"][0]
    assert entry["signer"] == {"identity": IDENTITY, "issuer": ISSUER}


def test_identity_regex_with_tag_placeholder(corpus_dir, make_project) -> None:  # type: ignore[no-untyped-def]
    project = make_project(tag="main")
    regex = (
        r"^https://github\.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/"
        r"\.github/workflows/[a-z.-]+\.yml@refs/heads/{tag}$"
    )
    _, _, _, item = _item(
        project, _happy(corpus_dir), signer={"identity_regex": regex, "issuer": ISSUER}
    )
    assert item.status is Status.VERIFIED, item.reason
    assert "--certificate-identity-regexp" in item.details["commands"][1]
    # the sigstore CLI has no regex flag: the command uses the identity that matched
    assert f"--cert-identity {IDENTITY}" in item.details["commands"][0]


def test_identity_or_issuer_mismatch_fails(corpus_dir, make_project) -> None:  # type: ignore[no-untyped-def]
    project = make_project()
    for signer in (
        {"identity": IDENTITY + "x", "issuer": ISSUER},
        {"identity": IDENTITY, "issuer": "https://accounts.google.com"},
        {"identity_regex": "https://github.com/acme/.*", "issuer": ISSUER},
    ):
        _, _, _, item = _item(project, _happy(corpus_dir), signer=signer)
        assert item.status is Status.FAILED, signer
        assert "does not match" in (item.reason or "") or "issuer" in (item.reason or "")


def test_no_identity_configured_is_never_verified(corpus_dir, make_project) -> None:  # type: ignore[no-untyped-def]
    for case in ("happy-path-v0.3", "happy-path-intoto-in-dsse-v3"):
        _, _, _, item = _item(make_project(), _happy(corpus_dir, case))
        assert item.status is Status.UNVERIFIABLE
        assert "no signer identity is configured" in (item.reason or "")
        assert "signer.identity" in (item.reason or "")
        assert item.signer is not None and item.signer.identity == IDENTITY


def test_bundle_without_its_artifact_is_missing(corpus_dir, make_project) -> None:  # type: ignore[no-untyped-def]
    files = _happy(corpus_dir)
    del files["a.txt"]
    _, _, _, item = _item(make_project(), files, signer={"identity": IDENTITY, "issuer": ISSUER})
    assert item.status is Status.MISSING
    assert "a.txt" in (item.reason or "")


def test_dsse_bundle_subject_must_match_the_artifact(corpus_dir, make_project) -> None:  # type: ignore[no-untyped-def]
    files = _happy(corpus_dir, "happy-path-intoto-in-dsse-v3")
    signer = {"identity": IDENTITY, "issuer": ISSUER}
    _, _, _, item = _item(make_project(), files, signer=signer)
    assert item.status is Status.VERIFIED
    assert "cosign verify-blob-attestation" in item.details["commands"][1]
    files["a.txt"] = files["a.txt"] + b"tampered"
    _, _, _, item = _item(make_project(), files, signer=signer)
    assert item.status is Status.FAILED
    assert "subject" in (item.reason or "")


def test_staging_bundle_with_staging_root(corpus_dir, make_project) -> None:  # type: ignore[no-untyped-def]
    base = corpus_dir / "sigstore-python"
    files = {
        "a.txt": (base / "bundle_v3.txt").read_bytes(),
        "a.txt.sigstore.json": (base / "bundle_v3.txt.sigstore").read_bytes(),
    }
    _, _, _, item = _item(make_project(), files, trusted_root="staging")
    assert item.status is Status.UNVERIFIABLE  # valid, but no identity configured
    _, _, _, item = _item(make_project(), files)  # production root: must fail
    assert item.status is Status.FAILED


def test_unreadable_trusted_root_is_unverifiable(corpus_dir, make_project) -> None:  # type: ignore[no-untyped-def]
    project = make_project()
    root = project.write("trust/root.json", b'{"mediaType": "nope"}')
    _, _, _, item = _item(
        project,
        _happy(corpus_dir),
        trusted_root=root,
        signer={"identity": IDENTITY, "issuer": ISSUER},
    )
    assert item.status is Status.UNVERIFIABLE
    assert "trusted root" in (item.reason or "")


def test_generated_sigstore_command_passes_and_fails_on_tampering(corpus_dir, make_project) -> None:  # type: ignore[no-untyped-def]
    ctx, _, _, item = _item(
        make_project(), _happy(corpus_dir), signer={"identity": IDENTITY, "issuer": ISSUER}
    )
    argv = shlex.split(item.details["commands"][0])
    assert argv[:3] == ["python", "-m", "sigstore"] and "--offline" in argv
    argv[0] = sys.executable
    folder = ctx.evidence_root
    ok = subprocess.run(argv, cwd=folder, capture_output=True, text=True, timeout=120)
    assert ok.returncode == 0, ok.stderr
    (folder / "a.txt").write_bytes((folder / "a.txt").read_bytes() + b"tampered")
    bad = subprocess.run(argv, cwd=folder, capture_output=True, text=True, timeout=120)
    assert bad.returncode != 0


def test_pipeline_json_lists_signer(corpus_dir, make_project) -> None:  # type: ignore[no-untyped-def]
    ctx = make_project().context(
        _happy(corpus_dir), signer={"identity": IDENTITY, "issuer": ISSUER}
    )
    run = open_run(ctx.config, [SignaturesCollector(ctx.config)])
    (report,) = list(run.reports())
    doc = evidence_json.release_json(report)
    items = [i for i in doc["items"] if i["path"] == "a.txt.sigstore.json"]  # type: ignore[index,union-attr]
    assert items and items[0]["status"] == "verified"
    assert items[0]["kind"] == "signature"
    assert items[0]["signer"] == {"identity": IDENTITY, "issuer": ISSUER}


def test_options_validation(tmp_path: Path) -> None:
    from secdocs.config import from_mapping

    (tmp_path / "k.pub").write_text("key")

    def cfg(**sections):  # type: ignore[no-untyped-def]
        return from_mapping(sections, tmp_path)

    for bad in (
        {"signer": "x"},
        {"signer": {"identity": "a", "identity_regex": "b"}},
        {"signer": {"identity_regex": "("}},
        {"signer": {"who": 1}},
        {"signer": {"identity": ""}},
        {"provenance": []},
        {"provenance": {"builders": [1]}},
        {"provenance": {"x": 1}},
        {"trusted_root": 5},
        {"signer": {"identity": "x" * 5000}},
    ):
        with pytest.raises(ConfigError):
            cfg(**bad)
    opts = cfg(public_keys="k.pub", provenance={"builders": "b"}).options
    assert opts.public_keys == ("k.pub",) and opts.provenance.builders == ("b",)
    resolved = SignerIdentity(identity_regex="a{tag}.*", issuer="i").resolve("v1.0", "1.0")
    assert (
        resolved.matches("av1.0zz")
        and not resolved.matches("av1x0")
        and not resolved.matches("xav1.0")
    )
    exact = SignerIdentity(identity="w@refs/tags/{tag}/{version}").resolve("v2", "2")
    assert exact.identity == "w@refs/tags/v2/2" and exact.describe() == "w@refs/tags/v2/2"


def test_slsa_provenance_in_a_signature_bundle(corpus_dir, make_project) -> None:  # type: ignore[no-untyped-def]
    from secdocs.kinds.provenance.collect import ProvenanceCollector

    files = _happy(corpus_dir, "happy-path-intoto-in-dsse-v3")
    files["b.txt.sigstore.json"] = _happy(corpus_dir)["a.txt.sigstore.json"]  # not provenance
    files["c.txt.sigstore.json"] = b"{broken"
    ctx = make_project().context(files, signer={"identity": IDENTITY, "issuer": ISSUER})
    findings = ProvenanceCollector(ctx.config).collect(ctx)
    (item,) = findings.items
    assert item.path == "a.txt.sigstore.json"
    checks = {c["name"]: c["result"] for c in item.details["checks"]}
    assert checks["signature"] == "pass" and checks["subjects"] == "pass"
    assert item.signer is not None and item.signer.identity == IDENTITY
    assert item.details["predicate_type"] == "https://slsa.dev/provenance/v1"
    assert item.status is not Status.VERIFIED  # source/builder not configured, commit differs
