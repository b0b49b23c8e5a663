"""File roles: what each evidence file is (signature, SBOM, checksums, …), from the file-name
conventions the built-in evidence kinds claim.

A kind claims names on its class (:attr:`secdocs.collectors.Collector.claims`, and
:attr:`~secdocs.collectors.Collector.claim_rule` for a rule a suffix cannot say); this module
builds one table from the kinds shipped with secdocs, so a file's role never depends on which
other packages are installed. A name claimed twice with two different roles is an error, never
a silent choice.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import entry_points

from secdocs.errors import SecdocsError
from secdocs.model import Kind

#: the entry-point group of evidence kinds, and the distribution whose kinds always run
GROUP = "secdocs.collectors"
BUILTIN_DISTRIBUTION = "secdocs"


@dataclass(frozen=True, slots=True)
class FileNames:
    """Evidence files a kind claims by name: they get ``role`` (a :class:`secdocs.model.Kind`).

    A file matches when its base name, lower-cased, is one of ``names``, or it is a ``.json``
    file whose base name contains one of ``json_markers``, or it ends with one of ``suffixes``
    (the longest claimed suffix wins)."""

    role: str
    suffixes: tuple[str, ...] = ()
    names: tuple[str, ...] = ()
    json_markers: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class RoleTable:
    """The claims of the built-in kinds, in the order they are tried."""

    #: kinds' own rules (``claim_rule``), tried first, by kind name
    rules: tuple[Callable[[str], str | None], ...]
    names: dict[str, str]
    json_markers: tuple[tuple[str, str], ...]
    #: longest first
    suffixes: tuple[tuple[str, str], ...]

    def role(self, name: str) -> str:
        for rule in self.rules:
            claimed = rule(name)
            if claimed is not None:
                return claimed
        base = name.rsplit("/", 1)[-1].lower()
        if base in self.names:
            return self.names[base]
        if base.endswith(".json"):
            for marker, role in self.json_markers:
                if marker in base:
                    return role
        for suffix, role in self.suffixes:
            if base.endswith(suffix):
                return role
        return Kind.ARTIFACT


def build_table(kinds: list[tuple[str, type]]) -> RoleTable:
    """One table from ``(kind name, kind class)`` pairs; conflicting claims raise."""
    rules: list[Callable[[str], str | None]] = []
    names: dict[str, str] = {}
    markers: dict[str, str] = {}
    suffixes: dict[str, str] = {}
    owner: dict[tuple[str, str], str] = {}

    def add(table: dict[str, str], what: str, key: str, role: str, kind: str) -> None:
        if table.get(key, role) != role:
            raise SecdocsError(
                f"the {kind} kind claims the {what} {key!r} as {role}, but the "
                f"{owner[what, key]} kind claims it as {table[key]}"
            )
        table[key] = role
        owner.setdefault((what, key), kind)

    for kind, cls in sorted(kinds, key=lambda pair: pair[0]):
        rule = getattr(cls, "claim_rule", None)
        if rule is not None:
            rules.append(rule)
        for claim in getattr(cls, "claims", ()):
            for name in claim.names:
                add(names, "file name", name.lower(), claim.role, kind)
            for marker in claim.json_markers:
                add(markers, "name marker", marker.lower(), claim.role, kind)
            for suffix in claim.suffixes:
                add(suffixes, "suffix", suffix.lower(), claim.role, kind)
    return RoleTable(
        tuple(rules),
        names,
        tuple(sorted(markers.items())),
        tuple(sorted(suffixes.items(), key=lambda item: (-len(item[0]), item[0]))),
    )


@functools.cache
def builtin_table() -> RoleTable:
    """The table of the kinds shipped with secdocs (loaded once from their entry points)."""
    kinds = [
        (ep.name, ep.load())
        for ep in entry_points(group=GROUP)
        if ep.dist is not None and ep.dist.name == BUILTIN_DISTRIBUTION
    ]
    if not kinds:
        raise SecdocsError(
            f"no {GROUP} entry points of the {BUILTIN_DISTRIBUTION} distribution: secdocs is not "
            "installed (pip install secdocs, or pip install -e . in a checkout)"
        )
    return build_table(kinds)


def classify(name: str) -> str:
    """The role of an evidence file, from the file-name conventions the built-in kinds claim."""
    return builtin_table().role(name)
