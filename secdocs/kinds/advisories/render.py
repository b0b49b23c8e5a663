"""The advisories page and each release page's advisories section, drawn from the model only."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date
from typing import TYPE_CHECKING

from markupsafe import Markup

from secdocs.kinds.advisories.model import ADVISORIES, Advisory, affected_releases
from secdocs.model import Release
from secdocs.render.html import code, esc, link, markdown_to_html, tone_badge
from secdocs.render.jinja import render
from secdocs.render.pages import release_page_path
from secdocs.render.urls import relative_url

if TYPE_CHECKING:
    pass


def anchor(advisory: Advisory) -> str:
    return "adv-" + (re.sub(r"[^A-Za-z0-9]+", "-", advisory.id).strip("-").lower() or "x")


def release_section(
    advisories: Sequence[Advisory], release: Release, here: str, directory_urls: bool
) -> str:
    affected = [a for a in advisories if a.affects(release)]
    fixed = [a for a in advisories if a.fixed_in == release.tag]
    if not affected and not fixed:
        return ""
    url = relative_url(here, ADVISORIES, directory_urls)
    items = [("affected by", link(a.id, f"{url}#{anchor(a)}"), a) for a in affected]
    items += [("fixes", link(a.id, f"{url}#{anchor(a)}"), a) for a in fixed]
    return render("advisories/release.md", list=render("advisories/release-list.html", items=items))


def page(
    advisories: Sequence[Advisory],
    releases: Sequence[Release],
    today: date | None,
    directory_urls: bool,
) -> str:
    def to(tag: str) -> str:
        return relative_url(ADVISORIES, release_page_path(tag), directory_urls)

    known = {r.tag for r in releases}
    overdue = [(a, f) for a in advisories for f in a.follow_ups if f.overdue(today)]
    rows = [
        (
            link(a.id, f"#{anchor(a)}"),
            esc(f.action),
            esc(f.owner),
            esc(f.due.isoformat() if f.due else ""),
        )
        for a, f in overdue
    ]
    listing: list[tuple[Markup, ...]] = []
    for a in advisories:
        affected = affected_releases(a, releases)
        listing.append(
            (
                link(a.id, f"#{anchor(a)}"),
                esc(a.kind),
                esc(a.severity),
                esc(a.title),
                esc(", ").join(link(r.tag, to(r.tag)) for r in affected)
                or esc("none released" if a.affected_spec or a.affected_tags else "—"),
                _fixed(a, known, to),
                esc(a.published.isoformat() if a.published else ""),
            )
        )
    return render(
        "advisories/page.md",
        listing=listing,
        overdue=bool(overdue),
        overdue_html=render(
            "advisories/overdue.html", rows=rows, today=today.isoformat() if today else None
        ),
        details=[(_detail(a, today, known, to), markdown_to_html(a.body)) for a in advisories],
    )


def _fixed(a: Advisory, known: set[str], to: Callable[[str], str]) -> Markup:
    if a.fixed_in is None:
        return esc("not fixed yet")
    if a.fixed_in in known:
        return link(a.fixed_in, to(a.fixed_in))
    return esc(f"{a.fixed_in} (no such release)")


def _detail(
    a: Advisory,
    today: date | None,
    known: set[str],
    to: Callable[[str], str],
) -> Markup:
    rows = [
        ("Severity", esc(a.severity)),
        ("Affected", esc(a.affected_spec or ", ".join(a.affected_tags) or "—")),
        ("Fixed in", _fixed(a, known, to)),
        ("Aliases", esc(", ".join(a.aliases) or "—")),
        ("Reported", esc(a.reported.isoformat() if a.reported else "—")),
        ("Published", esc(a.published.isoformat() if a.published else "—")),
        ("Source", code(a.path)),
    ]
    follow_ups = [
        (
            esc(f.action),
            esc(f.owner),
            esc(f.due.isoformat() if f.due else "—"),
            tone_badge("verified", "done")
            if f.done
            else tone_badge("failed", "overdue")
            if f.overdue(today)
            else tone_badge("present", "open"),
        )
        for f in a.follow_ups
    ]
    return render("advisories/detail.html", a=a, anchor=anchor(a), rows=rows, follow_ups=follow_ups)
