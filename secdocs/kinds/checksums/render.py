"""The "Checksums" section of a release page, drawn from the kind's items only."""

from __future__ import annotations

from collections.abc import Mapping

from markupsafe import Markup

from secdocs.model import Findings, JSONValue
from secdocs.render.html import badge, code, esc
from secdocs.render.jinja import render


def section(findings: Findings) -> Markup:
    """The section's HTML: one row per checked artifact."""
    rows = [
        (
            badge(item.status),
            code(item.path),
            esc(_listed_in(item.details)),
            esc(item.reason or ""),
        )
        for item in findings.items
        if item.kind == "checksum"
    ]
    return render("checksums/section.html", rows=rows)


def _listed_in(details: Mapping[str, JSONValue]) -> str:
    sums = details.get("checksums", "")
    signature = details.get("checksums_signature")
    signed = f"signature {signature}, see Signatures" if signature else "not signed"
    return f"{sums} (written by {details.get('checksums_written_by')}; {signed})"
