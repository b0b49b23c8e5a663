"""Demo inputs for signatures and provenance: key-based, deterministic, offline.

Keyless Sigstore signing needs an OIDC token and the network, so the demo signs like
``cosign sign-blob --key``: a P-256 key derived from a fixed seed, deterministic ECDSA (RFC 6979),
one ``<artifact>.sig`` per artifact and one SLSA v1 provenance statement per release in a DSSE
envelope (``widget-<version>.intoto.jsonl``). The public key is committed as ``keys/release.pub``.
The release candidate signs only its source archive, so the site also shows a missing signature.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Mapping
from typing import Any

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

from secdocs.demo.releases import OWNER, PROJECT, SOURCE_URI, DemoRelease, EvidenceDraft

KEY_PATH = "keys/release.pub"
SEED = b"secdocs demo release signing key v1"
BUILDER = (
    "https://github.com/slsa-framework/slsa-github-generator/.github/workflows/"
    "generator_generic_slsa3.yml"
)
BUILDER_REF = "refs/tags/v2.1.0"
WORKFLOW = ".github/workflows/release.yml"
ISSUER = "https://token.actions.githubusercontent.com"
PAYLOAD_TYPE = "application/vnd.in-toto+json"


def private_key() -> ec.EllipticCurvePrivateKey:
    order = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551
    scalar = int.from_bytes(hashlib.sha256(SEED).digest(), "big") % (order - 1) + 1
    return ec.derive_private_key(scalar, ec.SECP256R1())


def public_pem() -> bytes:
    return (
        private_key()
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )


def key_id() -> str:
    der = (
        private_key()
        .public_key()
        .public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    return base64.b64encode(hashlib.sha256(der).digest()).decode()


def sign(data: bytes) -> bytes:
    """Deterministic ECDSA P-256 / SHA-256, DER encoded."""
    return private_key().sign(data, ec.ECDSA(hashes.SHA256(), deterministic_signing=True))


def pae(payload_type: str, payload: bytes) -> bytes:
    kind = payload_type.encode()
    return b"DSSEv1 %d %s %d %s" % (len(kind), kind, len(payload), payload)


def provenance_statement(
    release: DemoRelease, commit: str, artifacts: Mapping[str, bytes]
) -> dict[str, Any]:
    repo_url = f"https://{SOURCE_URI}"
    return {
        "_type": "https://in-toto.io/Statement/v1",
        "subject": [
            {"name": name, "digest": {"sha256": hashlib.sha256(data).hexdigest()}}
            for name, data in sorted(artifacts.items())
        ],
        "predicateType": "https://slsa.dev/provenance/v1",
        "predicate": {
            "buildDefinition": {
                "buildType": "https://slsa-framework.github.io/github-actions-buildtypes/workflow/v1",
                "externalParameters": {
                    "workflow": {
                        "ref": f"refs/tags/{release.tag}",
                        "repository": repo_url,
                        "path": WORKFLOW,
                    },
                },
                "internalParameters": {"github": {"event_name": "push"}},
                "resolvedDependencies": [
                    {
                        "uri": f"git+{repo_url}@refs/tags/{release.tag}",
                        "digest": {"gitCommit": commit},
                    },
                ],
            },
            "runDetails": {
                "builder": {"id": f"{BUILDER}@{BUILDER_REF}"},
                "metadata": {
                    "invocationId": f"{repo_url}/actions/runs/{1000 + release.index}/attempts/1",
                    "startedOn": release.date.strftime("%Y-%m-%dT%H:%M:%SZ"),
                },
            },
        },
    }


def envelope(statement: Mapping[str, Any]) -> bytes:
    payload = json.dumps(statement, sort_keys=True, separators=(",", ":")).encode()
    doc = {
        "payloadType": PAYLOAD_TYPE,
        "payload": base64.b64encode(payload).decode(),
        "signatures": [
            {"keyid": key_id(), "sig": base64.b64encode(sign(pae(PAYLOAD_TYPE, payload))).decode()}
        ],
    }
    return json.dumps(doc, sort_keys=True, separators=(",", ":")).encode() + b"\n"


class _Contributor:
    def tree_files(self, release: DemoRelease, previous: DemoRelease | None) -> Mapping[str, bytes]:
        return {KEY_PATH: public_pem()}

    def evidence_files(self, draft: EvidenceDraft) -> Mapping[str, bytes]:
        artifacts = draft.artifacts()
        files: dict[str, bytes] = {}
        for name, data in sorted(artifacts.items()):
            if draft.release.prerelease and not name.endswith(".tar.gz"):
                continue  # the release candidate's wheel stays unsigned
            files[f"{name}.sig"] = base64.b64encode(sign(data))
        statement = provenance_statement(draft.release, draft.commit, artifacts)
        files[f"{PROJECT}-{draft.release.version}.intoto.jsonl"] = envelope(statement)
        return files

    def plugin_options(self) -> Mapping[str, Any]:
        return {
            "signer": {
                "identity_regex": (
                    f"^https://github.com/{OWNER}/{PROJECT}/{WORKFLOW}@refs/tags/{{tag}}$"
                ),
                "issuer": ISSUER,
            },
            "public_keys": [KEY_PATH],
            "provenance": {"source_uri": SOURCE_URI, "builders": [BUILDER]},
        }


CONTRIBUTOR = _Contributor()
