"""The "Threat-model delta" section of a release page and the risk register page, drawn from the
model only."""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup

from secdocs.kinds.threat_model.delta import SECTION_TITLES, Delta
from secdocs.kinds.threat_model.model import RegisterEntry, ThreatModelDetail
from secdocs.model import (
    Status,
)
from secdocs.render.html import badge, code, esc, link, markdown_to_html
from secdocs.render.jinja import render


def _render_delta(delta: Delta) -> Markup:
    status = Status.PRESENT if delta.valid else Status.FAILED
    problems = [
        (esc(p.severity), esc(f"{p.path}:{p.line}" if p.line else p.path or ""), esc(p.message))
        for p in delta.problems
    ]
    sections = []
    for key in ("changes", "data", "boundaries"):
        text = delta.section(key)
        if text and not (delta.nothing_changes and key == "changes"):
            sections.append((SECTION_TITLES[key], markdown_to_html(text)))
    risks = [
        (code(r.id), esc(r.title), esc(r.mitigation), esc(r.status), esc(r.owner or ""))
        for r in delta.risks
    ]
    risks_text = delta.section("risks")
    return render(
        "threat_model/delta.html",
        delta=delta,
        status_badge=badge(status),
        problems=problems,
        errors=sum(p.severity == "error" for p in delta.problems),
        sections=sections,
        risks=risks,
        risks_html=markdown_to_html(risks_text) if risks_text and not risks else None,
    )


def render_register(entries: Sequence[RegisterEntry]) -> str:
    out = [
        "# Risk register\n",
        "Every risk named in a release's threat-model delta, with the release that introduced "
        "it, the release that mitigated it and its latest status. Invalid deltas are not "
        "counted; their release pages say why.\n",
    ]
    if not entries:
        out.append("No threat-model delta has named a risk yet.\n")
        return "\n".join(out)
    open_count = sum(1 for e in entries if e.still_open)
    out.append(f"{open_count} of {len(entries)} risks are still open.\n")
    out.append(
        "| ID | Risk | Mitigation | Owner | Introduced in | Mitigated in | Status | Still open |"
    )
    out.append("|---|---|---|---|---|---|---|---|")
    for e in entries:
        out.append(
            f"| {esc(e.id)} | {esc(e.title)} | {esc(e.mitigation)} | {esc(e.owner or '')} "
            f"| {_release_link(e.introduced_in)} "
            f"| {_release_link(e.mitigated_in) if e.mitigated_in else '—'} "
            f"| {esc(e.status)} | {'yes' if e.still_open else 'no'} |"
        )
    return "\n".join(out) + "\n"


def _release_link(tag: str) -> str:
    # Markdown link to the release page: MkDocs resolves it for either URL style. Tags are safe
    # path segments (discovery refuses others); the label is escaped all the same.
    return f"[{esc(tag)}](releases/{tag}/index.md)"


def section(detail: ThreatModelDetail, register_url: str) -> Markup:
    """The section's HTML: each delta of the release, or why there is none."""
    return render(
        "threat_model/section.html",
        deltas=[_render_delta(delta) for delta in detail.deltas],
        expected=detail.expected,
        unreadable=detail.unreadable,
        missing=badge(Status.MISSING),
        failed=badge(Status.FAILED),
        register_link=link("risk register", register_url),
    )
