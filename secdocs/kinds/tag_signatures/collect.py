"""The ``tag-signatures`` collector: is the release tag signed, and by someone allowed?

git, gpg and gpgconf run with fixed argument lists (no shell); only the tag name and temporary
paths vary.

SSH signatures are checked by ``git verify-tag`` against an ``allowed_signers`` file, OpenPGP
signatures by ``git verify-tag`` with gpg and a keyring imported into a throw-away GNUPGHOME.
Both files come from the ``tag_signers`` option (a path relative to the repository).
"""

from __future__ import annotations

import os
import re
import subprocess  # nosec B404
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from secdocs.collectors import Collector, PageContext, ReleaseContext
from secdocs.config import Config
from secdocs.errors import SecdocsError
from secdocs.kinds.tag_signatures.model import TagSignature
from secdocs.kinds.tag_signatures.options import TagSignaturesOptions
from secdocs.kinds.tag_signatures.render import section
from secdocs.model import (
    Assurance,
    EvidenceItem,
    Findings,
    Kind,
    Section,
    Signer,
    Status,
)
from secdocs.render.html import html_block
from secdocs.verify import commands
from secdocs.verify.signers import MAX_KEY_FILE, read_config_file

PGP_MARK = b"-----BEGIN PGP SIGNATURE-----"
SSH_MARK = b"-----BEGIN SSH SIGNATURE-----"
_SSH_GOOD = re.compile(r'Good "git" signature for (\S+) with (\S+) key (\S+)')
_GPG_GOOD = re.compile(r"\[GNUPG:\] GOODSIG (\S+) (.+)")
_GPG_VALID = re.compile(r"\[GNUPG:\] VALIDSIG (\S+)")
TIMEOUT = 30


def _git_env(extra: Mapping[str, str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_CONFIG")}
    env.update(extra)
    return env


def signature_format(tag_object: bytes) -> str | None:
    if SSH_MARK in tag_object:
        return "ssh"
    if PGP_MARK in tag_object:
        return "openpgp"
    return None


def keyring_format(data: bytes) -> str:
    """``openpgp`` for an armored or binary OpenPGP keyring, else ``ssh`` (allowed_signers)."""
    if b"-----BEGIN PGP PUBLIC KEY BLOCK-----" in data:
        return "openpgp"
    if data[:1] and data[0] & 0x80:  # binary OpenPGP packet
        return "openpgp"
    return "ssh"


class TagSignaturesCollector(Collector):
    name = "tag-signatures"
    order = 25
    options_class = TagSignaturesOptions
    roles = ()
    reads_tag_tree = True

    def __init__(self, config: Config, options: Mapping[str, Any] | None = None) -> None:
        super().__init__(config, options)
        self.signers_file = config.options.tag_signers

    def collect(self, ctx: ReleaseContext) -> Findings:
        result = self.check(ctx)
        item = EvidenceItem(
            kind=Kind.TAG_SIGNATURE,
            path=f"refs/tags/{ctx.release.tag}",
            status=result.status,
            reason=result.reason,
            collector=self.name,
            signer=Signer(result.signer) if result.signer else None,
            details={"format": result.format, "key": result.key, "commands": list(result.commands)},
            assurance=Assurance.AUTHENTICITY if result.status is Status.VERIFIED else None,
        )
        return Findings(self.name, items=(item,), data=result.as_json(), detail=result)

    def _tag_object(self, ctx: ReleaseContext) -> bytes | None:
        try:
            out = subprocess.run(  # nosec B603 B607
                ["git", "cat-file", "tag", f"refs/tags/{ctx.release.tag}"],
                cwd=ctx.repo.path,
                env=_git_env({}),
                capture_output=True,
                timeout=TIMEOUT,
                check=False,
            )
        except (OSError, subprocess.SubprocessError):
            return None
        return out.stdout if out.returncode == 0 else None

    def check(self, ctx: ReleaseContext) -> TagSignature:
        tag = ctx.release.tag
        cmds = tuple(commands.git_verify_tag(tag, self.signers_file, None))
        obj = self._tag_object(ctx) if ctx.release.annotated else None
        fmt = signature_format(obj) if obj is not None else None
        if fmt is None:
            kind = "annotated" if ctx.release.annotated else "lightweight"
            return TagSignature(
                tag,
                Status.MISSING,
                f"tag is not signed ({kind} tag); sign release tags with git tag -s",
                None,
                None,
                None,
                (),
            )
        if not self.signers_file:
            return TagSignature(
                tag,
                Status.UNVERIFIABLE,
                f"tag has an {fmt} signature, but no "
                "tag_signers is configured: set tag_signers to an SSH "
                "allowed_signers file or an OpenPGP keyring",
                fmt,
                None,
                None,
                cmds,
            )
        try:
            data = read_config_file(self.config, self.signers_file, "tag_signers", MAX_KEY_FILE)
        except SecdocsError as exc:
            return TagSignature(tag, Status.UNVERIFIABLE, str(exc), fmt, None, None, cmds)
        if keyring_format(data) != fmt:
            return TagSignature(
                tag,
                Status.UNVERIFIABLE,
                f"tag has an {fmt} signature but "
                f"tag_signers ({self.signers_file}) is not an "
                f"{'allowed_signers file' if fmt == 'ssh' else 'OpenPGP keyring'}",
                fmt,
                None,
                None,
                cmds,
            )
        cmds = tuple(commands.git_verify_tag(tag, self.signers_file, fmt))
        with tempfile.TemporaryDirectory(prefix="secdocs-tag-") as tmp:
            try:
                ok, output = self._verify(ctx, fmt, data, Path(tmp))
            except (OSError, subprocess.SubprocessError) as exc:
                return TagSignature(
                    tag, Status.FAILED, f"could not run the verifier: {exc}", fmt, None, None, cmds
                )
        signer, key = _signer(fmt, output)
        if ok and signer:
            return TagSignature(tag, Status.VERIFIED, None, fmt, signer, key, cmds)
        first = next(
            (ln for ln in output.splitlines() if ln.strip() and not ln.startswith("[GNUPG:]")),
            output.strip()[:200],
        )
        return TagSignature(
            tag,
            Status.FAILED,
            f"signature does not verify against {self.signers_file}: {first[:300]}",
            fmt,
            signer,
            key,
            cmds,
        )

    def _verify(self, ctx: ReleaseContext, fmt: str, data: bytes, tmp: Path) -> tuple[bool, str]:
        if fmt == "ssh":
            signers = tmp / "allowed_signers"
            signers.write_bytes(data)
            env = {
                "GIT_CONFIG_COUNT": "1",
                "GIT_CONFIG_KEY_0": "gpg.ssh.allowedSignersFile",
                "GIT_CONFIG_VALUE_0": str(signers),
            }
            return ctx.repo.verify_tag(ctx.release.tag, _git_env(env))
        home = tmp / "gnupg"
        home.mkdir(mode=0o700)
        keyring = tmp / "keyring"
        keyring.write_bytes(data)
        subprocess.run(  # nosec B603 B607
            ["gpg", "--batch", "--quiet", "--no-tty", "--import", str(keyring)],
            env={**os.environ, "GNUPGHOME": str(home)},
            capture_output=True,
            timeout=TIMEOUT,
            check=False,
        )
        env = {"GNUPGHOME": str(home), "GIT_CONFIG_COUNT": "0"}
        try:
            return ctx.repo.verify_tag(ctx.release.tag, _git_env(env))
        finally:
            # stop the gpg-agent this GNUPGHOME may have started
            subprocess.run(  # nosec B603 B607
                ["gpgconf", "--kill", "all"],
                env={**os.environ, "GNUPGHOME": str(home)},
                capture_output=True,
                timeout=TIMEOUT,
                check=False,
            )

    def render(self, findings: Findings, page: PageContext) -> Sequence[Section]:
        result = findings.detail
        if not isinstance(result, TagSignature):
            return ()
        return (Section("tag-signature", "Tag signature", html_block(section(result)), self.order),)


def _signer(fmt: str, output: str) -> tuple[str | None, str | None]:
    if fmt == "ssh":
        match = _SSH_GOOD.search(output)
        return (match.group(1), f"{match.group(2)} {match.group(3)}") if match else (None, None)
    good = _GPG_GOOD.search(output)
    valid = _GPG_VALID.search(output)
    return (good.group(2).strip() if good else None, valid.group(1) if valid else None)
