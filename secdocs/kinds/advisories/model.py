"""Read advisory files: ``---``-delimited YAML front matter, then a Markdown body.

Front matter keys: ``id`` (required), ``title``, ``kind`` (``advisory`` or ``review``),
``severity`` (critical/high/medium/low), ``affected`` (a PEP 440 specifier such as
``">=1.1,<1.2.1"`` or a list of tags), ``fixed_in`` (a tag), ``published`` and ``reported``
(dates), ``aliases`` (CVE/GHSA ids) and ``follow_ups`` (``action``, ``owner``, ``due``, ``done``).
A bad file becomes a :class:`~secdocs.model.Problem` naming it; it never stops the build.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import InvalidVersion, Version

from secdocs import frontmatter
from secdocs.errors import ConfigError, SecdocsError
from secdocs.kinds.security_policy.model import SEVERITIES, as_date
from secdocs.model import Problem, Release
from secdocs.safety import confined, is_safe_segment, read_limited, safe_yaml_load

MAX_ADVISORY_SIZE = 256 * 1024
MAX_ADVISORIES = 1000
KINDS = ("advisory", "review")

#: the advisories page
ADVISORIES = "security/advisories.md"


@dataclass(frozen=True, slots=True)
class FollowUp:
    action: str
    owner: str
    due: date | None
    done: bool

    def overdue(self, today: date | None) -> bool:
        return not self.done and self.due is not None and today is not None and self.due < today


@dataclass(frozen=True, slots=True)
class Advisory:
    id: str
    path: str
    title: str
    kind: str
    severity: str
    affected_spec: str | None
    affected_tags: tuple[str, ...]
    fixed_in: str | None
    published: date | None
    reported: date | None
    aliases: tuple[str, ...]
    follow_ups: tuple[FollowUp, ...]
    body: str

    def affects(self, release: Release) -> bool:
        if release.tag in self.affected_tags:
            return True
        if self.affected_spec is None:
            return False
        try:
            version = Version(release.version)
        except InvalidVersion:
            return False
        return _specifier(self.affected_spec).contains(version, prereleases=True)


@functools.lru_cache(maxsize=1024)
def _specifier(text: str) -> SpecifierSet:
    return SpecifierSet(text)


def split_front_matter(text: str) -> tuple[str, str] | None:
    """``(front matter, body)``, or ``None`` when the file has no complete front matter."""
    try:
        front, body, _ = frontmatter.split_front_matter(text)
    except frontmatter.UnclosedFrontMatter:
        return None
    return None if front is None else (front, body)


def parse(text: str, path: str) -> Advisory:
    """One advisory; raises :class:`SecdocsError` naming ``path`` and the key that is wrong."""
    parts = split_front_matter(text)
    if parts is None:
        raise SecdocsError(f"{path}: no YAML front matter (--- … ---) at the top")
    try:
        meta = safe_yaml_load(parts[0])
    except yaml.YAMLError as exc:
        raise SecdocsError(f"{path}: invalid front matter: {exc}") from exc
    if not isinstance(meta, Mapping):
        raise SecdocsError(f"{path}: the front matter must be a mapping")
    try:
        return _advisory(meta, parts[1], path)
    except ConfigError as exc:
        raise SecdocsError(f"{path}: {exc.key}: {exc.message}") from exc


def _text(meta: Mapping[str, Any], key: str, required: bool = False) -> str | None:
    value = meta.get(key)
    if value is None or value == "":
        if required:
            raise ConfigError(key, "is required")
        return None
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        raise ConfigError(key, "expected text")
    return str(value).strip()


def _advisory(meta: Mapping[str, Any], body: str, path: str) -> Advisory:
    ident = _text(meta, "id", required=True) or ""
    kind = _text(meta, "kind") or "advisory"
    if kind not in KINDS:
        raise ConfigError("kind", f"expected one of {', '.join(KINDS)}")
    severity = (_text(meta, "severity") or "unknown").lower()
    if severity not in (*SEVERITIES, "unknown"):
        raise ConfigError("severity", f"expected one of {', '.join(SEVERITIES)}")
    affected = meta.get("affected")
    spec: str | None = None
    tags: tuple[str, ...] = ()
    if isinstance(affected, str):
        try:
            SpecifierSet(affected)
        except InvalidSpecifier as exc:
            raise ConfigError("affected", f"not a version specifier: {affected!r}") from exc
        spec = affected
    elif isinstance(affected, list) and all(isinstance(t, str) for t in affected):
        tags = tuple(affected)
    elif affected is not None:
        raise ConfigError("affected", "expected a version specifier or a list of tags")
    aliases = meta.get("aliases") or []
    if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
        raise ConfigError("aliases", "expected a list of ids")
    return Advisory(
        id=ident,
        path=path,
        title=_text(meta, "title") or ident,
        kind=kind,
        severity=severity,
        affected_spec=spec,
        affected_tags=tags,
        fixed_in=_text(meta, "fixed_in"),
        published=_date(meta, "published"),
        reported=_date(meta, "reported"),
        aliases=tuple(aliases),
        follow_ups=_follow_ups(meta.get("follow_ups")),
        body=body,
    )


def _date(meta: Mapping[str, Any], key: str) -> date | None:
    value = meta.get(key)
    return None if value is None else as_date(value, key)


def _follow_ups(raw: Any) -> tuple[FollowUp, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise ConfigError("follow_ups", "expected a list")
    result = []
    for index, entry in enumerate(raw):
        key = f"follow_ups[{index}]"
        if not isinstance(entry, Mapping):
            raise ConfigError(key, "expected {action, owner, due, done}")
        action = _text(entry, "action")
        owner = _text(entry, "owner")
        if action is None or owner is None:
            raise ConfigError(key, "needs an action and an owner")
        done = entry.get("done", False)
        if not isinstance(done, bool):
            raise ConfigError(f"{key}.done", "expected true or false")
        due = entry.get("due")
        result.append(
            FollowUp(action, owner, None if due is None else as_date(due, f"{key}.due"), done)
        )
    return tuple(result)


def load_folder(repo: Path, folder: str) -> tuple[list[Advisory], list[Problem]]:
    """Every ``*.md`` file directly in ``repo/folder``, sorted by id; bad files become problems."""
    problems: list[Problem] = []
    advisories: list[Advisory] = []
    try:
        root = confined(repo, folder)
    except SecdocsError as exc:
        return [], [Problem(str(exc), folder)]
    if not root.is_dir():
        return [], [Problem("the advisories folder does not exist", folder, severity="warning")]
    names = sorted(p.name for p in root.iterdir() if p.name.endswith(".md"))
    if len(names) > MAX_ADVISORIES:
        problems.append(Problem(f"only the first {MAX_ADVISORIES} advisories are read", folder))
        names = names[:MAX_ADVISORIES]
    seen: set[str] = set()
    for name in names:
        display = f"{folder}/{name}"
        if not is_safe_segment(name) or name.lower() == "index.md":
            continue
        try:
            data = read_limited(confined(root, name), MAX_ADVISORY_SIZE, display)
            advisory = parse(data.decode("utf-8"), display)
        except UnicodeDecodeError:
            problems.append(Problem("not UTF-8 text", display))
            continue
        except SecdocsError as exc:
            problems.append(Problem(str(exc), display))
            continue
        if advisory.id in seen:
            problems.append(Problem(f"duplicate advisory id {advisory.id!r}", display))
            continue
        seen.add(advisory.id)
        advisories.append(advisory)
    advisories.sort(key=lambda a: (a.published or date.min, a.id), reverse=True)
    return advisories, problems


def affected_releases(advisory: Advisory, releases: Sequence[Release]) -> list[Release]:
    return [r for r in releases if advisory.affects(r)]
