"""Unit checks of the shared verification: certificate identities, log-entry consistency, the
commands readers run."""

from __future__ import annotations

import base64
import copy
import hashlib
import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from sigstore.errors import VerificationError
from sigstore.models import Bundle, TransparencyLogEntry
from sigstore_models.bundle.v1 import Bundle as RawBundle

from secdocs.verify import commands
from secdocs.verify.bundles import _check_intoto_v002_body, _check_key_entry, cert_identity
from secdocs.verify.keys import load_public_key, pae
from secdocs.verify.signers import SignerIdentity

INTOTO_CASE = "sigstore-conformance/bundle-verify/intoto-with-custom-trust-root"
MANAGED_CASE = "sigstore-conformance/bundle-verify/managed-key-happy-path"


def test_commands_quote_hostile_values() -> None:
    signer = SignerIdentity(identity="a b; rm -rf /", issuer="i$(x)").resolve("v1", "1")
    (sigstore, cosign) = commands.sigstore_bundle(
        "f'1", "b.json", signer, None, "production", False
    )
    assert "'a b; rm -rf /'" in sigstore and "'i$(x)'" in sigstore and "'f'\"'\"'1'" in sigstore
    assert cosign.startswith(
        "cosign verify-blob --bundle b.json --certificate-identity 'a b; rm -rf /'"
    )
    staging = commands.sigstore_bundle("f", "b", signer, None, "staging", True)
    assert staging[0].startswith("python -m sigstore --staging verify")
    assert "verify-blob-attestation" in staging[1]
    custom = commands.sigstore_bundle("f", "b", signer, None, "trust/root.json", False)
    assert len(custom) == 1 and "--trusted-root trust/root.json" in custom[0]
    no_issuer = SignerIdentity(identity="a").resolve("v1", "1")
    assert commands.sigstore_bundle("f", "b", no_issuer, None, "production", False) == []
    assert commands.gh_attestation("f", "gitlab.com/o/r", None) == []
    assert commands.slsa_verifier("f", "p", None, "v1") == []
    assert commands.git_verify_tag("v1", "k.asc", "openpgp")[0].startswith("gpg --import k.asc")
    assert commands.git_verify_tag("v1", None, None) == ["git verify-tag v1"]


@pytest.mark.corpus
def test_certificate_identity_of_a_fulcio_certificate(corpus_dir: Path) -> None:
    raw = (corpus_dir / INTOTO_CASE / "bundle.sigstore.json").read_bytes()
    san, issuer = cert_identity(Bundle.from_json(raw).signing_certificate)
    assert san is not None and san.startswith("https://github.com/sigstore-conformance/")
    assert issuer == "https://token.actions.githubusercontent.com"


def _intoto_bundle(corpus: Path, change) -> Bundle:  # type: ignore[no-untyped-def]
    doc = json.loads((corpus / INTOTO_CASE / "bundle.sigstore.json").read_bytes())
    entry = doc["verificationMaterial"]["tlogEntries"][0]
    body = json.loads(base64.b64decode(entry["canonicalizedBody"]))
    change(body)
    entry["canonicalizedBody"] = base64.b64encode(json.dumps(body).encode()).decode()
    return Bundle.from_json(json.dumps(doc))


@pytest.mark.corpus
def test_intoto_entry_body_must_match_the_envelope(corpus_dir: Path) -> None:
    def same(body):  # type: ignore[no-untyped-def]
        pass

    bundle = _intoto_bundle(corpus_dir, same)
    _check_intoto_v002_body(bundle, bundle._dsse_envelope)  # type: ignore[arg-type]

    def drop(body):  # type: ignore[no-untyped-def]
        del body["spec"]["content"]["payloadHash"]

    def rehash(body):  # type: ignore[no-untyped-def]
        body["spec"]["content"]["payloadHash"]["value"] = "0" * 64

    def repayload(body):  # type: ignore[no-untyped-def]
        body["spec"]["content"]["envelope"]["payload"] = base64.b64encode(b"x").decode()

    def resign(body):  # type: ignore[no-untyped-def]
        sig = body["spec"]["content"]["envelope"]["signatures"][0]
        sig["sig"] = base64.b64encode(b"AAAA").decode()

    def rekey(body):  # type: ignore[no-untyped-def]
        body["spec"]["content"]["envelope"]["signatures"][0]["publicKey"] = "AAAA"

    for change in (drop, rehash, repayload, resign, rekey):
        bundle = _intoto_bundle(corpus_dir, change)
        with pytest.raises(VerificationError):
            _check_intoto_v002_body(bundle, bundle._dsse_envelope)  # type: ignore[arg-type]


def _entry_with_body(corpus: Path, body: dict) -> TransparencyLogEntry:  # type: ignore[type-arg]
    doc = json.loads((corpus / MANAGED_CASE / "bundle.sigstore.json").read_bytes())
    raw_entry = copy.deepcopy(doc["verificationMaterial"]["tlogEntries"][0])
    raw_entry["canonicalizedBody"] = base64.b64encode(json.dumps(body).encode()).decode()
    doc["verificationMaterial"]["tlogEntries"] = [raw_entry]
    inner = RawBundle.from_json(json.dumps(doc)).verification_material.tlog_entries[0]
    return TransparencyLogEntry(inner)


@pytest.mark.corpus
def test_key_signed_dsse_log_entries(corpus_dir: Path) -> None:
    private = ec.generate_private_key(ec.SECP256R1())
    pem = private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    key = load_public_key(pem, "k.pub")
    payload = b'{"_type": "https://in-toto.io/Statement/v1"}'
    signed = pae("application/vnd.in-toto+json", payload)
    sig = private.sign(signed, ec.ECDSA(hashes.SHA256()))
    digest = hashlib.sha256(signed).digest()
    payload_hash = {"algorithm": "sha256", "value": hashlib.sha256(payload).hexdigest()}
    b64 = base64.b64encode
    dsse_body = {
        "apiVersion": "0.0.1",
        "kind": "dsse",
        "spec": {
            "payloadHash": payload_hash,
            "signatures": [{"signature": b64(sig).decode(), "verifier": b64(pem).decode()}],
        },
    }
    intoto_body = {
        "apiVersion": "0.0.2",
        "kind": "intoto",
        "spec": {
            "content": {
                "payloadHash": payload_hash,
                "envelope": {
                    "signatures": [{"sig": b64(b64(sig)).decode(), "publicKey": b64(pem).decode()}]
                },
            }
        },
    }
    for body in (dsse_body, intoto_body):
        entry = _entry_with_body(corpus_dir, body)
        _check_key_entry(entry, key, sig, digest, True, payload)
        with pytest.raises(VerificationError):
            _check_key_entry(entry, key, sig, digest, True, payload + b" ")
        with pytest.raises(VerificationError):
            _check_key_entry(entry, key, b"other", digest, True, payload)
    with pytest.raises(VerificationError):
        _check_key_entry(_entry_with_body(corpus_dir, {"kind": "rekord"}), key, sig, digest, False)
