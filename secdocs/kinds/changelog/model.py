"""What the changelog kind finds: the release's security entries and where they came from
(no I/O)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Entry:
    """One security entry. ``text`` is Markdown (changelog) or plain text (commits)."""

    text: str
    ids: tuple[str, ...]
    #: ``heading`` | ``bold`` | ``advisory`` | ``commit``
    origin: str
    line: int | None = None
    commit: str | None = None


@dataclass(frozen=True, slots=True)
class ChangelogSection:
    heading: str
    line: int
    #: the security headings found in the section, as written
    security_headings: tuple[str, ...]
    entries: tuple[Entry, ...]


@dataclass(frozen=True, slots=True)
class ChangelogDetail:
    path: str
    #: ``changelog`` (the release's section), ``commits`` (fallback) or ``none``
    source: str
    section: ChangelogSection | None
    entries: tuple[Entry, ...]
    note: str
