"""Offline verification of Sigstore bundles, key-signed bundles and DSSE envelopes.

Keyless bundles go through sigstore-python's :class:`~sigstore.verify.Verifier` (one instance per
trusted root, built once and reused). Two gaps of sigstore-python 4.5 are closed here, each with the
library's own building blocks rather than a re-implementation:

* Rekor ``intoto`` v0.0.2 entries (npm and sigstore-js provenance): the verifier's common checks
  (time, certificate chain, SCT, identity policy, inclusion proof, checkpoint, SET) are used as is;
  only the entry-body consistency check, which the library lacks for this type, is added.
* Bundles signed with a managed key: the transparency-log entry is checked with sigstore-python's
  inclusion-proof, checkpoint and SET verification; the signature itself with ``cryptography``
  against the configured public key.

One fault of sigstore-python 4.5.1 is worked around: a timestamp authority's validity period is a
closed interval (conformance ``trust-root-tsa-validity-end-inclusive``), but the library treats its
end as exclusive. A timestamp rejected by the library is checked once more, by the library's own
code, against only the authorities whose validity ends exactly at the signed time, with that end
moved one microsecond later.

Nothing here raises for bad input: every path ends in an :class:`Outcome` whose status is
``verified`` only when every check passed.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, cast

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.x509.oid import ObjectIdentifier
from sigstore import dsse
from sigstore.errors import Error as SigstoreError
from sigstore.errors import VerificationError
from sigstore.hashes import Hashed
from sigstore.models import Bundle, ClientTrustConfig, TransparencyLogEntry, TrustedRoot
from sigstore.verify import Verifier
from sigstore.verify.policy import UnsafeNoOp, VerificationPolicy
from sigstore_models.bundle.v1 import Bundle as RawBundle
from sigstore_models.common.v1 import HashAlgorithm
from sigstore_models.trustroot.v1 import TrustedRoot as RawTrustedRoot

from secdocs.errors import ConfigError, SecdocsError
from secdocs.model import JSONValue, Status
from secdocs.safety import check_json_depth, load_json
from secdocs.verify.keys import PublicKey, decode_b64, pae, verify_with_keys
from secdocs.verify.signers import ResolvedSigner

_ISSUER_V1 = ObjectIdentifier("1.3.6.1.4.1.57264.1.1")
_ISSUER_V2 = ObjectIdentifier("1.3.6.1.4.1.57264.1.8")
_OTHERNAME = ObjectIdentifier("1.3.6.1.4.1.57264.1.7")
BUNDLE_MEDIA_PREFIX = "application/vnd.dev.sigstore.bundle"
INTOTO_PAYLOAD = "application/vnd.in-toto+json"
STATEMENT_TYPES = ("https://in-toto.io/Statement/v0.1", "https://in-toto.io/Statement/v1")
MAX_SUBJECTS = 10_000


@dataclass(frozen=True)
class Outcome:
    """The result of checking one signature."""

    status: Status
    reason: str | None
    kind: str  # "message-signature" | "dsse" | "key-signature" | ...
    identity: str | None = None
    issuer: str | None = None
    details: dict[str, JSONValue] = field(default_factory=dict)
    #: the decoded in-toto statement of a DSSE envelope whose signature verified (or was parsed)
    statement: Mapping[str, Any] | None = None


# --------------------------------------------------------------------------------------------
# certificates and identity policies


def cert_identity(cert: x509.Certificate) -> tuple[str | None, str | None]:
    """The first SAN (URI, e-mail or Sigstore other-name) and the OIDC issuer of a certificate."""
    san: str | None = None
    try:
        ext = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        values: list[str] = list(ext.get_values_for_type(x509.UniformResourceIdentifier))
        values += list(ext.get_values_for_type(x509.RFC822Name))
        values += [
            o.value.decode("utf-8", "replace")
            for o in ext.get_values_for_type(x509.OtherName)
            if o.type_id == _OTHERNAME
        ]
        san = values[0] if values else None
    except x509.ExtensionNotFound:
        pass
    issuer: str | None = None
    for oid in (_ISSUER_V2, _ISSUER_V1):
        try:
            raw = cert.extensions.get_extension_for_oid(oid).value
        except x509.ExtensionNotFound:
            continue
        data = raw.value if isinstance(raw, x509.UnrecognizedExtension) else b""
        if oid == _ISSUER_V2 and len(data) >= 2 and data[0] == 0x0C:
            data = data[2:] if data[1] < 0x80 else data[2 + (data[1] & 0x7F) :]
        issuer = data.decode("utf-8", "replace")
        break
    return san, issuer


class SignerMatch:
    """A sigstore :class:`VerificationPolicy`: issuer must equal, SAN must satisfy a predicate."""

    def __init__(self, issuer: str, accepts: Callable[[str], bool], wanted: str) -> None:
        self._issuer = issuer
        self._accepts = accepts
        self._wanted = wanted

    def verify(self, cert: x509.Certificate) -> None:
        san, issuer = cert_identity(cert)
        if issuer != self._issuer:
            raise VerificationError(f"issuer {issuer!r} is not the configured {self._issuer!r}")
        if san is None or not self._accepts(san):
            raise VerificationError(f"signer {san!r} does not match {self._wanted}")


def identity_check(signer: ResolvedSigner) -> VerificationPolicy | None:
    if not ((signer.identity or signer.regex) and signer.issuer):
        return None
    return SignerMatch(
        signer.issuer, signer.matches, f"the configured identity {signer.describe()!r}"
    )


# --------------------------------------------------------------------------------------------
# verifiers, one per trusted root


class _Verifier(Verifier):
    """sigstore-python's Verifier, also accepting the integrated time of Rekor intoto v0.0.2."""

    def _establish_time(self, bundle: Bundle) -> list[Any]:
        inner = bundle.log_entry._inner
        kv = inner.kind_version
        if kv.kind == "intoto" and kv.version == "0.0.2":
            original = kv.kind
            kv.kind = "dsse"  # the time source is the same SET-bound integrated time
            kv.version = "0.0.1"
            try:
                return super()._establish_time(bundle)
            finally:
                kv.kind = original
                kv.version = "0.0.2"
        return super()._establish_time(bundle)

    def _verify_signed_timestamp(self, timestamp_response: Any, message: bytes) -> Any:
        result = super()._verify_signed_timestamp(timestamp_response, message)
        if result is not None:
            return result
        signed_at = timestamp_response.tst_info.gen_time
        ending = [
            _InclusiveEnd(authority)
            for authority in self._trusted_root.get_timestamp_authorities()
            if authority.validity_period_end == signed_at
        ]
        if not ending:
            return None
        view = cast(Verifier, _AuthoritiesView(ending))
        return Verifier._verify_signed_timestamp(view, timestamp_response, message)

    def verify_intoto_v002(self, bundle: Bundle, policy: VerificationPolicy) -> tuple[str, bytes]:
        """``verify_dsse`` for bundles whose log entry is Rekor ``intoto`` v0.0.2."""
        self._verify_common_signing_cert(bundle, policy)
        envelope = bundle._dsse_envelope
        if envelope is None:
            raise VerificationError("bundle has no DSSE envelope")
        key = bundle.signing_certificate.public_key()
        dsse._verify(key, envelope)  # type: ignore[arg-type]
        _check_intoto_v002_body(bundle, envelope)
        return envelope._inner.payload_type, envelope._inner.payload


class _InclusiveEnd:
    """A timestamp authority whose validity end is moved 1 µs later (closed interval)."""

    def __init__(self, authority: Any) -> None:
        self._authority = authority

    def certificates(self, *, allow_expired: bool) -> Any:
        return self._authority.certificates(allow_expired=allow_expired)

    @property
    def validity_period_start(self) -> datetime:
        start: datetime = self._authority.validity_period_start
        return start

    @property
    def validity_period_end(self) -> datetime:
        end: datetime = self._authority.validity_period_end
        return end + timedelta(microseconds=1)


class _AuthoritiesView:
    """What ``Verifier._verify_signed_timestamp`` reads of a verifier: its trusted root's TSAs."""

    def __init__(self, authorities: list[_InclusiveEnd]) -> None:
        self._authorities = authorities
        self._trusted_root = self

    def get_timestamp_authorities(self) -> list[_InclusiveEnd]:
        return self._authorities


def _check_intoto_v002_body(bundle: Bundle, envelope: dsse.Envelope) -> None:
    body = json.loads(bundle.log_entry._inner.canonicalized_body)
    try:
        content = body["spec"]["content"]
        logged_payload_hash = content["payloadHash"]
        logged_sigs = content["envelope"]["signatures"]
    except (KeyError, TypeError) as exc:
        raise VerificationError(f"malformed intoto log entry: missing {exc}") from exc
    payload = envelope._inner.payload
    if logged_payload_hash != {"algorithm": "sha256", "value": hashlib.sha256(payload).hexdigest()}:
        raise VerificationError("log entry payload hash does not match the envelope")
    logged_envelope_payload = content["envelope"].get("payload")
    if logged_envelope_payload is not None and (
        base64.b64decode(logged_envelope_payload) != base64.b64encode(payload)
    ):
        raise VerificationError("log entry payload does not match the envelope")
    expected = sorted(base64.b64encode(s.sig).decode() for s in envelope._inner.signatures)
    actual = []
    for sig in logged_sigs if isinstance(logged_sigs, list) else []:
        try:
            logged_cert = x509.load_pem_x509_certificate(base64.b64decode(sig.get("publicKey", "")))
        except ValueError:
            logged_cert = None
        if logged_cert != bundle.signing_certificate:
            raise VerificationError("log entry public key is not the signing certificate")
        actual.append(base64.b64decode(sig.get("sig", "")).decode("ascii", "replace"))
    if sorted(actual) != expected:
        raise VerificationError("log entry signatures do not match the envelope")


class VerifierCache:
    """Builds each trusted root's verifier once (the ``trusted_root`` option or a name)."""

    def __init__(self, read_file: Callable[[str], bytes]) -> None:
        self._read_file = read_file
        self._verifiers: dict[str, _Verifier] = {}

    def get(self, trusted_root: str) -> _Verifier:
        if trusted_root not in self._verifiers:
            self._verifiers[trusted_root] = _Verifier(trusted_root=self.trusted_root(trusted_root))
        return self._verifiers[trusted_root]

    def trusted_root(self, name: str) -> TrustedRoot:
        if name in ("production", "staging"):
            # offline on purpose: silence the library's "updates will not be performed" warning
            tuf_logger = logging.getLogger("sigstore._internal.tuf")
            level = tuf_logger.level
            tuf_logger.setLevel(logging.ERROR)
            try:
                factory = (
                    ClientTrustConfig.production
                    if name == "production"
                    else (ClientTrustConfig.staging)
                )
                return factory(offline=True).trusted_root
            except (SigstoreError, OSError, ValueError) as exc:
                raise ConfigError(
                    "trusted_root", f"cannot load the embedded {name} trusted root: {exc}"
                ) from exc
            finally:
                tuf_logger.setLevel(level)
        raw = self._read_file(name)
        try:
            check_json_depth(raw, 64, name)
            return TrustedRoot(RawTrustedRoot.from_json(raw))
        except (ValueError, SecdocsError, SigstoreError) as exc:
            raise ConfigError(
                "trusted_root", f"{name}: not a Sigstore trusted root ({exc})"
            ) from exc


# --------------------------------------------------------------------------------------------
# in-toto subjects


def statement_of(payload_type: str, payload: bytes, display: str) -> Mapping[str, Any]:
    if payload_type != INTOTO_PAYLOAD:
        raise ValueError(f"DSSE payload type {payload_type!r} is not an in-toto statement")
    statement = load_json(payload, display)
    if not isinstance(statement, Mapping) or statement.get("_type") not in STATEMENT_TYPES:
        raise ValueError("DSSE payload is not an in-toto Statement v0.1 or v1")
    return statement


def check_subjects(
    statement: Mapping[str, Any],
    artifacts: Mapping[str, str],
    paired: str | None,
    sha512: Callable[[], Mapping[str, str]] | None = None,
) -> tuple[Status, str | None, list[JSONValue]]:
    """Compare every subject's sha256 with the artifacts present (name → sha256 hex).

    Subjects with only a sha512 digest (npm) are compared with ``sha512()`` (name → sha512 hex),
    computed on demand.

    ``verified`` when the paired artifact (or, without one, at least one artifact) is a subject
    and no subject naming a present file has a different digest.
    """
    subjects = statement.get("subject")
    if not isinstance(subjects, list) or not subjects:
        return Status.FAILED, "the statement has no subjects", []
    if len(subjects) > MAX_SUBJECTS:
        return Status.FAILED, f"more than {MAX_SUBJECTS} subjects", []
    by_digest: dict[str, list[str]] = {}
    for file_name, file_digest in artifacts.items():
        by_digest.setdefault(file_digest, []).append(file_name)
    rows: list[JSONValue] = []
    mismatched: list[str] = []
    matched: set[str] = set()
    by_sha512: dict[str, list[str]] | None = None
    for subject in subjects:
        if not isinstance(subject, Mapping):
            return Status.FAILED, "a subject is not an object", rows
        name = subject.get("name")
        digest_map = subject.get("digest")
        sha = digest_map.get("sha256") if isinstance(digest_map, Mapping) else None
        name_s = name if isinstance(name, str) else ""
        sha_s = sha.lower() if isinstance(sha, str) else None
        base = name_s.rsplit("/", 1)[-1]
        files = sorted(by_digest.get(sha_s, [])) if sha_s else []
        other = digest_map.get("sha512") if isinstance(digest_map, Mapping) else None
        if sha_s is None and isinstance(other, str) and sha512 is not None:
            if by_sha512 is None:
                by_sha512 = {}
                for file_name, file_digest in sha512().items():
                    by_sha512.setdefault(file_digest, []).append(file_name)
            files = sorted(by_sha512.get(other.lower(), []))
            sha_s = artifacts.get(files[0]) if files else None
        if files:
            matched.update(files)
            result = "match"
        elif base in artifacts:
            mismatched.append(base)
            result = "mismatch" if sha_s else "no sha256"
        else:
            result = "not present"
        rows.append({"name": name_s, "sha256": sha_s, "result": result, "files": list(files)})
    if mismatched:
        return (
            Status.FAILED,
            f"subject digest differs from the artifact: {', '.join(sorted(mismatched))}",
            rows,
        )
    if paired is not None and paired in artifacts and paired not in matched:
        return Status.FAILED, f"{paired} is not among the statement's subjects", rows
    if not matched:
        return (
            Status.MISSING,
            "none of the statement's subjects is in the evidence folder; add the artifacts",
            rows,
        )
    return Status.VERIFIED, None, rows


# --------------------------------------------------------------------------------------------
# bundles


def is_bundle(document: object) -> bool:
    return isinstance(document, Mapping) and str(document.get("mediaType", "")).startswith(
        BUNDLE_MEDIA_PREFIX
    )


def _log_details(document: Mapping[str, Any]) -> dict[str, JSONValue]:
    details: dict[str, JSONValue] = {"media_type": str(document.get("mediaType"))}
    material = document.get("verificationMaterial")
    entries = material.get("tlogEntries") if isinstance(material, Mapping) else None
    if isinstance(entries, list) and entries and isinstance(entries[0], Mapping):
        entry = entries[0]
        index = entry.get("logIndex")
        if isinstance(index, str | int) and str(index).isdigit():
            details["log_index"] = int(index)
        kv = entry.get("kindVersion")
        if isinstance(kv, Mapping):
            details["log_entry_type"] = f"{kv.get('kind')}/{kv.get('version')}"
        when = entry.get("integratedTime")
        if isinstance(when, str | int) and str(when).isdigit() and int(when) > 0:
            stamp = datetime.fromtimestamp(int(when), tz=UTC)
            details["integrated_time"] = stamp.strftime("%Y-%m-%dT%H:%M:%SZ")
    return details


def _tsa_times(bundle: Bundle) -> list[str]:
    data = bundle.verification_material.timestamp_verification_data
    if data is None:
        return []
    return sorted(
        t.tst_info.gen_time.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        for t in data.rfc3161_timestamps
    )


def verify_bundle(
    raw: bytes,
    display: str,
    *,
    verifier: Callable[[], _Verifier],
    trusted_root: Callable[[], TrustedRoot],
    policy: VerificationPolicy | None,
    keys: tuple[PublicKey, ...],
    artifact: bytes | None,
    paired: str | None,
    artifacts: Mapping[str, str],
    policy_hint: str = "set signer.identity (or signer.identity_regex) and signer.issuer",
    subjects: bool = True,
) -> Outcome:
    """Check one Sigstore bundle. ``artifact`` is the paired file's SHA-256 digest (``None`` when
    the file is absent): sigstore accepts pre-hashed input, so artifacts are never re-read."""
    try:
        document = load_json(raw, display)
    except SecdocsError as exc:
        return Outcome(Status.FAILED, f"not a Sigstore bundle: {exc}", "bundle")
    if not is_bundle(document):
        return Outcome(Status.FAILED, "not a Sigstore bundle (no sigstore mediaType)", "bundle")
    details = _log_details(document)
    material = document.get("verificationMaterial")
    if _lacks_inclusion_proof(document):
        return Outcome(
            Status.UNVERIFIABLE,
            "bundle v0.1 without an inclusion proof (pre-2023 format): sigstore-python cannot "
            "check its log entry offline; ask the publisher for a current bundle or verify it "
            "with cosign verify-blob --bundle",
            "bundle",
            details=details,
        )
    if isinstance(material, Mapping) and "publicKey" in material:
        return _verify_key_bundle(
            document, details, keys, artifact, paired, artifacts, trusted_root, subjects
        )
    try:
        bundle = Bundle.from_json(raw)
    except (SigstoreError, ValueError) as exc:
        return Outcome(Status.FAILED, f"invalid bundle: {_message(exc)}", "bundle", details=details)
    envelope = bundle._dsse_envelope
    kind = "dsse" if envelope is not None else "message-signature"
    san, issuer = cert_identity(bundle.signing_certificate)
    tsa = _tsa_times(bundle)
    if tsa:
        details["tsa_time"] = tsa[0]
    if envelope is None and artifact is None:
        return Outcome(
            Status.MISSING,
            f"the signed artifact {paired or '(unknown)'} is not in the evidence folder; "
            "publish it next to its bundle",
            kind,
            san,
            issuer,
            details,
        )
    effective = policy if policy is not None else UnsafeNoOp()
    statement: Mapping[str, Any] | None = None
    try:
        v = verifier()
        if envelope is None and artifact is not None:
            hashed = Hashed(algorithm=HashAlgorithm.SHA2_256, digest=artifact)
            v.verify_artifact(hashed, bundle, effective)
        elif envelope is not None:
            entry_kind = bundle.log_entry._inner.kind_version
            if entry_kind.kind == "intoto" and entry_kind.version == "0.0.2":
                payload_type, payload = v.verify_intoto_v002(bundle, effective)
            else:
                payload_type, payload = v.verify_dsse(bundle, effective)
            statement = statement_of(payload_type, payload, display)
        else:  # pragma: no cover - a missing artifact returned above
            raise VerificationError("nothing to verify")
    except ConfigError as exc:
        return Outcome(
            Status.UNVERIFIABLE, f"trusted root unusable: {exc}", kind, san, issuer, details
        )
    except (SigstoreError, ValueError, SecdocsError) as exc:
        return Outcome(
            Status.FAILED, f"verification failed: {_message(exc)}", kind, san, issuer, details
        )
    except Exception as exc:  # fail closed on anything the library did not anticipate
        return Outcome(
            Status.FAILED,
            f"verification error: {type(exc).__name__}: {exc}",
            kind,
            san,
            issuer,
            details,
        )
    if statement is not None and subjects:
        details["predicate_type"] = str(statement.get("predicateType"))
        status, why, rows = check_subjects(statement, artifacts, paired)
        details["subjects"] = rows
        if status is not Status.VERIFIED:
            return Outcome(status, why, kind, san, issuer, details, statement)
    if policy is None:
        return Outcome(
            Status.UNVERIFIABLE,
            "signature and log entry are valid, but no signer identity is configured: "
            + policy_hint,
            kind,
            san,
            issuer,
            details,
            statement,
        )
    return Outcome(Status.VERIFIED, None, kind, san, issuer, details, statement)


def _lacks_inclusion_proof(document: Mapping[str, Any]) -> bool:
    if not str(document.get("mediaType", "")).endswith("version=0.1"):
        return False
    material = document.get("verificationMaterial")
    entries = material.get("tlogEntries") if isinstance(material, Mapping) else None
    return (
        isinstance(entries, list)
        and len(entries) == 1
        and isinstance(entries[0], Mapping)
        and not entries[0].get("inclusionProof")
    )


def _message(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:300] if text else type(exc).__name__


def _verify_key_bundle(
    document: Mapping[str, Any],
    details: dict[str, JSONValue],
    keys: tuple[PublicKey, ...],
    artifact: bytes | None,
    paired: str | None,
    artifacts: Mapping[str, str],
    trusted_root: Callable[[], TrustedRoot],
    subjects: bool = True,
) -> Outcome:
    """A bundle signed with a managed key (conformance ``managed-key-*``, npm publish)."""
    kind = "key-bundle"
    hint = None
    material = document.get("verificationMaterial")
    if isinstance(material, Mapping) and isinstance(material.get("publicKey"), Mapping):
        raw_hint = material["publicKey"].get("hint")
        hint = raw_hint if isinstance(raw_hint, str) else None
    details["key_hint"] = hint
    if not keys:
        return Outcome(
            Status.UNVERIFIABLE,
            "bundle is signed with a public key, but no public_keys are configured; add the "
            "signer's PEM public key to public_keys",
            kind,
            details=details,
        )
    try:
        raw_bundle = RawBundle.from_json(json.dumps(document))
        tlog = raw_bundle.verification_material.tlog_entries
        if len(tlog) != 1:
            raise VerificationError("expected exactly one transparency log entry")
        entry = TransparencyLogEntry(tlog[0])
        if raw_bundle.dsse_envelope is not None:
            env = raw_bundle.dsse_envelope
            if not env.signatures:
                raise VerificationError("DSSE envelope has no signatures")
            signed = pae(env.payload_type, env.payload)
            digest = hashlib.sha256(signed).digest()
            signature = env.signatures[0].sig
            kind = "key-dsse"
        else:
            message = raw_bundle.message_signature
            if message is None:
                raise VerificationError("bundle has neither a message signature nor an envelope")
            if artifact is None:
                return Outcome(
                    Status.MISSING,
                    f"the signed artifact {paired or '(unknown)'} is not in the evidence folder",
                    kind,
                    details=details,
                )
            signed = None
            signature = message.signature
            digest = artifact
            if message.message_digest is not None and message.message_digest.digest != digest:
                raise VerificationError("bundle message digest does not match the artifact")
        key = verify_with_keys(keys, signature, signed, hint, digest)
        if key is None:
            return Outcome(
                Status.FAILED,
                "signature does not verify with any configured public key",
                kind,
                details=details,
            )
        details["key"] = key.path
        envelope_payload = (
            raw_bundle.dsse_envelope.payload if raw_bundle.dsse_envelope is not None else None
        )
        _check_key_entry(
            entry, key, signature, digest, envelope_payload is not None, envelope_payload
        )
        entry._verify(trusted_root().rekor_keyring(_verify_purpose()))
    except ConfigError as exc:
        return Outcome(Status.UNVERIFIABLE, f"trusted root unusable: {exc}", kind, details=details)
    except (SigstoreError, ValueError) as exc:
        return Outcome(
            Status.FAILED, f"verification failed: {_message(exc)}", kind, details=details
        )
    except Exception as exc:  # fail closed
        return Outcome(
            Status.FAILED, f"verification error: {type(exc).__name__}: {exc}", kind, details=details
        )
    identity = f"key {key.path}"
    statement: Mapping[str, Any] | None = None
    if raw_bundle.dsse_envelope is not None:
        try:
            statement = statement_of(
                raw_bundle.dsse_envelope.payload_type, raw_bundle.dsse_envelope.payload, "envelope"
            )
        except (ValueError, SecdocsError) as exc:
            return Outcome(Status.FAILED, str(exc), kind, identity, details=details)
    if statement is not None and subjects:
        status, why, rows = check_subjects(statement, artifacts, paired)
        details["subjects"] = rows
        details["predicate_type"] = str(statement.get("predicateType"))
        if status is not Status.VERIFIED:
            return Outcome(status, why, kind, identity, details=details, statement=statement)
    return Outcome(Status.VERIFIED, None, kind, identity, None, details, statement)


def _verify_purpose() -> Any:
    from sigstore._internal.trust import KeyringPurpose

    return KeyringPurpose.VERIFY


def _same_key(pem_or_cert: bytes, pem: bytes) -> bool:
    try:
        logged = serialization.load_pem_public_key(pem_or_cert)
    except ValueError:
        return False
    spki = serialization.PublicFormat.SubjectPublicKeyInfo
    return logged.public_bytes(serialization.Encoding.PEM, spki) == pem


def _check_key_entry(
    entry: TransparencyLogEntry,
    key: PublicKey,
    signature: bytes,
    digest: bytes,
    is_dsse: bool,
    payload: bytes | None = None,
) -> None:
    """The log entry must record this signature, this key and this artifact's digest."""
    body = json.loads(entry._inner.canonicalized_body)
    kind = body.get("kind")
    spec = body.get("spec") or {}
    pem = key.key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    if kind == "hashedrekord" and body.get("apiVersion") == "0.0.1":
        logged_sig = spec.get("signature", {})
        logged_key = serialization.load_pem_public_key(
            decode_b64(logged_sig.get("publicKey", {}).get("content", ""), "log entry key")
        )
        same_key = (
            logged_key.public_bytes(
                serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
            )
            == pem
        )
        if (
            decode_b64(logged_sig.get("content", ""), "log entry signature") != signature
            or not same_key
            or spec.get("data", {}).get("hash") != {"algorithm": "sha256", "value": digest.hex()}
        ):
            raise VerificationError("transparency log entry is inconsistent with the bundle")
        return
    if (
        is_dsse
        and payload is not None
        and (kind, body.get("apiVersion")) in (("intoto", "0.0.2"), ("dsse", "0.0.1"))
    ):
        if kind == "intoto":
            content = spec.get("content") or {}
            payload_hash = content.get("payloadHash")
            logged = [
                (
                    base64.b64decode(decode_b64(s.get("sig", ""), "log entry signature")),
                    s.get("publicKey", ""),
                )
                for s in content.get("envelope", {}).get("signatures", [])
            ]
        else:
            payload_hash = spec.get("payloadHash")
            logged = [
                (decode_b64(s.get("signature", ""), "log entry signature"), s.get("verifier", ""))
                for s in spec.get("signatures", [])
            ]
        if payload_hash != {"algorithm": "sha256", "value": hashlib.sha256(payload).hexdigest()}:
            raise VerificationError("log entry payload hash does not match the envelope")
        for logged_sig, logged_key in logged:
            if logged_sig == signature and _same_key(decode_b64(logged_key, "log entry key"), pem):
                return
        raise VerificationError("log entry does not record this signature and key")
    raise VerificationError(f"unsupported log entry type {kind}/{body.get('apiVersion')}")
