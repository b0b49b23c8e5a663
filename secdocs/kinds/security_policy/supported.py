"""The supported-versions table: release series from the discovered tags and the support policy."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from packaging.version import InvalidVersion, Version

from secdocs.kinds.security_policy.model import Support
from secdocs.model import Release


@dataclass(frozen=True, slots=True)
class Series:
    """One ``major.minor`` release series."""

    major: int
    minor: int
    latest: Release
    supported: bool
    end_of_life: date | None
    why: str

    @property
    def label(self) -> str:
        return f"{self.major}.{self.minor}.x"


def _version(release: Release) -> Version | None:
    try:
        return Version(release.version)
    except InvalidVersion:
        return None


def series(releases: Iterable[Release], support: Support, today: date | None) -> list[Series]:
    """Every stable release series, newest first, each marked supported or not (with why).

    A series is supported when its major is one of the newest ``support.majors`` majors, it is
    one of the newest ``support.minors`` minors of that major, and no end-of-life date set for the
    series (or its major) has passed on ``today`` (the build date).
    """
    newest: dict[tuple[int, int], tuple[Version, Release]] = {}
    for release in releases:
        version = _version(release)
        if version is None or release.prerelease or version.is_prerelease:
            continue
        key = (version.major, version.minor)
        if key not in newest or version > newest[key][0]:
            newest[key] = (version, release)
    majors = sorted({major for major, _ in newest}, reverse=True)
    supported_majors = set(majors[: support.majors])
    rows = []
    for major, minor in sorted(newest, reverse=True):
        minors = sorted((m for (ma, m) in newest if ma == major), reverse=True)
        eol = support.end_of_life.get(f"{major}.{minor}") or support.end_of_life.get(str(major))
        if major not in supported_majors:
            ok, why = False, f"only the newest {support.majors} major version(s) are supported"
        elif minor not in minors[: support.minors]:
            ok, why = False, f"superseded by {major}.{minors[0]}"
        elif eol is not None and today is not None and eol < today:
            ok, why = False, f"end of life since {eol.isoformat()}"
        else:
            ok, why = True, "supported"
        rows.append(Series(major, minor, newest[(major, minor)][1], ok, eol, why))
    return rows
