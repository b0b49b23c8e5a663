"""TLS protocol versions and cipher suites found in configuration, checked against a policy.

The default policy follows BSI TR-02102-2 ("Verwendung von Transport Layer Security"): TLS 1.2
and TLS 1.3 only, and the cipher suites the guideline recommends — for TLS 1.3 the AES-GCM and
AES-CCM suites, for TLS 1.2 the (EC)DHE suites with AES in GCM, CCM or CBC mode with SHA-2
(no SHA-1, no static RSA key exchange, no ChaCha20, no 3DES/RC4/NULL).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

BSI_PROTOCOLS = ("TLS 1.2", "TLS 1.3")
BSI_CIPHERS = (
    # TLS 1.3
    "TLS_AES_128_GCM_SHA256",
    "TLS_AES_256_GCM_SHA384",
    "TLS_AES_128_CCM_SHA256",
    # TLS 1.2 with ECDHE
    "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256",
    "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384",
    "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
    "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
    "TLS_ECDHE_ECDSA_WITH_AES_128_CCM",
    "TLS_ECDHE_ECDSA_WITH_AES_256_CCM",
    "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256",
    "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384",
    "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
    "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
    # TLS 1.2 with DHE
    "TLS_DHE_DSS_WITH_AES_128_CBC_SHA256",
    "TLS_DHE_DSS_WITH_AES_256_CBC_SHA256",
    "TLS_DHE_DSS_WITH_AES_128_GCM_SHA256",
    "TLS_DHE_DSS_WITH_AES_256_GCM_SHA384",
    "TLS_DHE_RSA_WITH_AES_128_CBC_SHA256",
    "TLS_DHE_RSA_WITH_AES_256_CBC_SHA256",
    "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256",
    "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384",
    "TLS_DHE_RSA_WITH_AES_128_CCM",
    "TLS_DHE_RSA_WITH_AES_256_CCM",
)

_PROTOCOL = re.compile(
    r"(?<![A-Za-z0-9_!\-])(?:"
    r"(?P<ssl>SSL)\s?v?(?P<sslv>[23])(?:\.0)?"
    r"|(?:Version)?TLS\s?v?(?P<tls>1)(?:[._ ]?(?P<minor>[0-3]))?"
    r")(?![A-Za-z0-9])",
    re.IGNORECASE,
)
_NUMERIC = re.compile(r"^(?:TLS)?\s*v?1\.([0-3])$", re.IGNORECASE)
_IANA = re.compile(r"^TLS_[A-Z0-9_]+$")
_OPENSSL = re.compile(r"^[A-Z0-9]+(?:-[A-Z0-9]+)+$")
_SUITE_TOKEN = re.compile(r"(?<![A-Za-z0-9_])TLS_[A-Z0-9_]+")
_SPLIT = re.compile(r"[:,;\s]+")
_MODIFIERS = ("!", "-", "+", "@")
_KX = {"ECDHE": "ECDHE", "DHE": "DHE", "EDH": "DHE", "EECDH": "ECDHE"}


@dataclass(frozen=True, slots=True)
class TlsPolicy:
    protocols: frozenset[str]
    ciphers: frozenset[str]

    @classmethod
    def bsi(cls) -> TlsPolicy:
        """The default policy: BSI TR-02102-2."""
        return cls(frozenset(BSI_PROTOCOLS), frozenset(BSI_CIPHERS))


def protocol_versions(value: str) -> list[str]:
    """Protocol versions a value enables: ``TLSv1.2`` → ``TLS 1.2``; ``-TLSv1``/``!SSLv3`` skip."""
    found: list[str] = []
    numeric = _NUMERIC.match(value.strip())
    if numeric is not None:
        return [f"TLS 1.{numeric.group(1)}"]
    for match in _PROTOCOL.finditer(value[:10_000]):
        if match.group("ssl"):
            name = f"SSL {match.group('sslv')}.0"
        else:
            name = f"TLS 1.{match.group('minor') or '0'}"
        if name not in found:
            found.append(name)
    return found


def cipher_name(token: str) -> str:
    """The IANA name of a suite given in IANA or OpenSSL spelling (unknown names: upper-cased)."""
    upper = token.strip().upper()
    if _IANA.match(upper):
        return upper
    parts = upper.split("-")
    kx = "RSA"
    auth = "RSA"
    if parts and parts[0] in _KX:
        kx = _KX[parts.pop(0)]
        auth = parts.pop(0) if parts and parts[0] in ("RSA", "ECDSA", "DSS") else "RSA"
    if parts and re.fullmatch(r"AES(128|256)", parts[0]):
        bits = parts.pop(0)[3:]
        mode = "CBC"
        if parts and parts[0] in ("GCM", "CCM", "CCM8"):
            mode = {"CCM8": "CCM_8"}.get(parts[0], parts[0])
            parts.pop(0)
        mac = parts.pop(0) if parts else ""
        if not parts and (mac.startswith("SHA") or (mac == "" and mode.startswith("CCM"))):
            prefix = f"TLS_{kx}_{auth}" if kx != "RSA" else "TLS_RSA"
            suffix = f"_{mac}" if mac else ""
            if mac == "SHA":
                suffix = "_SHA"
            return f"{prefix}_WITH_AES_{bits}_{mode}{suffix}"
    return upper


@dataclass(frozen=True, slots=True)
class TlsFinding:
    path: str
    kind: str  # "protocol" | "cipher"
    value: str
    approved: bool


def check_value(path: str, value: str, policy: TlsPolicy) -> list[TlsFinding]:
    """TLS settings in one configuration value at ``path`` (a dotted key path)."""
    findings: list[TlsFinding] = []
    lowered = path.lower()
    tls_key = any(t in lowered for t in ("tls", "ssl", "protocol", "cipher", "https"))
    versions = (
        protocol_versions(value)
        if tls_key or "tls" in value.lower() or "ssl" in value.lower()
        else []
    )
    if _NUMERIC.match(value.strip()) and not (
        tls_key and ("version" in lowered or "protocol" in lowered)
    ):
        versions = []
    for version in versions:
        findings.append(TlsFinding(path, "protocol", version, version in policy.protocols))
    if "cipher" in lowered:
        for token in _SPLIT.split(value[:10_000]):
            if not token or token.startswith(_MODIFIERS):
                continue
            if not (
                _IANA.match(token.upper())
                or _OPENSSL.match(token.upper())
                or token.upper() in _CLASSES
            ):
                continue
            name = cipher_name(token)
            findings.append(TlsFinding(path, "cipher", name, name in policy.ciphers))
    else:
        for match in _SUITE_TOKEN.finditer(value[:10_000]):
            name = cipher_name(match.group(0))
            if "_WITH_" not in name and not name.startswith(("TLS_AES_", "TLS_CHACHA20_")):
                continue
            findings.append(TlsFinding(path, "cipher", name, name in policy.ciphers))
    return findings


#: OpenSSL cipher-string classes; none is a list of approved suites, so each is a deviation
_CLASSES = frozenset(
    {
        "ALL",
        "COMPLEMENTOFALL",
        "DEFAULT",
        "COMPLEMENTOFDEFAULT",
        "HIGH",
        "MEDIUM",
        "LOW",
        "EXPORT",
        "NULL",
        "ENULL",
        "ANULL",
        "RC4",
        "DES",
        "3DES",
        "MD5",
        "SHA1",
        "SHA",
        "AES",
        "AESGCM",
        "CHACHA20",
        "ECDHE",
        "EECDH",
        "DHE",
        "EDH",
        "RSA",
        "PSK",
        "SECURE128",
        "SECURE192",
    }
)
