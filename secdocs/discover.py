"""Discover releases from git tags: glob, parse versions, order by version, link neighbours."""

from __future__ import annotations

import dataclasses
import logging
import re
from dataclasses import dataclass

from packaging.version import InvalidVersion, Version

from secdocs.errors import GitError
from secdocs.git import GitRepo, TagRef
from secdocs.model import Problem, Release
from secdocs.safety import describe, is_safe_segment

log = logging.getLogger("mkdocs.plugins.secdocs")

_PREFIX = re.compile(r"^[^0-9]*")
_SEMVER = re.compile(
    r"^(?P<major>0|[1-9]\d*)\.(?P<minor>0|[1-9]\d*)\.(?P<patch>0|[1-9]\d*)"
    r"(?:-(?P<pre>[0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$"
)
_PRE_WORDS = {
    "alpha": "a",
    "a": "a",
    "beta": "b",
    "b": "b",
    "rc": "rc",
    "pre": "rc",
    "preview": "rc",
}


@dataclass(frozen=True, slots=True)
class Discovery:
    releases: tuple[Release, ...]
    problems: tuple[Problem, ...]


def parse_version(tag: str) -> Version | None:
    """The version a tag names: PEP 440, or SemVer mapped onto PEP 440; ``None`` if neither."""
    text = _PREFIX.sub("", tag)
    if not text:
        return None
    try:
        return Version(text)
    except InvalidVersion:
        pass
    match = _SEMVER.match(text)
    if not match:
        return None
    base = f"{match['major']}.{match['minor']}.{match['patch']}"
    pre = match["pre"]
    if pre is None:
        return Version(base)
    words = re.split(r"[.-]", pre)
    kind = _PRE_WORDS.get(words[0].lower())
    number = next((w for w in words[1:] if w.isdigit()), "0")
    try:
        return Version(f"{base}{kind}{number}") if kind else Version(f"{base}.dev0")
    except InvalidVersion:  # pragma: no cover - the pieces are validated above
        return None


def discover(repo: GitRepo, pattern: str) -> Discovery:
    """Every release tag matching ``pattern``, oldest version first, linked to neighbours."""
    refs = repo.tags(pattern)
    if not refs:
        if repo.is_shallow:
            raise GitError(
                f"{repo.path}: this is a shallow clone and no tag matches {pattern!r}; "
                "fetch the history and tags first: git fetch --tags --unshallow"
            )
        log.warning(
            "secdocs: no tag matches %r in %s (in CI, check out with tags: git fetch --tags)",
            pattern,
            repo.path,
        )
    problems: list[Problem] = []
    parsed: list[tuple[Version, TagRef]] = []
    for ref in refs:
        if not is_safe_segment(ref.name):
            message = f"tag {describe(ref.name)} is not a safe path segment; release skipped"
            log.warning("secdocs: %s", message)
            problems.append(Problem(message, severity="warning"))
            continue
        version = parse_version(ref.name)
        if version is None:
            message = f"tag {ref.name!r} is not a PEP 440 or SemVer version; release skipped"
            log.warning("secdocs: %s", message)
            problems.append(Problem(message, severity="warning"))
            continue
        parsed.append((version, ref))
    parsed.sort(key=lambda pair: (pair[0], pair[1].name))

    releases = [
        Release(
            tag=ref.name,
            version=str(version),
            commit=ref.commit,
            date=ref.date,
            annotated=ref.annotated,
            prerelease=version.is_prerelease,
            tagger=ref.tagger,
            message=ref.message,
            tag_object=ref.object,
        )
        for version, ref in parsed
    ]
    linked = [
        dataclasses.replace(
            release,
            previous=releases[i - 1].tag if i > 0 else None,
            next=releases[i + 1].tag if i + 1 < len(releases) else None,
        )
        for i, release in enumerate(releases)
    ]
    return Discovery(tuple(linked), tuple(problems))


def latest(releases: tuple[Release, ...] | list[Release]) -> Release | None:
    """The newest release that is not a pre-release (the newest of all if every one is)."""
    stable = [r for r in releases if not r.prerelease]
    pool = stable or list(releases)
    return pool[-1] if pool else None
