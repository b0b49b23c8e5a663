"""The "Security changelog" section of a release page, drawn from the model only."""

from __future__ import annotations

import re

from markupsafe import Markup

from secdocs.advisory_ids import advisory_url, link_advisories
from secdocs.kinds.changelog.model import ChangelogDetail, Entry
from secdocs.model import (
    Status,
)
from secdocs.render.html import badge, link, markdown_to_html
from secdocs.render.jinja import render


def _render_entry(entry: Entry) -> Markup:
    if entry.origin == "commit":
        parts = []
        last = 0
        for advisory in sorted(set(entry.ids)):
            for match in re.finditer(re.escape(advisory), entry.text):
                parts.append((match.start(), match.end(), advisory))
        parts.sort()
        segments: list[tuple[str, Markup | None]] = []
        for start, stop, advisory in parts:
            if start < last:
                continue
            segments.append((entry.text[last:start], link(advisory, advisory_url(advisory))))
            last = stop
        segments.append((entry.text[last:], None))
        return render("changelog/entry.html", segments=segments, commit=(entry.commit or "")[:12])
    return render(
        "changelog/entry.html",
        segments=None,
        body=markdown_to_html(link_advisories(entry.text)),
        cites=entry.origin == "advisory",
    )


def section(detail: ChangelogDetail) -> Markup:
    """The section's HTML: where the entries came from and each entry, ids linked."""
    return render(
        "changelog/section.html",
        detail=detail,
        entries=[_render_entry(entry) for entry in detail.entries],
        failed=badge(Status.FAILED),
        missing=badge(Status.MISSING),
    )
