"""Release-to-release SBOM diff: components added, removed, upgraded, downgraded; licence changes;
vulnerabilities introduced and resolved.

Components are matched by :attr:`Component.key` (package URL without version, else type and name).
A package present in several versions is treated as a multiset: equal versions cancel out, the
rest are paired in version order. Versions are ordered with :mod:`packaging` when both are PEP 440
versions, else by a natural (numbers-as-numbers) comparison.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import msgspec
from packaging.version import InvalidVersion, Version

from secdocs.model import JSONValue
from secdocs.sbom.model import Component, Vulnerability


class Change(msgspec.Struct, frozen=True, gc=False):
    """One component instance added, removed or changed (``path``: where the SBOM says it is)."""

    name: str
    key: str
    old: str = ""
    new: str = ""
    path: str = ""


class Row(msgspec.Struct, frozen=True, gc=False):
    """Identical instances (same package, same versions) shown once, with their count and paths."""

    name: str
    key: str
    old: str
    new: str
    count: int
    paths: tuple[str, ...]


def collapse(changes: Iterable[Change]) -> list[Row]:
    """One row per (package, old version, new version), in first-seen order."""
    rows: dict[tuple[str, str, str, str], list[Change]] = {}
    for change in changes:
        rows.setdefault((change.key, change.name, change.old, change.new), []).append(change)
    return [
        Row(
            name=name,
            key=key,
            old=old,
            new=new,
            count=len(group),
            paths=tuple(sorted(c.path for c in group if c.path)),
        )
        for (key, name, old, new), group in rows.items()
    ]


class Diff(msgspec.Struct, frozen=True, gc=False):
    previous: str
    added: tuple[Change, ...] = ()
    removed: tuple[Change, ...] = ()
    upgraded: tuple[Change, ...] = ()
    downgraded: tuple[Change, ...] = ()
    changed: tuple[Change, ...] = ()  # versions that cannot be ordered
    licences: tuple[Change, ...] = ()
    introduced: tuple[Vulnerability, ...] = ()
    resolved: tuple[Vulnerability, ...] = ()

    @property
    def empty(self) -> bool:
        return not any(
            (
                self.added,
                self.removed,
                self.upgraded,
                self.downgraded,
                self.changed,
                self.licences,
                self.introduced,
                self.resolved,
            )
        )


_TOKEN = re.compile(r"\d+|[A-Za-z]+")


def _natural(version: str) -> tuple[tuple[int, int | str], ...]:
    return tuple((0, int(t)) if t.isdigit() else (1, t.lower()) for t in _TOKEN.findall(version))


def compare_versions(old: str, new: str) -> int:
    """-1, 0 or 1 as ``new`` is lower than, equal to or higher than ``old`` (0 if unordered)."""
    if old == new:
        return 0
    try:
        a, b = Version(old.removeprefix("v")), Version(new.removeprefix("v"))
    except InvalidVersion:
        x, y = _natural(old), _natural(new)
        if not x or not y:
            return 0
        return (y > x) - (y < x)
    return (b > a) - (b < a)


def _sort_key(version: str) -> tuple[int, object]:
    try:
        return (0, Version(version.removeprefix("v")))
    except InvalidVersion:
        return (1, _natural(version))


def _ordered(versions: Iterable[str]) -> list[str]:
    items = list(versions)
    try:
        return sorted(items, key=_sort_key)
    except TypeError:  # pragma: no cover - mixed kinds: fall back to natural order
        return sorted(items, key=_natural)


class _Package:
    """All instances of one package in one SBOM."""

    __slots__ = ("licences", "name", "paths", "versions")

    def __init__(self, name: str) -> None:
        self.name = name
        self.versions: list[str] = []
        self.licences: dict[str, str] = {}
        self.paths: dict[str, list[str]] = {}

    def path(self, version: str) -> str:
        """The install path of one more instance of ``version`` (``""`` when none is left)."""
        paths = self.paths.get(version)
        return paths.pop(0) if paths else ""


def _group(components: Sequence[Component]) -> dict[str, _Package]:
    out: dict[str, _Package] = {}
    for component in components:
        entry = out.get(component.key)
        if entry is None:
            entry = out[component.key] = _Package(component.display_name)
        entry.versions.append(component.version)
        entry.licences[component.version] = component.licence_text
        entry.paths.setdefault(component.version, []).append(component.path)
    for entry in out.values():
        for paths in entry.paths.values():
            paths.sort()
    return out


def diff_components(
    previous: Sequence[Component], current: Sequence[Component], previous_label: str
) -> Diff:
    old, new = _group(previous), _group(current)
    added: list[Change] = []
    removed: list[Change] = []
    upgraded: list[Change] = []
    downgraded: list[Change] = []
    changed: list[Change] = []
    licences: list[Change] = []
    for key in sorted(set(old) | set(new)):
        if key not in old:
            package = new[key]
            added.extend(
                Change(package.name, key, new=v, path=package.path(v))
                for v in _ordered(package.versions)
            )
            continue
        if key not in new:
            package = old[key]
            removed.extend(
                Change(package.name, key, old=v, path=package.path(v))
                for v in _ordered(package.versions)
            )
            continue
        before, after = old[key], new[key]
        name = before.name
        remaining_old = list(before.versions)
        remaining_new = []
        for version in after.versions:
            if version in remaining_old:
                remaining_old.remove(version)
            else:
                remaining_new.append(version)
        pairs = list(zip(_ordered(remaining_old), _ordered(remaining_new), strict=False))
        for a, b in pairs:
            order = compare_versions(a, b)
            target = upgraded if order > 0 else downgraded if order < 0 else changed
            target.append(Change(name, key, old=a, new=b, path=after.path(b)))
        for a in _ordered(remaining_old)[len(pairs) :]:
            removed.append(Change(name, key, old=a, path=before.path(a)))
        for b in _ordered(remaining_new)[len(pairs) :]:
            added.append(Change(name, key, new=b, path=after.path(b)))
        old_text = sorted(set(before.licences.values()))
        new_text = sorted(set(after.licences.values()))
        if old_text != new_text:
            licences.append(Change(name, key, old=" | ".join(old_text), new=" | ".join(new_text)))
    return Diff(
        previous=previous_label,
        added=tuple(added),
        removed=tuple(removed),
        upgraded=tuple(upgraded),
        downgraded=tuple(downgraded),
        changed=tuple(changed),
        licences=tuple(licences),
    )


def diff_vulnerabilities(
    diff: Diff, previous: Sequence[Vulnerability], current: Sequence[Vulnerability]
) -> Diff:
    """Open vulnerabilities (by id) that appeared, and those open before and not any more."""
    old_open = {v.id: v for v in previous if v.open}
    new_open = {v.id: v for v in current if v.open}
    introduced = tuple(new_open[i] for i in sorted(set(new_open) - set(old_open)))
    resolved = tuple(old_open[i] for i in sorted(set(old_open) - set(new_open)))
    return msgspec.structs.replace(diff, introduced=introduced, resolved=resolved)


def diff_data(diff: Diff) -> dict[str, JSONValue]:
    """The diff for evidence.json: counts of instances, and every entry (identical instances
    collapsed into one entry with ``count`` and, where the SBOM gives them, ``paths``)."""

    def changes(items: tuple[Change, ...]) -> list[JSONValue]:
        return [
            {
                "name": r.name,
                "key": r.key,
                "from": r.old or None,
                "to": r.new or None,
                "count": r.count,
                "paths": list(r.paths),
            }
            for r in collapse(items)
        ]

    return {
        "previous": diff.previous,
        "counts": {
            "added": len(diff.added),
            "removed": len(diff.removed),
            "upgraded": len(diff.upgraded),
            "downgraded": len(diff.downgraded),
            "changed": len(diff.changed),
            "licence_changes": len(diff.licences),
            "vulnerabilities_introduced": len(diff.introduced),
            "vulnerabilities_resolved": len(diff.resolved),
        },
        "added": changes(diff.added),
        "removed": changes(diff.removed),
        "upgraded": changes(diff.upgraded),
        "downgraded": changes(diff.downgraded),
        "changed": changes(diff.changed),
        "licence_changes": changes(diff.licences),
        "vulnerabilities_introduced": [v.id for v in diff.introduced],
        "vulnerabilities_resolved": [v.id for v in diff.resolved],
    }
