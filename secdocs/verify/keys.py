"""Key-based signatures checked with ``cryptography``: cosign ``sign-blob --key`` signatures,
DSSE envelopes signed with a key, and Sigstore bundles signed with a managed key.

sigstore-python has no public-key verification API; these checks are small compositions of
``cryptography`` primitives plus DSSE's pre-authentication encoding.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
from cryptography.hazmat.primitives.asymmetric.types import PublicKeyTypes
from cryptography.hazmat.primitives.asymmetric.utils import Prehashed

from secdocs.config import Config
from secdocs.errors import ConfigError
from secdocs.verify.signers import MAX_KEY_FILE, read_config_file

MAX_SIGNATURE = 64 * 1024


@dataclass(frozen=True)
class PublicKey:
    """A configured PEM public key."""

    path: str
    key: PublicKeyTypes
    #: base64 SHA-256 of the DER SubjectPublicKeyInfo (the Sigstore bundle ``hint``)
    hint: str
    #: hex SHA-256 of the DER SubjectPublicKeyInfo
    fingerprint: str

    def verify(
        self, signature: bytes, data: bytes | None = None, digest: bytes | None = None
    ) -> bool:
        """Whether ``signature`` verifies with this key over ``data`` or, for ECDSA and RSA,
        over the SHA-256 ``digest`` of the data (Ed25519 needs the data itself)."""
        prehashed = Prehashed(hashes.SHA256())
        try:
            if isinstance(self.key, ec.EllipticCurvePublicKey):
                if data is not None:
                    self.key.verify(signature, data, ec.ECDSA(hashes.SHA256()))
                elif digest is not None:
                    self.key.verify(signature, digest, ec.ECDSA(prehashed))
                else:
                    return False
            elif isinstance(self.key, rsa.RSAPublicKey):
                if data is not None:
                    self.key.verify(signature, data, padding.PKCS1v15(), hashes.SHA256())
                elif digest is not None:
                    self.key.verify(signature, digest, padding.PKCS1v15(), prehashed)
                else:
                    return False
            elif isinstance(self.key, ed25519.Ed25519PublicKey) and data is not None:
                self.key.verify(signature, data)
            else:
                return False
        except (InvalidSignature, ValueError, UnsupportedAlgorithm):
            return False
        return True


def load_public_key(pem: bytes, path: str) -> PublicKey:
    try:
        key = serialization.load_pem_public_key(pem)
    except (ValueError, UnsupportedAlgorithm) as exc:
        raise ConfigError("public_keys", f"{path}: not a PEM public key ({exc})") from exc
    if not isinstance(key, ec.EllipticCurvePublicKey | ed25519.Ed25519PublicKey | rsa.RSAPublicKey):
        raise ConfigError(
            "public_keys", f"{path}: unsupported key type (use ECDSA, Ed25519 or RSA)"
        )
    der = key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    digest = hashlib.sha256(der).digest()
    return PublicKey(path, key, base64.b64encode(digest).decode(), digest.hex())


def load_public_keys(config: Config, paths: tuple[str, ...]) -> tuple[PublicKey, ...]:
    """The keys named by ``public_keys`` (paths relative to the repository)."""
    return tuple(
        load_public_key(read_config_file(config, p, "public_keys", MAX_KEY_FILE), p) for p in paths
    )


def decode_b64(value: object, what: str) -> bytes:
    """Strict base64 (standard or URL-safe alphabet) of a bounded string."""
    if not isinstance(value, str | bytes) or len(value) > MAX_SIGNATURE * 2:
        raise ValueError(f"{what}: expected a base64 string")
    text = value.decode("ascii", "replace") if isinstance(value, bytes) else value
    text = text.strip()
    try:
        if "-" in text or "_" in text:
            return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ValueError(f"{what}: invalid base64") from exc


def candidates(keys: tuple[PublicKey, ...], hint: str | None) -> tuple[PublicKey, ...]:
    """The keys to try: the one the hint names when it names one, else all of them."""
    if hint:
        named = tuple(k for k in keys if hint in (k.hint, k.fingerprint, k.path))
        if named:
            return named
    return keys


def verify_with_keys(
    keys: tuple[PublicKey, ...],
    signature: bytes,
    data: bytes | None = None,
    hint: str | None = None,
    digest: bytes | None = None,
) -> PublicKey | None:
    """The first configured key under which ``signature`` verifies, if any."""
    for key in candidates(keys, hint):
        if key.verify(signature, data, digest):
            return key
    return None


def verify_envelope_with_keys(
    signatures: Sequence[object], payload_type: str, payload: bytes, keys: tuple[PublicKey, ...]
) -> PublicKey | None:
    """The first configured key under which one of a DSSE envelope's ``signatures`` verifies
    (over the DSSE pre-authentication encoding of its payload), if any. Entries that are not
    signature objects or whose signature is not base64 are skipped, never trusted."""
    signed = pae(payload_type, payload)
    for sig in signatures:
        if not isinstance(sig, Mapping):
            continue
        try:
            raw_sig = decode_b64(sig.get("sig"), "signature")
        except ValueError:
            continue
        keyid = sig.get("keyid")
        key = verify_with_keys(keys, raw_sig, signed, keyid if isinstance(keyid, str) else None)
        if key is not None:
            return key
    return None


def pae(payload_type: str, payload: bytes) -> bytes:
    """DSSE pre-authentication encoding (DSSEv1)."""
    kind = payload_type.encode()
    return b"DSSEv1 %d %s %d %s" % (len(kind), kind, len(payload), payload)
