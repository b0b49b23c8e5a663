"""Signed git tags: SSH (allowed_signers) and OpenPGP (keyring), real keys made in the test."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from secdocs.collectors import PageContext
from secdocs.errors import ConfigError
from secdocs.kinds.tag_signatures.collect import (
    TagSignaturesCollector,
    keyring_format,
    signature_format,
)
from secdocs.model import Status

needs_ssh = pytest.mark.skipif(shutil.which("ssh-keygen") is None, reason="ssh-keygen missing")
needs_gpg = pytest.mark.skipif(shutil.which("gpg") is None, reason="gpg missing")


def _ssh_key(tmp_path: Path, name: str) -> Path:
    key = tmp_path / name
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", str(key)],
        check=True,
        capture_output=True,
    )
    return key


def _make_ssh_signed(tmp_path: Path, make_project):  # type: ignore[no-untyped-def]
    key = _ssh_key(tmp_path, "release")
    project = make_project(tag="v9.9.9")  # plain annotated tag first
    project.git("tag", "-d", "v9.9.9")
    project.git(
        "-c",
        "gpg.format=ssh",
        "-c",
        f"user.signingkey={key}",
        "tag",
        "-s",
        "-m",
        "signed release",
        "v9.9.9",
    )
    return project, key


@needs_ssh
def test_ssh_signed_tag_verifies_against_allowed_signers(tmp_path, make_project) -> None:  # type: ignore[no-untyped-def]
    project, key = _make_ssh_signed(tmp_path, make_project)
    pub = key.with_suffix(".pub").read_text().split()
    signers = project.write(
        "keys/allowed_signers", f"release@acme.example {pub[0]} {pub[1]}\n".encode()
    )
    ctx = project.context({}, tag_signers=signers)
    findings = TagSignaturesCollector(ctx.config).collect(ctx)
    (item,) = findings.items
    assert item.status is Status.VERIFIED, item.reason
    assert item.signer is not None and item.signer.identity == "release@acme.example"
    assert item.details["format"] == "ssh"
    assert findings.data["commands"] == [
        "git -c gpg.format=ssh -c gpg.ssh.allowedSignersFile=keys/allowed_signers verify-tag v9.9.9"
    ]
    (section,) = TagSignaturesCollector(ctx.config).render(
        findings, PageContext(ctx.release, "", {})
    )
    assert "release@acme.example" in section.body


@needs_ssh
def test_ssh_signed_by_someone_else_fails(tmp_path, make_project) -> None:  # type: ignore[no-untyped-def]
    project, _ = _make_ssh_signed(tmp_path, make_project)
    other = _ssh_key(tmp_path, "other").with_suffix(".pub").read_text().split()
    signers = project.write(
        "keys/allowed_signers", f"other@acme.example {other[0]} {other[1]}\n".encode()
    )
    ctx = project.context({}, tag_signers=signers)
    (item,) = TagSignaturesCollector(ctx.config).collect(ctx).items
    assert item.status is Status.FAILED
    assert "does not verify" in (item.reason or "")


@needs_ssh
def test_signed_tag_without_tag_signers_is_unverifiable(tmp_path, make_project) -> None:  # type: ignore[no-untyped-def]
    project, _ = _make_ssh_signed(tmp_path, make_project)
    ctx = project.context({})
    (item,) = TagSignaturesCollector(ctx.config).collect(ctx).items
    assert item.status is Status.UNVERIFIABLE
    assert "tag_signers" in (item.reason or "")


@needs_ssh
def test_keyring_of_the_wrong_kind_is_unverifiable(tmp_path, make_project) -> None:  # type: ignore[no-untyped-def]
    project, _ = _make_ssh_signed(tmp_path, make_project)
    keyring = project.write("keys/release.asc", b"-----BEGIN PGP PUBLIC KEY BLOCK-----\nx\n")
    ctx = project.context({}, tag_signers=keyring)
    (item,) = TagSignaturesCollector(ctx.config).collect(ctx).items
    assert item.status is Status.UNVERIFIABLE


def test_unsigned_tag_is_missing(make_project) -> None:  # type: ignore[no-untyped-def]
    project = make_project()
    project.write("keys/none", b"")
    ctx = project.context({}, tag_signers="keys/none")
    (item,) = TagSignaturesCollector(ctx.config).collect(ctx).items
    assert item.status is Status.MISSING
    assert "tag is not signed" in (item.reason or "")


def test_missing_tag_signers_file_is_a_config_error(tmp_path, make_project) -> None:  # type: ignore[no-untyped-def]
    if shutil.which("ssh-keygen") is None:
        pytest.skip("ssh-keygen missing")
    project, _ = _make_ssh_signed(tmp_path, make_project)
    with pytest.raises(ConfigError, match="keys/absent' does not exist") as info:
        project.context({}, tag_signers="keys/absent")
    assert info.value.key == "tag_signers"


@needs_gpg
def test_openpgp_signed_tag_verifies_with_keyring(tmp_path, make_project) -> None:  # type: ignore[no-untyped-def]
    home = tmp_path / "gnupg"
    home.mkdir(mode=0o700)
    env = {**os.environ, "GNUPGHOME": str(home)}
    try:
        subprocess.run(
            [
                "gpg",
                "--batch",
                "--passphrase",
                "",
                "--quick-gen-key",
                "Release Bot <release@acme.example>",
                "ed25519",
                "sign",
                "never",
            ],
            env=env,
            check=True,
            capture_output=True,
            timeout=60,
        )
        keyring = subprocess.run(
            ["gpg", "--batch", "--armor", "--export"], env=env, check=True, capture_output=True
        ).stdout
        project = make_project(tag="v2.0.0")
        project.git("tag", "-d", "v2.0.0")
        subprocess.run(
            [
                "git",
                "-c",
                "user.name=T",
                "-c",
                "user.email=release@acme.example",
                "-c",
                "user.signingkey=release@acme.example",
                "tag",
                "-s",
                "-m",
                "rel",
                "v2.0.0",
            ],
            cwd=project.root,
            env={**env, "GIT_CONFIG_GLOBAL": os.devnull},
            check=True,
            capture_output=True,
        )
        path = project.write("keys/release.asc", keyring)
        ctx = project.context({}, tag_signers=path)
        (item,) = TagSignaturesCollector(ctx.config).collect(ctx).items
        assert item.status is Status.VERIFIED, item.reason
        assert item.signer is not None and "release@acme.example" in item.signer.identity
        assert item.details["format"] == "openpgp"
        # a keyring without the signer's key does not verify it
        other = project.write("keys/other.asc", _other_key(tmp_path))
        ctx = project.context({}, tag_signers=other)
        (item,) = TagSignaturesCollector(ctx.config).collect(ctx).items
        assert item.status is Status.FAILED
    finally:
        subprocess.run(["gpgconf", "--kill", "all"], env=env, capture_output=True, check=False)


def _other_key(tmp_path: Path) -> bytes:
    home = tmp_path / "gnupg-other"
    home.mkdir(mode=0o700)
    env = {**os.environ, "GNUPGHOME": str(home)}
    try:
        subprocess.run(
            [
                "gpg",
                "--batch",
                "--passphrase",
                "",
                "--quick-gen-key",
                "Other <other@acme.example>",
                "ed25519",
                "sign",
                "never",
            ],
            env=env,
            check=True,
            capture_output=True,
            timeout=60,
        )
        return subprocess.run(
            ["gpg", "--batch", "--armor", "--export"], env=env, check=True, capture_output=True
        ).stdout
    finally:
        subprocess.run(["gpgconf", "--kill", "all"], env=env, capture_output=True, check=False)


def test_format_detection() -> None:
    assert signature_format(b"object x\n-----BEGIN SSH SIGNATURE-----\n") == "ssh"
    assert signature_format(b"-----BEGIN PGP SIGNATURE-----") == "openpgp"
    assert signature_format(b"plain") is None
    assert keyring_format(b"\x99\x01") == "openpgp"
    assert keyring_format(b"a@b ssh-ed25519 AAAA") == "ssh"
