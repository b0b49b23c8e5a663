"""Image signatures and attestations checked offline against image digests.

The cryptography is :mod:`secdocs.verify.bundles` (Sigstore bundles, keyless or key-signed,
with the configured signer identity) and :mod:`secdocs.verify.keys` (cosign key signatures,
key-signed DSSE envelopes); this module only decides *which image* a signature covers:

* a Sigstore bundle or DSSE envelope carrying an in-toto statement: its subject's sha256 digest;
* a cosign signature (bundle or ``.sig`` with the key) over a simple-signing payload:
  ``critical.image.docker-manifest-digest`` of the payload, published as ``<image>.payload.json``.

A signature whose digest is not the paired image's (or, unpaired, no image of the release) fails,
naming both digests.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from secdocs.errors import SecdocsError
from secdocs.kinds.containers.model import ImageSignature, is_digest, short
from secdocs.model import Status
from secdocs.safety import load_json
from secdocs.verify.bundles import (
    INTOTO_PAYLOAD,
    Outcome,
    VerifierCache,
    statement_of,
    verify_bundle,
)
from secdocs.verify.keys import (
    PublicKey,
    decode_b64,
    verify_envelope_with_keys,
    verify_with_keys,
)
from secdocs.verify.signers import ResolvedSigner

SIMPLE_SIGNING = "cosign container image signature"
MAX_LINES = 100


def subject_digests(statement: Mapping[str, Any]) -> list[str]:
    subjects = statement.get("subject")
    found: list[str] = []
    for subject in subjects if isinstance(subjects, list) else []:
        digest = subject.get("digest") if isinstance(subject, Mapping) else None
        value = digest.get("sha256") if isinstance(digest, Mapping) else None
        if isinstance(value, str) and is_digest(f"sha256:{value.lower()}"):
            found.append(f"sha256:{value.lower()}")
    return found


def payload_digest(payload: bytes, display: str) -> str:
    """The image digest a simple-signing payload names (raises ``ValueError`` if none)."""
    try:
        doc = load_json(payload, display)
    except SecdocsError as exc:
        raise ValueError(f"payload is not JSON: {exc}") from exc
    critical = doc.get("critical") if isinstance(doc, Mapping) else None
    image = critical.get("image") if isinstance(critical, Mapping) else None
    kind = critical.get("type") if isinstance(critical, Mapping) else None
    digest = image.get("docker-manifest-digest") if isinstance(image, Mapping) else None
    if kind != SIMPLE_SIGNING or not isinstance(digest, str) or not is_digest(digest):
        raise ValueError(
            "payload is not a cosign simple-signing payload with "
            "critical.image.docker-manifest-digest"
        )
    return digest


def base_images(statement: Mapping[str, Any]) -> list[tuple[str, str | None]]:
    """Container images among a SLSA provenance's resolved dependencies (v1) or materials
    (v0.2): (uri, ``sha256:…`` or ``None``)."""
    predicate = statement.get("predicate")
    if not isinstance(predicate, Mapping):
        return []
    build = predicate.get("buildDefinition")
    deps = build.get("resolvedDependencies") if isinstance(build, Mapping) else None
    if deps is None:
        deps = predicate.get("materials")
    found: list[tuple[str, str | None]] = []
    for dep in deps if isinstance(deps, list) else []:
        if not isinstance(dep, Mapping):
            continue
        uri = dep.get("uri")
        if not isinstance(uri, str) or not uri.startswith(
            ("pkg:docker/", "pkg:oci/", "docker://", "oci://")
        ):
            continue
        digest = dep.get("digest")
        sha = digest.get("sha256") if isinstance(digest, Mapping) else None
        pinned = (
            f"sha256:{sha.lower()}"
            if isinstance(sha, str) and is_digest(f"sha256:{sha.lower()}")
            else None
        )
        found.append((uri, pinned))
    return found


class ImageVerifier:
    """Checks one release's image signatures with the shared verification support."""

    def __init__(
        self,
        verifiers: VerifierCache,
        trusted_root: str,
        keys: Callable[[], tuple[PublicKey, ...]],
        signer: ResolvedSigner,
        policy: Any,
    ) -> None:
        self.verifiers = verifiers
        self.trusted_root = trusted_root
        self.keys = keys
        self.signer = signer
        self.policy = policy

    # -- the image a signature covers --------------------------------------------------------

    @staticmethod
    def _covers(
        claimed: Sequence[str], images: Mapping[str, str], paired: str | None
    ) -> tuple[str | None, str | None, str | None]:
        """(image label, digest, failure reason)."""
        if not claimed:
            return None, None, "names no image digest"
        if paired is not None:
            wanted = next((d for d, label in images.items() if label == paired), None)
            if wanted is None:
                return paired, claimed[0], f"{paired} has no digest to compare (its layout failed)"
            if wanted in claimed:
                return paired, wanted, None
            return (
                paired,
                claimed[0],
                f"signs {', '.join(claimed)}, but {paired} is {wanted}",
            )
        for digest in claimed:
            if digest in images:
                return images[digest], digest, None
        return (
            None,
            claimed[0],
            f"signs {', '.join(short(d) for d in claimed)}, which is no image of this release",
        )

    def _result(
        self,
        path: str,
        fmt: str,
        outcome: Outcome,
        claimed: Sequence[str],
        images: Mapping[str, str],
        paired: str | None,
        predicate_type: str | None = None,
    ) -> ImageSignature:
        label, digest, problem = self._covers(claimed, images, paired)
        status, reason = outcome.status, outcome.reason
        if status is not Status.FAILED and problem is not None:
            status, reason = Status.FAILED, problem
        return ImageSignature(
            path=path,
            format=fmt,
            status=status,
            reason=reason,
            image=label,
            digest=digest,
            identity=outcome.identity,
            issuer=outcome.issuer,
            predicate_type=predicate_type,
        )

    # -- Sigstore bundles --------------------------------------------------------------------

    def bundle(
        self,
        path: str,
        raw: bytes,
        payload: bytes | None,
        images: Mapping[str, str],
        paired: str | None,
    ) -> ImageSignature:
        """A Sigstore bundle: a DSSE attestation about the image, or a cosign signature over
        the simple-signing payload (``payload``)."""
        try:
            keys = self.keys()
        except SecdocsError as exc:
            return ImageSignature(
                path, "Sigstore bundle", Status.UNVERIFIABLE, str(exc), paired, None
            )
        artifact = hashlib.sha256(payload).digest() if payload is not None else None
        outcome = verify_bundle(
            raw,
            path,
            verifier=lambda: self.verifiers.get(self.trusted_root),
            trusted_root=lambda: self.verifiers.trusted_root(self.trusted_root),
            policy=self.policy,
            keys=keys,
            artifact=artifact,
            paired=None,
            artifacts={},
            subjects=False,
        )
        if outcome.statement is not None:
            claimed = subject_digests(outcome.statement)
            ptype = str(outcome.statement.get("predicateType"))
            return self._result(
                path, "Sigstore bundle (DSSE attestation)", outcome, claimed, images, paired, ptype
            )
        if payload is None:
            if outcome.status is Status.FAILED:
                return self._result(path, "Sigstore bundle", outcome, [], images, paired)
            return ImageSignature(
                path,
                "Sigstore bundle",
                Status.MISSING,
                "a signature over a simple-signing payload: publish the payload as "
                f"{_stem(path)}.payload.json next to it",
                paired,
                None,
            )
        try:
            claimed = [payload_digest(payload, path)]
        except ValueError as exc:
            return ImageSignature(path, "Sigstore bundle", Status.FAILED, str(exc), paired, None)
        return self._result(
            path, "Sigstore bundle (cosign signature)", outcome, claimed, images, paired
        )

    # -- cosign key signatures ---------------------------------------------------------------

    def key_signature(
        self,
        path: str,
        raw: bytes,
        payload: bytes | None,
        images: Mapping[str, str],
        paired: str | None,
    ) -> ImageSignature:
        fmt = "cosign key signature"
        if payload is None:
            return ImageSignature(
                path,
                fmt,
                Status.MISSING,
                f"the signed payload {_stem(path)}.payload.json is not in the evidence folder",
                paired,
                None,
            )
        try:
            keys = self.keys()
        except SecdocsError as exc:
            return ImageSignature(path, fmt, Status.UNVERIFIABLE, str(exc), paired, None)
        if not keys:
            return ImageSignature(
                path,
                fmt,
                Status.UNVERIFIABLE,
                "no public_keys configured: add the signer's PEM public key",
                paired,
                None,
            )
        try:
            signature = decode_b64(raw, "signature")
            claimed = [payload_digest(payload, path)]
        except ValueError as exc:
            return ImageSignature(path, fmt, Status.FAILED, str(exc), paired, None)
        key = verify_with_keys(keys, signature, payload)
        if key is None:
            outcome = Outcome(
                Status.FAILED, "signature does not verify with any configured public key", "key"
            )
        else:
            outcome = Outcome(Status.VERIFIED, None, "key", identity=f"key {key.path}")
        return self._result(path, fmt, outcome, claimed, images, paired)

    # -- attestations (in-toto, one document a line) ------------------------------------------

    def attestation(
        self, path: str, raw: bytes, images: Mapping[str, str], paired: str | None
    ) -> tuple[list[ImageSignature], list[Mapping[str, Any]]]:
        """Every DSSE envelope or bundle in a ``.intoto.jsonl`` file, and the statements whose
        signature verified (for the base-image checks)."""
        results: list[ImageSignature] = []
        statements: list[Mapping[str, Any]] = []
        lines = [line for line in raw.splitlines() if line.strip()]
        for number, line in enumerate(lines[:MAX_LINES], start=1):
            where = f"{path}:{number}" if len(lines) > 1 else path
            try:
                doc = load_json(line, where)
            except SecdocsError as exc:
                results.append(
                    ImageSignature(where, "attestation", Status.FAILED, str(exc), paired, None)
                )
                continue
            if isinstance(doc, Mapping) and "mediaType" in doc:
                result = self.bundle(where, line, None, images, paired)
                results.append(result)
                continue
            result, statement = self._envelope(where, doc, images, paired)
            results.append(result)
            if statement is not None and result.status is Status.VERIFIED:
                statements.append(statement)
        if len(lines) > MAX_LINES:
            results.append(
                ImageSignature(
                    path, "attestation", Status.FAILED, f"more than {MAX_LINES} lines", paired, None
                )
            )
        return results, statements

    def _envelope(
        self, path: str, doc: Any, images: Mapping[str, str], paired: str | None
    ) -> tuple[ImageSignature, Mapping[str, Any] | None]:
        fmt = "key-signed DSSE envelope"
        try:
            if not isinstance(doc, Mapping):
                raise ValueError("not a DSSE envelope")
            payload_type = doc.get("payloadType")
            payload = decode_b64(doc.get("payload"), "payload")
            sigs = doc.get("signatures")
            if payload_type != INTOTO_PAYLOAD or not isinstance(sigs, list):
                raise ValueError("not a DSSE envelope with an in-toto payload")
            statement = statement_of(payload_type, payload, path)
        except (ValueError, SecdocsError) as exc:
            return ImageSignature(path, fmt, Status.FAILED, str(exc), paired, None), None
        ptype = str(statement.get("predicateType"))
        try:
            keys = self.keys()
        except SecdocsError as exc:
            return ImageSignature(
                path, fmt, Status.UNVERIFIABLE, str(exc), paired, None, predicate_type=ptype
            ), statement
        key = verify_envelope_with_keys(sigs, payload_type, payload, keys)
        if not keys:
            outcome = Outcome(
                Status.UNVERIFIABLE,
                "no public_keys configured: add the signer's PEM public key",
                "key",
            )
        elif key is None:
            outcome = Outcome(
                Status.FAILED,
                "envelope signature does not verify with any configured public key",
                "key",
            )
        else:
            outcome = Outcome(Status.VERIFIED, None, "key", identity=f"key {key.path}")
        return self._result(
            path, fmt, outcome, subject_digests(statement), images, paired, ptype
        ), statement


def _stem(path: str) -> str:
    for suffix in (".sigstore.json", ".sigstore", ".sig"):
        if path.endswith(suffix):
            return path[: -len(suffix)]
    return path
