"""The config-diff kind's TLS policy, one case at a time."""

from __future__ import annotations

import pytest

from secdocs.kinds.config_diff.tls import (
    BSI_CIPHERS,
    TlsPolicy,
    check_value,
    cipher_name,
    protocol_versions,
)

POLICY = TlsPolicy.bsi()


# --- TLS ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("TLSv1.2", ["TLS 1.2"]),
        ("TLSv1", ["TLS 1.0"]),
        ("TLSv1 TLSv1.1 TLSv1.2 TLSv1.3", ["TLS 1.0", "TLS 1.1", "TLS 1.2", "TLS 1.3"]),
        ("VersionTLS12", ["TLS 1.2"]),
        ("tls1_3", ["TLS 1.3"]),
        ("SSLv3", ["SSL 3.0"]),
        ("SSLv2 SSLv3", ["SSL 2.0", "SSL 3.0"]),
        ("all -SSLv3 -TLSv1 +TLSv1.2", ["TLS 1.2"]),
        ("1.1", ["TLS 1.1"]),
        ("TLS_AES_128_GCM_SHA256", []),
        ("mtls10", []),
    ],
)
def test_protocol_versions(value: str, expected: list[str]) -> None:
    assert protocol_versions(value) == expected


@pytest.mark.parametrize(
    ("name", "iana"),
    [
        ("ECDHE-RSA-AES128-GCM-SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"),
        ("ECDHE-ECDSA-AES256-SHA384", "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384"),
        ("DHE-RSA-AES256-GCM-SHA384", "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384"),
        ("ECDHE-ECDSA-AES128-CCM", "TLS_ECDHE_ECDSA_WITH_AES_128_CCM"),
        ("ECDHE-RSA-AES128-SHA", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"),
        ("AES128-GCM-SHA256", "TLS_RSA_WITH_AES_128_GCM_SHA256"),
        ("EDH-DSS-AES128-SHA256", "TLS_DHE_DSS_WITH_AES_128_CBC_SHA256"),
        ("DES-CBC3-SHA", "DES-CBC3-SHA"),
        ("ECDHE-ECDSA-CHACHA20-POLY1305", "ECDHE-ECDSA-CHACHA20-POLY1305"),
        ("tls_aes_128_gcm_sha256", "TLS_AES_128_GCM_SHA256"),
    ],
)
def test_cipher_names(name: str, iana: str) -> None:
    assert cipher_name(name) == iana


def test_bsi_policy_approves_its_own_list_only() -> None:
    assert all(f.approved for s in BSI_CIPHERS for f in check_value("tls.ciphers", s, POLICY))
    found = check_value(
        "ssl_ciphers", "ECDHE-RSA-AES128-GCM-SHA256:RC4-SHA:HIGH:!aNULL:@STRENGTH", POLICY
    )
    assert [(f.value, f.approved) for f in found] == [
        ("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", True),
        ("RC4-SHA", False),
        ("HIGH", False),
    ]


def test_suites_outside_cipher_keys_and_numeric_versions() -> None:
    found = check_value(
        "server.suites", "TLS_RSA_WITH_3DES_EDE_CBC_SHA, TLS_AES_256_GCM_SHA384", POLICY
    )
    assert [(f.kind, f.value, f.approved) for f in found] == [
        ("cipher", "TLS_RSA_WITH_3DES_EDE_CBC_SHA", False),
        ("cipher", "TLS_AES_256_GCM_SHA384", True),
    ]
    assert [f.value for f in check_value("tls.minVersion", "1.0", POLICY)] == ["TLS 1.0"]
    assert check_value("replicas", "1.0", POLICY) == []
    assert check_value("image", "widget", POLICY) == []
