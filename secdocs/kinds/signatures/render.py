"""The "Signatures" section of a release page, drawn from the model only."""

from __future__ import annotations

from markupsafe import Markup

from secdocs.collectors import PageContext
from secdocs.kinds.signatures.model import SignaturesDetail
from secdocs.render.html import badge, esc, link, with_note
from secdocs.render.jinja import render

REKOR_SEARCH = "https://search.sigstore.dev/?logIndex="


def rekor_link(index: int | None) -> Markup:
    if index is None:
        return esc("")
    return link(str(index), f"{REKOR_SEARCH}{index}")


def render_entries(detail: SignaturesDetail, page: PageContext) -> Markup:
    rows = []
    for e in detail.entries:
        rows.append(
            [
                link(e.artifact or "", page.file_url(e.artifact)) if e.artifact else esc(""),
                link(e.path, page.file_url(e.path)) if e.format != "none" else esc(""),
                esc(e.format),
                badge(e.status),
                with_note(e.identity or "", e.issuer or "", "issuer"),
                with_note(rekor_link(e.log_index), e.time or ""),
                esc(e.reason or ""),
            ]
        )
    return render(
        "signatures/section.html",
        rows=rows,
        checksum_commands="\n".join(detail.checksum_commands),
        blocks=[
            (e.artifact or e.path, "\n".join(e.commands)) for e in detail.entries if e.commands
        ],
    )
