"""The figures of the metrics dashboard, as plain data (charts and tables are drawn elsewhere).

Every figure is computed from the reports and the files the policy names, relative to the build
date (``SOURCE_DATE_EPOCH`` or the newest release), never from the wall clock.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from secdocs.errors import ConfigError
from secdocs.kinds.advisories.model import Advisory
from secdocs.kinds.sbom.export import sbom_export
from secdocs.kinds.security_policy.model import as_date
from secdocs.model import Assurance, Kind, Problem, Release, ReleaseReport, Status
from secdocs.render.pages import coverage

#: statuses that count as "the release has this evidence"
BACKED = frozenset({Status.VERIFIED, Status.PRESENT})
#: CycloneDX analysis states that close a vulnerability
CLOSED_STATES = frozenset({"not_affected", "resolved", "resolved_with_pedigree", "false_positive"})
URGENT = ("critical", "high")


# --- coverage ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CoverageRow:
    tag: str
    day: date
    sbom: bool
    signature: bool
    provenance: bool
    #: share (0-100) of releases so far with SBOM + signature, and with provenance too
    share_basic: float
    share_full: float


def backed(report: ReleaseReport, kind: str) -> bool:
    return coverage(report, kind) in BACKED


def coverage_rows(reports: Sequence[ReleaseReport]) -> list[CoverageRow]:
    """Per release, oldest first: which evidence it has and the running shares up to it."""
    rows = []
    basic = full = 0
    for count, report in enumerate(reports, 1):
        sbom = backed(report, Kind.SBOM)
        # a signature or provenance counts only when its authenticity was verified: a file that
        # is merely there, or a checksum that matched, says nothing about who made the release
        sig = report.verified(Kind.SIGNATURE, Assurance.AUTHENTICITY)
        prov = report.verified(Kind.PROVENANCE, Assurance.AUTHENTICITY)
        basic += sbom and sig
        full += sbom and sig and prov
        rows.append(
            CoverageRow(
                report.release.tag,
                report.release.date.date(),
                sbom,
                sig,
                prov,
                round(100 * basic / count, 1),
                round(100 * full / count, 1),
            )
        )
    return rows


# --- time to fix --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Span:
    """A critical/high vulnerability from the release that first shows it to the one fixing it."""

    id: str
    severity: str
    found_in: str
    found_on: date
    fixed_in: str | None
    fixed_on: date | None
    source: str  # "sbom" | "advisory"

    def days(self, today: date | None) -> int | None:
        end = self.fixed_on or today
        return None if end is None else max(0, (end - self.found_on).days)


def open_vulnerabilities(report: ReleaseReport) -> dict[str, str] | None:
    """Open critical/high vulnerability ids → severity, from the SBOM kind's export.

    ``None`` when the release has no SBOM/scan vulnerability data at all (absence of data is not
    evidence that a vulnerability was fixed).
    """
    export = sbom_export(report)
    if export is None or not export.has_data:
        return None
    found: dict[str, str] = {}
    for vulnerability in export.vulnerabilities:
        severity = vulnerability.severity.lower()
        closed = vulnerability.state.lower() in CLOSED_STATES or not vulnerability.open
        if closed or severity not in URGENT:
            continue
        if found.get(vulnerability.id) != "critical":
            found[vulnerability.id] = severity
    return found


def spans(reports: Sequence[ReleaseReport], advisories: Iterable[Advisory] = ()) -> list[Span]:
    """Time-to-fix spans from SBOM/scan data (reports oldest first) and from advisories.

    An advisory naming the same id (or alias) as an SBOM-derived span replaces it: the
    maintainers' own record beats inference.
    """
    result: dict[str, Span] = {}
    open_since: dict[str, tuple[Release, str]] = {}
    for report in reports:
        current = open_vulnerabilities(report)
        if current is None:
            continue
        release = report.release
        for ident, severity in sorted(current.items()):
            if ident not in open_since:
                open_since[ident] = (release, severity)
        for ident in sorted(set(open_since) - set(current)):
            first, severity = open_since.pop(ident)
            result[ident] = Span(
                ident,
                severity,
                first.tag,
                first.date.date(),
                release.tag,
                release.date.date(),
                "sbom",
            )
    for ident, (first, severity) in sorted(open_since.items()):
        result[ident] = Span(ident, severity, first.tag, first.date.date(), None, None, "sbom")
    releases = [r.release for r in reports]
    for advisory in advisories:
        span = advisory_span(advisory, releases)
        if span is None:
            continue
        for key in (advisory.id, *advisory.aliases):
            result.pop(key, None)
        result[advisory.id] = span
    return sorted(result.values(), key=lambda s: (s.found_on, s.id))


def advisory_span(advisory: Advisory, releases: Sequence[Release]) -> Span | None:
    if advisory.severity not in URGENT or advisory.kind != "advisory":
        return None
    affected = [r for r in releases if advisory.affects(r)]
    fixed = next((r for r in releases if r.tag == advisory.fixed_in), None)
    if advisory.reported is not None:
        found_on, found_in = advisory.reported, affected[0].tag if affected else "(reported)"
    elif affected:
        found_on, found_in = affected[0].date.date(), affected[0].tag
    else:
        return None
    return Span(
        advisory.id,
        advisory.severity,
        found_in,
        found_on,
        fixed.tag if fixed else None,
        fixed.date.date() if fixed else None,
        "advisory",
    )


@dataclass(frozen=True, slots=True)
class FixSummary:
    severity: str
    fixed: int
    open: int
    median_days: float | None
    worst_days: int | None


def fix_summary(all_spans: Sequence[Span], today: date | None) -> list[FixSummary]:
    rows = []
    for severity in (*URGENT, "all"):
        chosen = [s for s in all_spans if severity == "all" or s.severity == severity]
        days = [d for s in chosen if s.fixed_on is not None and (d := s.days(None)) is not None]
        rows.append(
            FixSummary(
                severity,
                len(days),
                sum(1 for s in chosen if s.fixed_on is None),
                statistics.median(days) if days else None,
                max(days) if days else None,
            )
        )
    return rows


# --- risk acceptances -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Acceptance:
    id: str
    risk: str
    owner: str
    accepted_on: date
    expires_on: date | None

    def expired(self, today: date | None) -> bool:
        return self.expires_on is not None and today is not None and self.expires_on < today

    def age(self, today: date | None) -> int | None:
        return None if today is None else (today - self.accepted_on).days


def acceptances(raw: Any, path: str) -> tuple[list[Acceptance], list[Problem]]:
    if isinstance(raw, Mapping):
        raw = raw.get("acceptances", raw.get("risks"))
    if not isinstance(raw, list):
        return [], [Problem("expected a list of risk acceptances", path)]
    found: list[Acceptance] = []
    problems = []
    for index, entry in enumerate(raw):
        where = f"entry {index + 1}"
        try:
            if not isinstance(entry, Mapping):
                raise ConfigError(where, "expected a mapping")
            texts = {}
            for key in ("id", "risk", "owner"):
                value = entry.get(key)
                if not isinstance(value, str | int) or isinstance(value, bool) or value == "":
                    raise ConfigError(f"{where}.{key}", "is required")
                texts[key] = str(value)
            accepted = as_date(entry.get("accepted_on"), f"{where}.accepted_on")
            expires_raw = entry.get("expires_on")
            expires = None if expires_raw is None else as_date(expires_raw, f"{where}.expires_on")
        except ConfigError as exc:
            problems.append(Problem(f"{exc.key}: {exc.message}", path))
            continue
        found.append(Acceptance(texts["id"], texts["risk"], texts["owner"], accepted, expires))
    found.sort(key=lambda a: (a.accepted_on, a.id))
    return found, problems


@dataclass(frozen=True, slots=True)
class AcceptanceSummary:
    open: int
    expired: int
    average_age_days: float | None


def acceptance_summary(items: Sequence[Acceptance], today: date | None) -> AcceptanceSummary:
    current = [a for a in items if not a.expired(today)]
    ages = [age for a in current if (age := a.age(today)) is not None]
    return AcceptanceSummary(
        len(current),
        len(items) - len(current),
        round(sum(ages) / len(ages), 1) if ages else None,
    )


# --- dependency freshness -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Freshness:
    name: str
    version: str
    newest: str
    lag_days: int


def freshness(raw: Any, path: str) -> tuple[list[Freshness], list[Problem]]:
    """Components from a version index: ``{components: [{name, version, released, newest,
    newest_released}]}``. Lag is the newest version's release date minus the used one's."""
    entries = raw.get("components") if isinstance(raw, Mapping) else None
    if not isinstance(entries, list):
        return [], [Problem("expected {components: [...]}", path)]
    result = []
    problems = []
    for index, entry in enumerate(entries):
        where = f"components[{index}]"
        try:
            if not isinstance(entry, Mapping):
                raise ConfigError(where, "expected a mapping")
            values = [entry.get(k, "") for k in ("name", "version", "newest")]
            if not all(isinstance(v, str | int | float) for v in values):
                raise ConfigError(where, "name, version and newest must be text")
            name, version, newest = (str(v) for v in values)
            if not name or not version:
                raise ConfigError(where, "needs name and version")
            newest = newest or version
            lag = 0
            if newest != version:
                used = as_date(entry.get("released"), f"{where}.released")
                latest = as_date(entry.get("newest_released"), f"{where}.newest_released")
                lag = max(0, (latest - used).days)
        except ConfigError as exc:
            problems.append(Problem(f"{exc.key}: {exc.message}", path))
            continue
        result.append(Freshness(name, version, newest, lag))
    result.sort(key=lambda f: (f.name, f.version))
    return result, problems


def within(items: Sequence[Freshness], days: int) -> float | None:
    if not items:
        return None
    return round(100 * sum(1 for f in items if f.lag_days <= days) / len(items), 1)
