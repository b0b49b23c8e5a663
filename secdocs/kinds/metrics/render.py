"""The metrics page (coverage, time to fix, accepted risks and dependency freshness, each as a
chart followed by its data) and the practice coverage page, drawn from
:class:`~secdocs.kinds.metrics.model.MetricsData` and
:class:`~secdocs.kinds.metrics.practices.PracticesData` only."""

from __future__ import annotations

from collections.abc import Callable

from markupsafe import Markup

from secdocs.kinds.metrics import charts
from secdocs.kinds.metrics.compute import (
    Acceptance,
    CoverageRow,
    Freshness,
    Span,
    acceptance_summary,
    coverage_rows,
    fix_summary,
    spans,
    within,
)
from secdocs.kinds.metrics.model import CHART_DIR, METRICS, MetricsData
from secdocs.kinds.metrics.practices import (
    ACTIVITIES,
    PRACTICES,
    Cell,
    PracticesData,
    cell,
    is_sarif,
)
from secdocs.model import Kind
from secdocs.render.html import badge, esc, html_block, link, table, tone_badge, ui
from secdocs.render.jinja import render
from secdocs.render.pages import published_name, release_dir, release_page_path
from secdocs.render.urls import relative_url

_UNKNOWN = (
    "Unknown: no version index file was found{where}. secdocs does not guess how current "
    "the dependencies are.\n"
)


def _days(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:g} days"


class Dashboard:
    """Draws the metrics page; the SVG charts it draws are collected in :attr:`charts`."""

    def __init__(self, data: MetricsData, directory_urls: bool) -> None:
        self.data = data
        self.reports = data.reports
        self.today = data.today
        self.directory_urls = directory_urls
        self.charts: dict[str, bytes] = {}

    def to(self, target: str) -> str:
        return relative_url(METRICS, target, self.directory_urls)

    def chart(self, name: str, svg: bytes, alt: str) -> Markup:
        path = f"{CHART_DIR}/{name}.svg"
        self.charts[path] = svg
        return _ui("figure", self.to(path), alt)

    def page(self) -> str:
        out = [
            "# Metrics\n",
            "The figures to review every month, computed when the site was built"
            + (f" (as of {esc(self.today.isoformat())})" if self.today else "")
            + ". Each chart is followed by its data.\n",
        ]
        out += self.coverage_section()
        out += self.fix_section()
        out += self.risk_section()
        out += self.freshness_section()
        return "\n".join(out)

    # -- sections -------------------------------------------------------------------------

    def coverage_section(self) -> list[str]:
        rows = coverage_rows(self.reports)
        out = ["## Release evidence coverage\n"]
        if not rows:
            return [*out, "No release tags were found.\n"]
        last = rows[-1]
        out.append(
            html_block(
                _ui("coverage_intro", last)
                + self.chart(
                    "coverage",
                    charts.line(
                        "secdocs-coverage",
                        "Share of releases with evidence (%)",
                        [r.tag for r in rows],
                        [
                            ("SBOM + signature", [r.share_basic for r in rows]),
                            ("+ provenance", [r.share_full for r in rows]),
                        ],
                        100,
                    ),
                    "Line chart of the running share of releases with SBOM and signature, "
                    "and with provenance too; the table below has the same data.",
                )
                + table(
                    (
                        "Release",
                        "Date",
                        "SBOM",
                        "Signature",
                        "Provenance",
                        "Share so far",
                        "With provenance",
                    ),
                    [self._coverage_cells(r) for r in reversed(rows)],
                )
            )
        )
        return out

    def _coverage_cells(self, row: CoverageRow) -> tuple[Markup, ...]:
        def mark(ok: bool) -> str:
            return "yes" if ok else "no"

        return (
            link(row.tag, self.to(release_page_path(row.tag))),
            esc(row.day.isoformat()),
            esc(mark(row.sbom)),
            esc(mark(row.signature)),
            esc(mark(row.provenance)),
            esc(f"{row.share_basic}%"),
            esc(f"{row.share_full}%"),
        )

    def fix_section(self) -> list[str]:
        found = spans(self.reports, self.data.advisories)
        out = ["## Time to fix critical and high vulnerabilities\n"]
        if not found:
            return [
                *out,
                "No critical or high vulnerability appears in the releases' SBOM or scan data "
                "or in the advisories.\n",
            ]
        summary = fix_summary(found, self.today)
        fixed = [s for s in found if s.fixed_on is not None]
        chart = esc("")
        if fixed:
            chart = self.chart(
                "time-to-fix",
                charts.bars(
                    "secdocs-time-to-fix",
                    "Days from first release showing it to the fixing release",
                    [s.id for s in fixed],
                    [("days", [s.days(None) for s in fixed])],
                ),
                "Bar chart of the days each fixed vulnerability stayed open; the table below "
                "has the same data.",
            )
        out.append(
            html_block(
                table(
                    ("Severity", "Fixed", "Still open", "Median", "Worst"),
                    [
                        (
                            esc(s.severity),
                            esc(s.fixed),
                            esc(s.open),
                            esc(_days(s.median_days)),
                            esc(_days(s.worst_days)),
                        )
                        for s in summary
                    ],
                )
                + chart
                + table(
                    ("Vulnerability", "Severity", "First shown in", "Fixed in", "Days", "Source"),
                    [self._span_cells(s) for s in found],
                )
            )
        )
        return out

    def _span_cells(self, span: Span) -> tuple[Markup, ...]:
        found = (
            link(span.found_in, self.to(release_page_path(span.found_in)))
            if any(r.release.tag == span.found_in for r in self.reports)
            else esc(span.found_in)
        )
        if span.fixed_in:
            fixed = link(span.fixed_in, self.to(release_page_path(span.fixed_in)))
            days = esc(span.days(None))
        else:
            fixed = tone_badge("failed", "open")
            age = span.days(self.today)
            days = esc(f"{age} so far" if age is not None else "—")
        return (esc(span.id), esc(span.severity), found, fixed, days, esc(span.source))

    def risk_section(self) -> list[str]:
        out = ["## Open risk acceptances\n"]
        path, items = self.data.risks.path, self.data.risks.items
        if items is None:
            return [*out, f"No risk register ({esc(path)}) was found: unknown.\n"]
        summary = acceptance_summary(items, self.today)
        text = _ui("risk_intro", summary, _days(summary.average_age_days))
        if not items:
            return [*out, html_block(text)]
        chart = self.chart(
            "risk-acceptances",
            charts.bars(
                "secdocs-risk-acceptances",
                "Age of each risk acceptance (days)",
                [a.id for a in items],
                [("age", [a.age(self.today) for a in items])],
            ),
            "Bar chart of the age of each risk acceptance; the table below has the same data.",
        )
        rows = [self._acceptance_cells(a) for a in items]
        headers = ("ID", "Risk", "Owner", "Accepted on", "Expires on", "Age", "State")
        out.append(html_block(text + chart + table(headers, rows)))
        return out

    def _acceptance_cells(self, a: Acceptance) -> tuple[Markup, ...]:
        state = (
            tone_badge("failed", "expired")
            if a.expired(self.today)
            else tone_badge("present", "open")
        )
        age = a.age(self.today)
        return (
            esc(a.id),
            esc(a.risk),
            esc(a.owner),
            esc(a.accepted_on.isoformat()),
            esc(a.expires_on.isoformat() if a.expires_on else "—"),
            esc(_days(age)),
            state,
        )

    def freshness_section(self) -> list[str]:
        out = ["## Dependency freshness\n"]
        path, items = self.data.versions.path, self.data.versions.items
        if not path:
            return [*out, _UNKNOWN.format(where=" (set security.version_index)")]
        if items is None:
            return [*out, _UNKNOWN.format(where=f" at {esc(path)}")]
        if not items:
            return [*out, "Unknown: the version index lists no components.\n"]
        share30, share90 = within(items, 30), within(items, 90)
        buckets = [
            sum(1 for f in items if f.lag_days <= 30),
            sum(1 for f in items if 30 < f.lag_days <= 90),
            sum(1 for f in items if f.lag_days > 90),
        ]
        chart = self.chart(
            "freshness",
            charts.bars(
                "secdocs-freshness",
                "Components by lag behind their newest version",
                ["≤ 30 days", "31-90 days", "> 90 days"],
                [("components", buckets)],
            ),
            "Bar chart of components by lag; the table below has the same data.",
        )
        rows = [self._fresh_cells(f) for f in items]
        out.append(
            html_block(
                _ui("freshness_intro", share30, len(items), share90)
                + chart
                + table(("Component", "Version", "Newest", "Lag"), rows)
            )
        )
        return out

    @staticmethod
    def _fresh_cells(f: Freshness) -> tuple[Markup, ...]:
        return (esc(f.name), esc(f.version), esc(f.newest), esc(_days(f.lag_days)))


def _ui(name: str, /, *args: object) -> Markup:
    """Call a macro of ``metrics/macros.html``."""
    return ui(name, *args, source="metrics/macros.html")


def practices_page(data: PracticesData, directory_urls: bool) -> str:
    """The matrix, newest release first, and the list of recognised tool reports."""
    reports, disclosure = data.reports, data.disclosure

    def to(target: str) -> str:
        return relative_url(PRACTICES, target, directory_urls)

    out = [
        "# Practice coverage\n",
        "The activities of a secure development process against the releases. Each cell links "
        "the evidence files that back it; — means absent.\n",
    ]
    if not reports:
        out.append("No release tags were found.\n")
        return "\n".join(out)
    rows = []
    for report in reports:
        tag = report.release.tag
        cells = [link(tag, to(release_page_path(tag)))]
        for activity in ACTIVITIES:
            if activity.key == "disclosure":
                c = disclosure.get(tag, Cell(None, ()))
            else:
                c = cell(report, activity)
            cells.append(_cell_html(c, activity.title, tag, to))
        rows.append(cells)
    headers = ["Release", *[a.title for a in ACTIVITIES]]
    out.append(html_block(table(headers, rows, css_class="secdocs-table secdocs-practices")))
    counts = [
        (
            esc(a.title),
            esc(
                sum(
                    1
                    for r in reports
                    if (
                        disclosure.get(r.release.tag, Cell(None, ()))
                        if a.key == "disclosure"
                        else cell(r, a)
                    ).status
                    is not None
                )
            ),
            esc(len(reports)),
        )
        for a in ACTIVITIES
    ]
    out.append("## Coverage per activity\n")
    out.append(html_block(table(("Activity", "Releases with evidence", "Releases"), counts)))
    listed = []
    recognisers = [a for a in ACTIVITIES if a.match is not None]
    for report in reports:
        tag = report.release.tag
        for file in report.files:
            kinds = [a.title for a in recognisers if a.match and a.match(file)]
            if kinds or file.role in (Kind.REPORT, Kind.SCAN, Kind.VEX):
                url = to(f"{release_dir(tag)}files/{published_name(file.name)}")
                details = data.sarif.get((tag, file.name), "") if is_sarif(file) else ""
                listed.append(
                    (
                        link(tag, to(release_page_path(tag))),
                        link(file.name, url),
                        esc(file.role),
                        esc(", ".join(kinds) or "unrecognised report"),
                        esc(details),
                    )
                )
    out.append("## Tool reports in the evidence folders\n")
    if listed:
        out.append(
            html_block(table(("Release", "File", "Kind", "Recognised as", "Details"), listed))
        )
    else:
        out.append("No tool reports (SARIF, scans, pen-test, fuzzing, test results) were found.\n")
    return "\n".join(out)


def _cell_html(c: Cell, activity: str, tag: str, to: Callable[[str], str]) -> Markup:
    """A status icon linked to the first backing file; the others are one link further."""
    if c.status is None:
        return render("practices/cell.html", badge=None)
    urls = [to(f"{release_dir(tag)}files/{published_name(name)}") for name in c.files]
    release_url = to(release_page_path(tag))
    names = [*c.files, *c.others]
    return render(
        "practices/cell.html",
        badge=badge(c.status, compact=True),
        activity=activity,
        tag=tag,
        first_url=urls[0] if urls else release_url,
        release_url=release_url,
        names=names,
        more=max(len(names) - 1, 0),
    )
