"""Key-based signatures (cosign sign-blob --key, key-signed DSSE) with keys made in the tests."""

from __future__ import annotations

import base64
import json

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa

from secdocs.collectors import PageContext
from secdocs.demo import DemoRelease
from secdocs.demo import signing as demo
from secdocs.errors import ConfigError
from secdocs.kinds.provenance.collect import ProvenanceCollector
from secdocs.kinds.signatures.collect import SignaturesCollector
from secdocs.model import Status
from secdocs.verify.keys import decode_b64, load_public_key

ARTIFACT = b"widget 1.0.0 release archive\n"


def _pem(key) -> bytes:  # type: ignore[no-untyped-def]
    return key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def _collect(project, files, **sections):  # type: ignore[no-untyped-def]
    ctx = project.context(files, **sections)
    collector = SignaturesCollector(ctx.config)
    findings = collector.collect(ctx)
    return ctx, collector, findings, {i.path: i for i in findings.items}


@pytest.fixture
def p256():  # type: ignore[no-untyped-def]
    return ec.generate_private_key(ec.SECP256R1())


def test_cosign_key_signature_verifies(make_project, p256) -> None:  # type: ignore[no-untyped-def]
    project = make_project()
    key = project.write("keys/release.pub", _pem(p256))
    sig = base64.b64encode(p256.sign(ARTIFACT, ec.ECDSA(hashes.SHA256())))
    ctx, collector, findings, items = _collect(
        project,
        {"w.tar.gz": ARTIFACT, "w.tar.gz.sig": sig, "SHA256SUMS": b"x  w.tar.gz\n"},
        public_keys=[key],
    )
    item = items["w.tar.gz.sig"]
    assert item.status is Status.VERIFIED, item.reason
    assert item.signer is not None and item.signer.identity == "key keys/release.pub"
    assert item.details["commands"] == [
        "cosign verify-blob --key keys/release.pub --signature w.tar.gz.sig w.tar.gz"
    ]
    assert findings.data["checksum_commands"] == ["sha256sum --check --ignore-missing SHA256SUMS"]
    (section,) = collector.render(findings, PageContext(ctx.release, "../files/", {}))
    assert "How to verify" in section.body
    assert "cosign verify-blob --key keys/release.pub" in section.body


def test_tampered_artifact_fails(make_project, p256) -> None:  # type: ignore[no-untyped-def]
    project = make_project()
    key = project.write("keys/release.pub", _pem(p256))
    sig = base64.b64encode(p256.sign(ARTIFACT, ec.ECDSA(hashes.SHA256())))
    _, _, _, items = _collect(
        project, {"w.tar.gz": ARTIFACT + b"!", "w.tar.gz.sig": sig}, public_keys=[key]
    )
    assert items["w.tar.gz.sig"].status is Status.FAILED
    assert "does not verify" in (items["w.tar.gz.sig"].reason or "")


def test_wrong_key_fails_and_no_key_is_unverifiable(make_project, p256) -> None:  # type: ignore[no-untyped-def]
    project = make_project()
    other = project.write("keys/other.pub", _pem(ec.generate_private_key(ec.SECP256R1())))
    sig = base64.b64encode(p256.sign(ARTIFACT, ec.ECDSA(hashes.SHA256())))
    files = {"w.tar.gz": ARTIFACT, "w.tar.gz.sig": sig}
    _, _, _, items = _collect(project, files, public_keys=[other])
    assert items["w.tar.gz.sig"].status is Status.FAILED
    _, _, _, items = _collect(project, files)
    assert items["w.tar.gz.sig"].status is Status.UNVERIFIABLE
    assert "public_keys" in (items["w.tar.gz.sig"].reason or "")


def test_ed25519_and_rsa_keys(make_project) -> None:  # type: ignore[no-untyped-def]
    project = make_project()
    ed = ed25519.Ed25519PrivateKey.generate()
    rs = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    keys = [project.write("keys/ed.pub", _pem(ed)), project.write("keys/rsa.pub", _pem(rs))]
    files = {
        "a.bin": ARTIFACT,
        "a.bin.sig": base64.b64encode(ed.sign(ARTIFACT)),
        "b.bin": ARTIFACT + b"b",
        "b.bin.sig": base64.b64encode(
            rs.sign(ARTIFACT + b"b", padding.PKCS1v15(), hashes.SHA256())
        ),
    }
    _, _, _, items = _collect(project, files, public_keys=keys)
    assert items["a.bin.sig"].status is Status.VERIFIED
    assert items["a.bin.sig"].signer.identity == "key keys/ed.pub"  # type: ignore[union-attr]
    assert items["b.bin.sig"].status is Status.VERIFIED
    assert items["b.bin.sig"].signer.identity == "key keys/rsa.pub"  # type: ignore[union-attr]


def test_bad_inputs_fail_closed(make_project, p256) -> None:  # type: ignore[no-untyped-def]
    project = make_project()
    key = project.write("keys/release.pub", _pem(p256))
    files = {
        "a.bin": ARTIFACT,
        "a.bin.sig": b"%%% not base64 %%%",
        "gone.bin.sig": b"AAAA",
        "c.bin": ARTIFACT,
        "c.bin.sig": b"AAAA",
        "c.bin.crt": b"-----BEGIN CERTIFICATE-----\n",
        "lonely.bin": ARTIFACT,
        "d.bin.sigstore.json": b"{not json",
        "e.bin.sigstore.json": b'{"mediaType": "text/plain"}',
    }
    _, _, findings, items = _collect(project, files, public_keys=[key])
    assert items["a.bin.sig"].status is Status.FAILED
    assert items["gone.bin.sig"].status is Status.MISSING
    assert items["c.bin.sig"].status is Status.UNVERIFIABLE
    assert "c.bin.crt" in (items["c.bin.sig"].reason or "")
    assert items["lonely.bin"].status is Status.MISSING
    assert "not signed" in (items["lonely.bin"].reason or "")
    assert items["d.bin.sigstore.json"].status is Status.FAILED
    assert items["e.bin.sigstore.json"].status is Status.FAILED
    assert all(i.status is not Status.VERIFIED for i in findings.items)


def test_bad_key_files_are_config_errors(make_project) -> None:  # type: ignore[no-untyped-def]
    project = make_project()
    bad = project.write("keys/bad.pub", b"not a key")
    files = {"a.bin": ARTIFACT, "a.bin.sig": b"AAAA"}
    _, _, _, items = _collect(project, files, public_keys=[bad])
    assert items["a.bin.sig"].status is Status.UNVERIFIABLE
    assert "keys/bad.pub" in (items["a.bin.sig"].reason or "")
    with pytest.raises(ConfigError, match=r"public_keys\[0\]: '\.\./outside\.pub' must not"):
        _collect(project, files, public_keys=["../outside.pub"])
    with pytest.raises(ConfigError):
        load_public_key(b"-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n", "x")


def test_decode_b64_variants() -> None:
    assert decode_b64("AAEC", "x") == b"\x00\x01\x02"
    assert decode_b64("-_8", "x") == b"\xfb\xff"
    with pytest.raises(ValueError):
        decode_b64(12, "x")


def _release(project) -> DemoRelease:  # type: ignore[no-untyped-def]
    from datetime import UTC, datetime

    return DemoRelease(1, project.tag, project.tag.lstrip("v"), datetime(2026, 1, 1, tzinfo=UTC))


def _provenance_sections(key: str) -> dict[str, object]:
    return {
        "public_keys": [key],
        "provenance": {"source_uri": "github.com/acme/widget", "builders": [demo.BUILDER]},
    }


def test_key_signed_slsa_provenance_verifies(make_project) -> None:  # type: ignore[no-untyped-def]
    project = make_project()
    key = project.write("keys/release.pub", demo.public_pem())
    artifacts = {"widget-1.0.0.tar.gz": ARTIFACT}
    env = demo.envelope(demo.provenance_statement(_release(project), project.commit, artifacts))
    ctx = project.context({**artifacts, "widget.intoto.jsonl": env}, **_provenance_sections(key))
    collector = ProvenanceCollector(ctx.config)
    findings = collector.collect(ctx)
    (item,) = findings.items
    assert item.status is Status.VERIFIED, item.reason
    assert item.signer is not None and item.signer.identity == "key keys/release.pub"
    checks = {c["name"]: c["result"] for c in item.details["checks"]}
    assert checks == {
        "signature": "pass",
        "subjects": "pass",
        "source": "pass",
        "commit": "pass",
        "ref": "pass",
        "builder": "pass",
    }
    assert item.details["source_commit"] == project.commit
    assert item.details["trigger"] == "push"
    assert item.details["commands"][0].startswith(
        "cosign verify-blob-attestation --key keys/release.pub --signature widget.intoto.jsonl"
    )
    (section,) = collector.render(findings, PageContext(ctx.release, "", {}))
    assert project.commit in section.body


def test_provenance_for_another_commit_or_tampered_envelope_fails(make_project) -> None:  # type: ignore[no-untyped-def]
    project = make_project()
    key = project.write("keys/release.pub", demo.public_pem())
    artifacts = {"widget-1.0.0.tar.gz": ARTIFACT}
    env = demo.envelope(demo.provenance_statement(_release(project), "0" * 40, artifacts))
    doc = json.loads(env)
    payload = json.loads(base64.b64decode(doc["payload"]))
    payload["subject"][0]["digest"]["sha256"] = "1" * 64
    forged = dict(doc, payload=base64.b64encode(json.dumps(payload).encode()).decode())
    ctx = project.context(
        {
            **artifacts,
            "a.intoto.jsonl": env,
            "b.intoto.jsonl": json.dumps(forged).encode(),
            "c.intoto.jsonl": b'{"hello": 1}\n',
            "d.intoto.jsonl": b"\n{broken\n",
        },
        **_provenance_sections(key),
    )
    findings = ProvenanceCollector(ctx.config).collect(ctx)
    items = {i.path: i for i in findings.items}
    a = {c["name"]: c["result"] for c in items["a.intoto.jsonl"].details["checks"]}
    assert a["commit"] == "fail" and a["signature"] == "pass"
    assert items["a.intoto.jsonl"].status is Status.FAILED
    b = {c["name"]: c["result"] for c in items["b.intoto.jsonl"].details["checks"]}
    assert b["signature"] == "fail"
    assert items["c.intoto.jsonl"].status is Status.FAILED
    assert "unknown format" in (items["c.intoto.jsonl"].reason or "")
    assert items["d.intoto.jsonl"].status is Status.FAILED
    assert findings.problems


def test_provenance_without_keys_or_config_is_unverifiable(make_project) -> None:  # type: ignore[no-untyped-def]
    project = make_project()
    artifacts = {"widget-1.0.0.tar.gz": ARTIFACT}
    env = demo.envelope(demo.provenance_statement(_release(project), project.commit, artifacts))
    ctx = project.context({**artifacts, "w.intoto.jsonl": env})
    (item,) = ProvenanceCollector(ctx.config).collect(ctx).items
    assert item.status is Status.UNVERIFIABLE
    assert "public_keys" in (item.reason or "")
    assert "provenance.source_uri" in (item.reason or "")
    assert "provenance.builders" in (item.reason or "")


def test_demo_signatures_are_deterministic_and_verify(make_project) -> None:  # type: ignore[no-untyped-def]
    assert demo.sign(b"x") == demo.sign(b"x")
    assert demo.public_pem() == demo.public_pem()
    pub = load_public_key(demo.public_pem(), "demo")
    assert pub.verify(demo.sign(b"payload"), b"payload")
    assert pub.hint == demo.key_id()
    options = demo.CONTRIBUTOR.plugin_options()
    assert options["public_keys"] == [demo.KEY_PATH]
    assert demo.CONTRIBUTOR.tree_files(_release(make_project()), None) == {
        demo.KEY_PATH: demo.public_pem()
    }


def test_demo_evidence_files(make_project) -> None:  # type: ignore[no-untyped-def]
    from secdocs.demo import RELEASES, EvidenceDraft, artifact_bytes

    rc = next(r for r in RELEASES if r.prerelease)
    files = demo.CONTRIBUTOR.evidence_files(EvidenceDraft(rc, "a" * 40, artifact_bytes(rc)))
    sigs = sorted(n for n in files if n.endswith(".sig"))
    assert sigs == [f"widget-{rc.version}.tar.gz.sig"]  # the rc's wheel stays unsigned
    assert f"widget-{rc.version}.intoto.jsonl" in files


def test_new_signer_since_previous_release_is_a_warning(make_project, p256) -> None:  # type: ignore[no-untyped-def]
    project = make_project()
    other_key = ec.generate_private_key(ec.SECP256R1())
    keys = [project.write("keys/a.pub", _pem(p256)), project.write("keys/b.pub", _pem(other_key))]
    first = {
        "w.tar.gz": ARTIFACT,
        "w.tar.gz.sig": base64.b64encode(p256.sign(ARTIFACT, ec.ECDSA(hashes.SHA256()))),
    }
    _, collector, before, _ = _collect(project, first, public_keys=keys)
    assert before.data["signers"] == ["key keys/a.pub (key)"]
    assert collector.compare(None, before) is before
    assert collector.compare(before, before) is before
    second = {
        "w.tar.gz": ARTIFACT,
        "w.tar.gz.sig": base64.b64encode(other_key.sign(ARTIFACT, ec.ECDSA(hashes.SHA256()))),
    }
    _, collector, after, _ = _collect(project, second, public_keys=keys)
    compared = collector.compare(before, after)
    assert compared.data["new_signers"] == ["key keys/b.pub (key)"]
    (problem,) = compared.problems
    assert problem.severity == "warning" and "keys/a.pub" in problem.message


def _by_digest(project, files, **sections):  # type: ignore[no-untyped-def]
    """Like _collect, with the artifacts known by digest only (the binary is not kept)."""
    import dataclasses

    from secdocs.digests import known_digests

    ctx = project.context(files, **sections)
    ctx = dataclasses.replace(ctx, digests=known_digests(ctx.files, ctx.read))
    collector = SignaturesCollector(ctx.config)
    findings = collector.collect(ctx)
    return {i.path: i for i in findings.items}


def test_key_signatures_are_checked_against_a_digest_when_the_binary_is_not_kept(
    make_project, p256
) -> None:  # type: ignore[no-untyped-def]
    import hashlib

    project = make_project()
    ed = ed25519.Ed25519PrivateKey.generate()
    keys = [project.write("keys/release.pub", _pem(p256)), project.write("keys/ed.pub", _pem(ed))]
    digest = hashlib.sha256(ARTIFACT).hexdigest()
    other = hashlib.sha256(b"tampered").hexdigest()
    files = {
        # ECDSA signs the digest: checked pre-hashed, the binary is not needed
        "w.tar.gz.sig": base64.b64encode(p256.sign(ARTIFACT, ec.ECDSA(hashes.SHA256()))),
        "t.tar.gz.sig": base64.b64encode(p256.sign(ARTIFACT, ec.ECDSA(hashes.SHA256()))),
        # Ed25519 signs the whole message: without the binary secdocs cannot decide
        "e.bin.sig": base64.b64encode(ed.sign(ARTIFACT)),
        "SHA256SUMS": (
            f"{digest}  w.tar.gz\n{other}  t.tar.gz\n{digest}  e.bin\n{digest}  unsigned.whl\n"
        ).encode(),
    }
    items = _by_digest(project, files, public_keys=keys)
    assert items["w.tar.gz.sig"].status is Status.VERIFIED, items["w.tar.gz.sig"].reason
    # with an Ed25519 key configured, a digest no ECDSA key verifies could be Ed25519-signed
    assert items["t.tar.gz.sig"].status is Status.UNVERIFIABLE
    assert items["e.bin.sig"].status is Status.UNVERIFIABLE
    assert "--keep-binaries" in (items["e.bin.sig"].reason or "")
    # an artifact known by digest and not signed is still reported
    assert items["unsigned.whl"].status is Status.MISSING
    # with ECDSA keys only, a digest that does not match the signature fails
    items = _by_digest(project, files, public_keys=keys[:1])
    assert items["t.tar.gz.sig"].status is Status.FAILED
    assert items["w.tar.gz.sig"].status is Status.VERIFIED
