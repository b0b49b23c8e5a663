"""RFC 9116 security.txt: field rules, the real example in the corpus, signing, expiry."""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest

from secdocs.errors import ConfigError, SecdocsError
from secdocs.kinds.security_policy import securitytxt
from secdocs.kinds.security_policy.model import build_date, parse

from ..reports import POLICY, when

BUILT = when("2026-10-12")


def policy(**changes: object) -> object:
    return parse({**POLICY, **changes}, "widget")


def test_generated_file_follows_rfc_9116() -> None:
    text = securitytxt.generate(parse(POLICY, "widget"), BUILT)
    parsed = securitytxt.parse(text)
    assert parsed.errors == []
    assert parsed.values("Contact") == [
        "mailto:security@acme.example",
        "https://github.com/acme/widget/security/advisories/new",
    ]
    assert parsed.values("Expires") == ["2027-04-30T00:00:00Z"]  # 200 days after 2026-10-12
    assert parsed.values("Canonical") == ["https://acme.example/widget/.well-known/security.txt"]
    assert parsed.values("Policy") == ["https://acme.example/widget/security/policy/"]
    assert parsed.values("Preferred-Languages") == ["en, fr"]
    assert parsed.values("Encryption") == ["https://acme.example/widget/key.asc"]
    assert parsed.values("Acknowledgments") == ["https://acme.example/widget/thanks/"]
    assert securitytxt.lifetime_errors(parsed, BUILT) == []
    assert text.endswith("\n") and "\r" not in text


def test_field_rules_are_enforced() -> None:
    missing = securitytxt.parse("# nothing\nPolicy: https://a.example/p\n")
    assert "Contact is required" in missing.errors
    assert "Expires is required" in missing.errors
    twice = securitytxt.parse(
        "Contact: mailto:a@b.example\nExpires: 2027-01-01T00:00:00Z\n"
        "Expires: 2027-02-01T00:00:00Z\nPreferred-Languages: en\nPreferred-Languages: fr\n"
    )
    assert "Expires must appear only once" in twice.errors
    assert "Preferred-Languages must appear only once" in twice.errors
    assert twice.expires is None
    bad = securitytxt.parse(
        "Contact: security@b.example\nExpires: 1 January 2027\nCanonical: http://a.example/x\n"
        "Encryption: ftp://key\nthis is not a field\n"
    )
    assert any("Contact must be" in e for e in bad.errors)
    assert any("not an RFC 3339" in e for e in bad.errors)
    assert any("Canonical must be an https" in e for e in bad.errors)
    assert any("Encryption must be" in e for e in bad.errors)
    assert any(e.startswith("line 5:") for e in bad.errors)


def test_crlf_and_lf_read_alike() -> None:
    text = securitytxt.generate(parse(POLICY, "widget"), BUILT)
    crlf = securitytxt.parse(text.replace("\n", "\r\n"))
    assert crlf.fields == securitytxt.parse(text).fields
    assert crlf.errors == []


def test_expires_at_most_a_year() -> None:
    with pytest.raises(ConfigError, match="expires_days"):
        policy(expires_days=366)
    with pytest.raises(ConfigError, match="expires_days"):
        policy(expires_days=0)
    longest = securitytxt.parse(securitytxt.generate(policy(expires_days=365), BUILT))
    assert securitytxt.lifetime_errors(longest, BUILT) == []
    assert securitytxt.lifetime_errors(longest, BUILT - timedelta(days=2)) != []


def test_expiry_states() -> None:
    parsed = securitytxt.parse(securitytxt.generate(parse(POLICY, "widget"), BUILT))
    expires = parsed.expires
    assert expires is not None
    assert securitytxt.expiry(parsed, expires - timedelta(days=31))[0] == "ok"
    assert securitytxt.expiry(parsed, expires - timedelta(days=29))[0] == "warning"
    assert securitytxt.expiry(parsed, expires)[0] == "expired"
    assert securitytxt.expiry(securitytxt.parse("Contact: tel:+1\n"), BUILT)[0] == "invalid"


def test_real_security_txt_from_the_corpus(corpus_dir: Path) -> None:
    # MANIFEST: fields Contact, Expires 2026-03-27T00:00:00.000Z, Acknowledgments,
    # Preferred-Languages, Canonical, Policy (unsigned)
    path = corpus_dir / "security-txt" / "securitytxt.org" / ".well-known" / "security.txt"
    real = securitytxt.parse(path.read_text())
    assert real.errors == []
    assert not real.signed
    names = {k for k, _ in real.fields}
    assert names == {
        "Contact",
        "Expires",
        "Acknowledgments",
        "Preferred-Languages",
        "Canonical",
        "Policy",
    }
    assert real.expires == when("2026-03-27")
    assert securitytxt.expiry(real, when("2026-03-28"))[0] == "expired"
    assert securitytxt.expiry(real, when("2026-03-10"))[0] == "warning"
    ours = securitytxt.parse(securitytxt.generate(parse(POLICY, "widget"), BUILT))
    assert names <= {k for k, _ in ours.fields}  # every field the real one uses, we write too


def test_build_date_never_comes_from_the_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert build_date([]) is None
    assert build_date([when("2026-01-01"), when("2026-05-01")]) == when("2026-05-01")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    assert build_date([when("2026-05-01")]) == when("2026-01-01")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "soon")
    with pytest.raises(ConfigError, match="SOURCE_DATE_EPOCH"):
        build_date([])


def _gpg_or_skip() -> str:
    gpg = shutil.which("gpg")
    if gpg is None:
        if os.environ.get("CI") == "true":
            pytest.fail("gpg is required to test signed security.txt under CI")
        pytest.skip("gpg not installed")
    return gpg


def _make_key(home: Path) -> str:
    gpg = _gpg_or_skip()
    home.mkdir(mode=0o700)
    subprocess.run(
        [
            gpg,
            "--homedir",
            str(home),
            "--batch",
            "--passphrase",
            "",
            "--faked-system-time",
            "20260101T000000!",
            "--quick-gen-key",
            "widget security <security@acme.example>",
            "ed25519",
            "sign",
            "never",
        ],
        check=True,
        capture_output=True,
    )
    return "security@acme.example"


def test_signed_security_txt_verifies_and_is_deterministic(tmp_path: Path) -> None:
    home = tmp_path / "gnupg"
    key = _make_key(home)
    text = securitytxt.generate(parse(POLICY, "widget"), BUILT)
    signed = securitytxt.sign(text, key, BUILT, str(home))
    assert signed == securitytxt.sign(text, key, BUILT, str(home))  # Ed25519 + fixed time
    parsed = securitytxt.parse(signed)
    assert parsed.signed and parsed.errors == []
    assert parsed.fields == securitytxt.parse(text).fields
    (tmp_path / "security.txt").write_text(signed)
    verified = subprocess.run(
        ["gpg", "--homedir", str(home), "--batch", "--verify", str(tmp_path / "security.txt")],
        capture_output=True,
        check=False,
    )
    assert verified.returncode == 0, verified.stderr
    tampered = signed.replace(
        "Contact: mailto:security@acme.example", "Contact: mailto:evil@attacker.example"
    )
    (tmp_path / "tampered.txt").write_text(tampered)
    rejected = subprocess.run(
        ["gpg", "--homedir", str(home), "--batch", "--verify", str(tmp_path / "tampered.txt")],
        capture_output=True,
        check=False,
    )
    assert rejected.returncode != 0


def test_signing_with_an_unknown_key_fails_clearly(tmp_path: Path) -> None:
    home = tmp_path / "gnupg"
    _make_key(home)
    with pytest.raises(SecdocsError, match="could not sign"):
        securitytxt.sign(
            "Contact: mailto:a@b.example\n", "nobody@nowhere.example", BUILT, str(home)
        )


def test_malformed_signed_form() -> None:
    broken = "-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA512\n"
    assert "malformed OpenPGP cleartext signature" in securitytxt.parse(broken).errors
    unterminated = (
        "-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA512\n\nContact: mailto:a@b.example\n"
        "- -X-Dashed: yes\n-----BEGIN PGP SIGNATURE-----\nabc\n"
    )
    parsed = securitytxt.parse(unterminated)
    assert "OpenPGP signature block is not terminated" in parsed.errors
    assert ("-X-Dashed", "yes") in parsed.fields
    assert "a signed security.txt should name its Canonical URL" in parsed.errors


def test_site_publishes_the_signed_file(tmp_path: Path) -> None:
    from secdocs.kinds.security_policy.collect import outputs, policy_page

    from ..reports import release

    home = tmp_path / "gnupg"
    key = _make_key(home)
    signed_policy = parse({**POLICY, "signing_key": key, "gnupg_home": str(home)}, "widget")
    out = outputs(signed_policy, [release("v1.0.0", "2026-10-12")])
    # the policy's site_url has a path: the only problem is where RFC 9116 readers look
    assert [p.message.split(",")[0] for p in out.problems] == [
        "security.txt is published at https://acme.example/widget/.well-known/security.txt"
    ]
    assert out.security_txt is not None
    parsed = securitytxt.parse(out.security_txt)
    assert parsed.signed and parsed.errors == []
    assert "OpenPGP-signed" in policy_page(out, True)


def test_expires_counts_from_the_build_time_and_stale_files_are_reported(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from datetime import UTC, datetime, timedelta

    from secdocs.kinds.security_policy.collect import outputs

    from ..reports import release

    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    policy = parse({**POLICY, "site_url": "https://acme.example/"}, "widget")
    before = datetime.now(UTC).replace(microsecond=0)
    # the newest release is two years old: Expires still counts from now
    out = outputs(policy, [release("v1.0.0", "2024-01-01")])
    assert out.problems == [] and out.security_txt is not None
    expires = securitytxt.parse(out.security_txt).expires
    assert expires is not None
    assert before + timedelta(days=policy.expires_days) <= expires
    assert expires <= datetime.now(UTC) + timedelta(days=policy.expires_days)
    # a lifetime under 30 days: a warning that says what to do
    short = parse({**POLICY, "site_url": "https://acme.example/", "expires_days": 20}, "w")
    (problem,) = outputs(short, [release("v1.0.0", "2024-01-01")]).problems
    assert problem.severity == "warning" and "rebuild and publish" in problem.message
    # an old SOURCE_DATE_EPOCH: expired, an error
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int((before - timedelta(days=400)).timestamp())))
    (problem,) = outputs(policy, [release("v1.0.0", "2024-01-01")]).problems
    assert problem.severity == "error" and "expired on" in problem.message


@pytest.mark.parametrize(
    ("site_url", "origin"),
    [
        ("https://acme.github.io/widget/", "https://acme.github.io/.well-known/security.txt"),
        ("https://acme.example/docs/security", "https://acme.example/.well-known/security.txt"),
        ("https://acme.example/", None),
        ("https://acme.example", None),
        (None, None),
    ],
)
def test_a_site_url_with_a_path_says_where_readers_look(
    site_url: str | None, origin: str | None
) -> None:
    message = securitytxt.origin_warning(site_url)
    if origin is None:
        assert message is None
    else:
        assert message is not None and origin in message and "redirect" in message
