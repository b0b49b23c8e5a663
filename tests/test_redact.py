"""Redaction rules, one case at a time."""

from __future__ import annotations

import pytest
from secrets_corpus import KEYED_SECRETS, PEM_RSA, VALUE_SECRETS

from secdocs.redact import REDACTED, Redactor, redact_message, redact_spans


@pytest.mark.parametrize("key", sorted(KEYED_SECRETS))
def test_denylisted_keys(key: str) -> None:
    assert Redactor().key_is_secret(key)


@pytest.mark.parametrize(
    "key",
    [
        "replicas",
        "keyboard",
        "monkey",
        "author",
        "passthrough",
        "tls",
        "ciphers",
        "image",
        "host",
        "donkey_count",
    ],
)
def test_ordinary_keys(key: str) -> None:
    assert not Redactor().key_is_secret(key)


def test_extra_secret_keys() -> None:
    assert Redactor(["license"]).key_is_secret("licenseCode")
    assert not Redactor().key_is_secret("licenseCode")


@pytest.mark.parametrize("name", sorted(VALUE_SECRETS))
def test_secret_values(name: str) -> None:
    assert Redactor().value_is_secret(VALUE_SECRETS[name])


@pytest.mark.parametrize(
    "value",
    [
        "ECDHE-RSA-AES128-GCM-SHA256",
        "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
        "ghcr.io/acme/widget:1.2.0",
        "/usr/share/nginx/html",
        "api-v2.example.com",
        "123e4567-e89b-12d3-a456-426614174000",
        "HIGH:!aNULL:!MD5",
        "2026-06-15T16:45:00Z",
        "https://acme.example/widget/releases/v1.2.0/index.html",
        "ORG_ACME_WIDGET_2026",
        "internationalization",
        "correct horse battery staple",
    ],
)
def test_ordinary_values(value: str) -> None:
    assert not Redactor().value_is_secret(value)


def test_redact_spans_keeps_the_rest() -> None:
    assert redact_spans("postgres://u:Pw-123456@db/x") == f"postgres://u:{REDACTED}@db/x"
    assert redact_spans("no secret here") == "no secret here"
    token = VALUE_SECRETS["github_pat"]
    assert redact_spans(f"a {token} b {token}") == f"a {REDACTED} b {REDACTED}"


def test_redact_text_lines() -> None:
    text = "\n".join(
        [
            "user: app",
            "password: hunter2",
            '"apiKey": "abc",',
            "token: |",
            "  multi line",
            "  secret",
            "next: 1",
            "tls_key: >-",
            "",
            "PEM: x",
            PEM_RSA,
            "-----BEGIN CERTIFICATE-----",
            "MIIBcertificateisPublic",
            "-----END CERTIFICATE-----",
        ]
    )
    out = Redactor().redact_text(text)
    assert out[:10] == [
        "user: app",
        f"password: {REDACTED}",
        f'"apiKey": {REDACTED},',
        "token: |",
        f"  {REDACTED}",
        f"  {REDACTED}",
        "next: 1",
        "tls_key: >-",
        "",
        "PEM: x",
    ]
    assert out[10:15] == [REDACTED] * 5
    assert out[15:] == [
        "-----BEGIN CERTIFICATE-----",
        "MIIBcertificateisPublic",
        "-----END CERTIFICATE-----",
    ]


def test_unclosed_private_key_is_redacted_to_the_end() -> None:
    text = "a: 1\n-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIBkg\nmore"
    assert Redactor().redact_text(text) == ["a: 1", REDACTED, REDACTED, REDACTED]


def test_redact_message() -> None:
    assert redact_message("bad value hunter2 at x", ["hunter2"]) == f"bad value {REDACTED} at x"
    assert redact_message("huge " + "A" * 200_000).endswith(REDACTED)


# --- TLS ----------------------------------------------------------------------------------


def test_sequence_under_a_secret_key_at_the_same_indent() -> None:
    text = "passwords:\n- hunter2\n- hunter3\nother: 1\n"
    assert Redactor().redact_text(text) == ["passwords:", REDACTED, REDACTED, "other: 1", ""]
