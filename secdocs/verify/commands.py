"""Copy-paste verification commands, filled in from the evidence and the config.

Every value is quoted with :func:`shlex.quote`; file names are the names the files are published
under, so the commands work in a folder holding the downloaded files.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Sequence

from secdocs.verify.signers import ResolvedSigner

_GITHUB = re.compile(
    r"^(?:git\+)?(?:https?://)?github\.com/([^/@\s]+/[^/@\s]+?)(?:\.git)?(?:@.*)?$"
)


def join(*parts: str) -> str:
    return " ".join(shlex.quote(p) for p in parts)


def github_repo(source_uri: str | None) -> str | None:
    """``owner/name`` when ``source_uri`` is a GitHub repository."""
    if not source_uri:
        return None
    match = _GITHUB.match(source_uri.strip())
    return match.group(1) if match else None


def _identity_flags(
    signer: ResolvedSigner, observed: str | None, flag: str, regex_flag: str | None
) -> list[str] | None:
    if signer.identity:
        return [flag, signer.identity]
    if signer.regex is not None:
        if regex_flag:
            return [regex_flag, signer.regex.pattern]
        if observed and signer.matches(observed):
            return [flag, observed]
    return None


def sigstore_bundle(
    artifact: str,
    bundle: str,
    signer: ResolvedSigner,
    observed_identity: str | None,
    trusted_root: str,
    dsse: bool,
) -> list[str]:
    """Commands for a keyless Sigstore bundle."""
    commands: list[str] = []
    if not signer.issuer:
        return commands
    if trusted_root in ("production", "staging"):
        flags = _identity_flags(signer, observed_identity, "--cert-identity", None)
        if flags:
            base = ["python", "-m", "sigstore"]
            if trusted_root == "staging":
                base.append("--staging")
            commands.append(
                join(
                    *base,
                    "verify",
                    "identity",
                    "--offline",
                    "--bundle",
                    bundle,
                    *flags,
                    "--cert-oidc-issuer",
                    signer.issuer,
                    artifact,
                )
            )
    flags = _identity_flags(
        signer, observed_identity, "--certificate-identity", "--certificate-identity-regexp"
    )
    if flags:
        extra: list[str] = []
        if trusted_root not in ("production", "staging"):
            extra = ["--trusted-root", trusted_root]
        elif trusted_root == "staging":
            extra = []
        verb = "verify-blob-attestation" if dsse else "verify-blob"
        extra_new = ["--new-bundle-format"] if dsse else []
        commands.append(
            join(
                "cosign",
                verb,
                "--bundle",
                bundle,
                *extra_new,
                *extra,
                *flags,
                "--certificate-oidc-issuer",
                signer.issuer,
                artifact,
            )
        )
    return commands


def key_signature(artifact: str, signature: str, key: str) -> list[str]:
    return [join("cosign", "verify-blob", "--key", key, "--signature", signature, artifact)]


def key_bundle(artifact: str, bundle: str, key: str) -> list[str]:
    return [join("cosign", "verify-blob", "--key", key, "--bundle", bundle, artifact)]


def gh_attestation(artifact: str, source_uri: str | None, bundle: str | None) -> list[str]:
    repo = github_repo(source_uri)
    if repo is None:
        return []
    extra = ["--bundle", bundle] if bundle else []
    return [join("gh", "attestation", "verify", artifact, "--repo", repo, *extra)]


def slsa_verifier(artifact: str, provenance: str, source_uri: str | None, tag: str) -> list[str]:
    if not source_uri:
        return []
    return [
        join(
            "slsa-verifier",
            "verify-artifact",
            artifact,
            "--provenance-path",
            provenance,
            "--source-uri",
            source_uri,
            "--source-tag",
            tag,
        )
    ]


def slsa_verifier_npm(
    tarball: str,
    attestations: str,
    name: str,
    version: str,
    source_uri: str,
    builder: str | None,
) -> list[str]:
    """slsa-verifier's command for an npm tarball and the registry's attestations file."""
    builder_flag = ["--builder-id", builder] if builder else []
    return [
        join(
            "slsa-verifier",
            "verify-npm-package",
            tarball,
            "--attestations-path",
            attestations,
            *builder_flag,
            "--package-name",
            name,
            "--package-version",
            version,
            "--source-uri",
            source_uri,
        )
    ]


def checksums(files: Sequence[str]) -> list[str]:
    """``sha256sum --check`` per checksum file (``sha512sum``/``sha384sum`` by the file's name)."""
    return [join(_checksum_tool(f), "--check", "--ignore-missing", f) for f in files]


def _checksum_tool(name: str) -> str:
    lowered = name.lower()
    for bits in ("512", "384"):
        if bits in lowered:
            return f"sha{bits}sum"
    return "sha256sum"


def git_verify_tag(tag: str, signers_file: str | None, fmt: str | None) -> list[str]:
    if fmt == "ssh" and signers_file:
        return [
            join(
                "git",
                "-c",
                "gpg.format=ssh",
                "-c",
                f"gpg.ssh.allowedSignersFile={signers_file}",
                "verify-tag",
                tag,
            )
        ]
    if fmt == "openpgp" and signers_file:
        return [f"gpg --import {shlex.quote(signers_file)} && {join('git', 'verify-tag', tag)}"]
    return [join("git", "verify-tag", tag)]
