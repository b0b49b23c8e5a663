"""The "Tag signature" section of a release page, drawn from the model only."""

from __future__ import annotations

from markupsafe import Markup

from secdocs.kinds.tag_signatures.model import TagSignature
from secdocs.render.html import badge, esc, with_note
from secdocs.render.jinja import render


def section(result: TagSignature) -> Markup:
    """The tag, its signature's status and format, the signer and the commands to check it."""
    row = [
        esc(result.tag),
        badge(result.status),
        esc(result.format or ""),
        with_note(result.signer or "", result.key or ""),
        esc(result.reason or ""),
    ]
    return render("signatures/tag.html", rows=[row], lines="\n".join(result.commands))
