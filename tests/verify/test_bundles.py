"""Engine-level checks: key-signed bundles from the corpus, subjects, certificate identities."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from secdocs.model import Status
from secdocs.verify.bundles import VerifierCache, check_subjects, verify_bundle
from secdocs.verify.keys import load_public_key

pytestmark = pytest.mark.corpus


def _verify(raw: bytes, keys, artifact=None, artifacts=None, subjects=True):  # type: ignore[no-untyped-def]
    cache = VerifierCache(lambda p: Path(p).read_bytes())
    return verify_bundle(
        raw,
        "bundle",
        verifier=lambda: cache.get("production"),
        trusted_root=lambda: cache.trusted_root("production"),
        policy=None,
        keys=keys,
        artifact=artifact,
        paired=None,
        artifacts=artifacts or {},
        subjects=subjects,
    )


def test_npm_publish_attestation_of_2023_is_unverifiable(corpus_dir: Path) -> None:
    base = corpus_dir / "sigstore-go/examples"
    raw = (base / "bundle-publish.json").read_bytes()
    key = load_public_key((base / "publish_key.pub").read_bytes(), "publish_key.pub")
    outcome = _verify(raw, (key,), subjects=False)
    # a 2023 v0.1 bundle without an inclusion proof: not checkable offline, never verified
    assert outcome.status is Status.UNVERIFIABLE, outcome.reason
    assert "inclusion proof" in (outcome.reason or "")


def test_managed_key_bundle_checks_artifact_and_key(corpus_dir: Path) -> None:
    case = corpus_dir / "sigstore-conformance/bundle-verify/managed-key-happy-path"
    raw = (case / "bundle.sigstore.json").read_bytes()
    key = load_public_key((case / "key.pub").read_bytes(), "key.pub")
    data = (case.parent / "a.txt").read_bytes()
    ok = _verify(raw, (key,), artifact=hashlib.sha256(data).digest())
    assert ok.status is Status.VERIFIED
    bad = _verify(raw, (key,), artifact=hashlib.sha256(data + b"x").digest())
    assert bad.status is Status.FAILED
    missing = _verify(raw, (key,), artifact=None)
    assert missing.status is Status.MISSING
    npm = load_public_key((corpus_dir / "sigstore-go/examples/publish_key.pub").read_bytes(), "n")
    assert _verify(raw, (npm,), artifact=hashlib.sha256(data).digest()).status is Status.FAILED


def test_check_subjects_rules() -> None:
    sha = "a" * 64
    statement = {
        "subject": [
            {"name": "dist/w.tgz", "digest": {"sha256": sha}},
            {"name": "other", "digest": {"sha256": "b" * 64}},
        ]
    }
    assert check_subjects(statement, {"w.tgz": sha}, "w.tgz")[0] is Status.VERIFIED
    assert check_subjects(statement, {"w.tgz": "c" * 64}, None)[0] is Status.FAILED
    assert check_subjects(statement, {"x": "c" * 64}, None)[0] is Status.MISSING
    assert check_subjects(statement, {"w.tgz": sha, "p": "d" * 64}, "p")[0] is Status.FAILED
    assert check_subjects({"subject": []}, {}, None)[0] is Status.FAILED
    assert check_subjects({"subject": ["x"]}, {}, None)[0] is Status.FAILED
    assert (
        check_subjects({"subject": [{"name": "w.tgz", "digest": {}}]}, {"w.tgz": sha}, None)[0]
        is Status.FAILED
    )


def test_unloadable_trust_root_makes_key_bundles_unverifiable(corpus_dir: Path) -> None:
    case = corpus_dir / "sigstore-conformance/bundle-verify/managed-key-happy-path"
    key = load_public_key((case / "key.pub").read_bytes(), "key.pub")
    data = (case.parent / "a.txt").read_bytes()
    cache = VerifierCache(lambda p: b'{"mediaType": "bogus"}')
    outcome = verify_bundle(
        (case / "bundle.sigstore.json").read_bytes(),
        "bundle",
        verifier=lambda: cache.get("custom.json"),
        trusted_root=lambda: cache.trusted_root("custom.json"),
        policy=None,
        keys=(key,),
        artifact=hashlib.sha256(data).digest(),
        paired=None,
        artifacts={},
    )
    assert outcome.status is Status.UNVERIFIABLE
    assert "trusted root" in (outcome.reason or "")
