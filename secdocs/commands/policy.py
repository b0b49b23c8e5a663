"""The command-line side of the policy: ``secdocs policy``, ``init``, ``collect`` and the
``security.txt`` expiry check of ``secdocs verify``."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from secdocs.config import Config, load_mkdocs_yml
from secdocs.discover import discover
from secdocs.errors import SecdocsError
from secdocs.git import GitRepo
from secdocs.kinds.security_policy import securitymd, securitytxt
from secdocs.kinds.security_policy.model import MAX_POLICY_FILE, build_date, load
from secdocs.model import Release
from secdocs.safety import read_limited

#: committed copies of security.txt that ``verify`` also checks, relative to the repository
COMMITTED_SECURITY_TXT = (".well-known/security.txt", "docs/.well-known/security.txt")


def _releases(config: Config) -> tuple[Release, ...]:
    with GitRepo(config.repo) as repo:
        return discover(repo, config.tags).releases


def policy_command(config_file: Path, write: bool) -> int:
    """``--write`` writes SECURITY.md; otherwise check it (1 and a diff when it drifted)."""
    config, _document = load_mkdocs_yml(config_file)
    policy = load(config)
    if policy is None:
        print("secdocs: error: the secdocs plugin has no security: block", file=sys.stderr)
        return 2
    releases = _releases(config)
    expected = securitymd.render(policy, releases, build_date([r.date for r in releases]))
    target = _inside(config.repo, policy.security_md)
    if target is None:
        print(f"secdocs: error: {policy.security_md} leaves the repository", file=sys.stderr)
        return 2
    if write:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(expected, encoding="utf-8")
        print(f"secdocs: wrote {policy.security_md}")
        return 0
    actual = None
    if target.exists():
        try:
            actual = read_limited(target, MAX_POLICY_FILE, policy.security_md).decode("utf-8")
        except UnicodeDecodeError:
            actual = ""
    diff = securitymd.drift(expected, actual, policy.security_md)
    if diff is None:
        print(f"secdocs: {policy.security_md} is up to date")
        return 0
    sys.stdout.write(diff)
    print(
        f"secdocs: {policy.security_md} differs from the security: block; "
        "run `secdocs policy --write`",
        file=sys.stderr,
    )
    return 1


def check_security_txt(
    config: Config, releases: Sequence[Release], now: datetime | None = None
) -> int:
    """Warn within 30 days of expiry, fail (1) once expired: the generated file and any copy
    committed to the repository. Messages go to stderr; returns 0 or 1."""
    policy = load(config)
    if policy is None:
        return 0
    now = now or datetime.now(UTC)
    texts: list[tuple[str, str]] = []
    if policy.contacts:
        built = securitytxt.build_time()
        texts.append(("security.txt (generated)", securitytxt.generate(policy, built)))
    for path in COMMITTED_SECURITY_TXT:
        try:
            target = _inside(config.repo, path)
            if target is not None and target.is_file():
                data = read_limited(target, MAX_POLICY_FILE, path)
                texts.append((path, data.decode("utf-8", errors="replace")))
        except SecdocsError as exc:
            print(f"warning: {exc}", file=sys.stderr)
    failed = 0
    for name, text in texts:
        parsed = securitytxt.parse(text)
        for error in parsed.errors:
            print(f"warning: {name}: {error}", file=sys.stderr)
        state, message = securitytxt.expiry(parsed, now)
        if state == "warning":
            print(f"warning: {name}: {message}", file=sys.stderr)
        elif state in ("expired", "invalid"):
            print(f"error: {name}: {message}", file=sys.stderr)
            failed = 1
    return failed


def _inside(root: Path, relative: str) -> Path | None:
    """``root/relative`` when no part of it is a symlink leaving ``root`` (dot-folders allowed)."""
    base = root.resolve()
    candidate = (base / relative).resolve()
    if base not in candidate.parents:
        return None
    return candidate
