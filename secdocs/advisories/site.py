"""The Advisories page, cross-linked both ways with the affected and fixing releases."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date
from typing import TYPE_CHECKING

from secdocs.advisories.model import Advisory, affected_releases, load_folder
from secdocs.collectors import Collector
from secdocs.config import Config
from secdocs.model import Page, Release, ReleaseReport
from secdocs.policy.settings import build_date, load
from secdocs.render.html import esc, html_block, link, markdown_to_html, table
from secdocs.render.pages import release_page_path
from secdocs.render.urls import relative_url

if TYPE_CHECKING:
    from secdocs.site import SiteContent

ADVISORIES = "security/advisories.md"


def anchor(advisory: Advisory) -> str:
    return "adv-" + (re.sub(r"[^A-Za-z0-9]+", "-", advisory.id).strip("-").lower() or "x")


def contribute(
    config: Config, reports: Sequence[ReleaseReport], site: SiteContent, directory_urls: bool
) -> None:
    policy = load(config)
    if policy is None or policy.advisories is None:
        return
    advisories, problems = load_folder(config.repo, policy.advisories)
    site.problems.extend(problems)
    releases = [r.release for r in reports]
    built = build_date([r.date for r in releases])
    today = built.date() if built else None
    site.add_page(
        Page(ADVISORIES, "Advisories", page(advisories, releases, today, directory_urls), nav=True)
    )
    for release in releases:
        path = release_page_path(release.tag)
        if path in site.pages:
            section = release_section(advisories, release, path, directory_urls)
            if section:
                site.pages[path] += section


def release_section(
    advisories: Sequence[Advisory], release: Release, here: str, directory_urls: bool
) -> str:
    affected = [a for a in advisories if a.affects(release)]
    fixed = [a for a in advisories if a.fixed_in == release.tag]
    if not affected and not fixed:
        return ""
    url = relative_url(here, ADVISORIES, directory_urls)
    items = [
        f"<li>affected by {link(a.id, f'{url}#{anchor(a)}')} ({esc(a.severity)}): {esc(a.title)}"
        "</li>"
        for a in affected
    ]
    items += [
        f"<li>fixes {link(a.id, f'{url}#{anchor(a)}')} ({esc(a.severity)}): {esc(a.title)}</li>"
        for a in fixed
    ]
    return "\n## Security advisories\n" + html_block("<ul>" + "\n".join(items) + "</ul>")


def page(
    advisories: Sequence[Advisory],
    releases: Sequence[Release],
    today: date | None,
    directory_urls: bool,
) -> str:
    def to(tag: str) -> str:
        return relative_url(ADVISORIES, release_page_path(tag), directory_urls)

    known = {r.tag for r in releases}
    out = [
        "# Advisories\n",
        "Published security advisories and post-incident reviews, newest first, with the "
        "releases they affect and the release that fixes them.\n",
    ]
    if not advisories:
        out.append("No advisory has been published.\n")
        return "\n".join(out)
    overdue = [(a, f) for a in advisories for f in a.follow_ups if f.overdue(today)]
    if overdue:
        rows = [
            (
                link(a.id, f"#{anchor(a)}"),
                esc(f.action),
                esc(f.owner),
                esc(f.due.isoformat() if f.due else ""),
            )
            for a, f in overdue
        ]
        out.append("## Overdue follow-ups\n")
        out.append(
            html_block(
                '<p><span class="secdocs-badge secdocs-failed">overdue</span> '
                f"{len(overdue)} follow-up(s) are past their due date"
                + (f" on {esc(today.isoformat())}" if today else "")
                + ".</p>"
                + table(("Advisory", "Action", "Owner", "Due"), rows)
            )
        )
    listing: list[tuple[str, ...]] = []
    for a in advisories:
        affected = affected_releases(a, releases)
        listing.append(
            (
                link(a.id, f"#{anchor(a)}"),
                esc(a.kind),
                esc(a.severity),
                esc(a.title),
                ", ".join(link(r.tag, to(r.tag)) for r in affected)
                or esc("none released" if a.affected_spec or a.affected_tags else "—"),
                _fixed(a, known, to),
                esc(a.published.isoformat() if a.published else ""),
            )
        )
    headers = ("ID", "Kind", "Severity", "Title", "Affected releases", "Fixed in", "Published")
    out.append(html_block(table(headers, listing)))
    for a in advisories:
        out.append(html_block(_detail(a, releases, today, known, to)))
        out.append(markdown_to_html(a.body))
    return "\n".join(out)


def _fixed(a: Advisory, known: set[str], to: Callable[[str], str]) -> str:
    if a.fixed_in is None:
        return esc("not fixed yet")
    if a.fixed_in in known:
        return link(a.fixed_in, to(a.fixed_in))
    return esc(f"{a.fixed_in} (no such release)")


def _detail(
    a: Advisory,
    releases: Sequence[Release],
    today: date | None,
    known: set[str],
    to: Callable[[str], str],
) -> str:
    rows = [
        ("Severity", esc(a.severity)),
        ("Affected", esc(a.affected_spec or ", ".join(a.affected_tags) or "—")),
        ("Fixed in", _fixed(a, known, to)),
        ("Aliases", esc(", ".join(a.aliases) or "—")),
        ("Reported", esc(a.reported.isoformat() if a.reported else "—")),
        ("Published", esc(a.published.isoformat() if a.published else "—")),
        ("Source", f"<code>{esc(a.path)}</code>"),
    ]
    head = "".join(f"<tr><th>{esc(k)}</th><td>{v}</td></tr>" for k, v in rows)
    html = (
        f'<h2 id="{esc(anchor(a))}">{esc(a.id)}: {esc(a.title)}</h2>'
        f'<table class="secdocs-summary"><tbody>{head}</tbody></table>'
    )
    if a.follow_ups:
        cells = [
            (
                esc(f.action),
                esc(f.owner),
                esc(f.due.isoformat() if f.due else "—"),
                '<span class="secdocs-badge secdocs-verified">done</span>'
                if f.done
                else '<span class="secdocs-badge secdocs-failed">overdue</span>'
                if f.overdue(today)
                else '<span class="secdocs-badge secdocs-present">open</span>',
            )
            for f in a.follow_ups
        ]
        html += "<h3>Follow-ups</h3>" + table(("Action", "Owner", "Due", "State"), cells)
    return html


class AdvisoryPages(Collector):
    """The advisories pages (from ``security.advisories``)."""

    name = "advisories"
    order = 210
    per_release = False

    def contribute(
        self, reports: Sequence[ReleaseReport], site: SiteContent, directory_urls: bool
    ) -> None:
        contribute(self.config, reports, site, directory_urls)
