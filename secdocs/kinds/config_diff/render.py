"""The "Configuration changes" section of a release page, drawn from the model only."""

from __future__ import annotations

from collections.abc import Iterable

from markupsafe import Markup

from secdocs.kinds.config_diff.differ import (
    Change,
)
from secdocs.kinds.config_diff.model import ConfigDiffDetail, FileDiff
from secdocs.model import Status
from secdocs.render.html import badge, code, esc
from secdocs.render.jinja import render

_STATE_TEXT = {
    "changed": "changed",
    "unchanged": "unchanged",
    "added": "added in this release",
    "removed": "removed in this release",
    "first": "first release: every value is listed as added",
    "unreadable": "could not be read",
}


def _render_file(diff: FileDiff) -> Markup:
    status = Status.FAILED if diff.state == "unreadable" else Status.PRESENT
    problems = [
        (p.severity, f"{p.path}:{p.line}" if p.line else p.path or "", p.message)
        for p in diff.problems
    ]
    deviations = [
        (
            render("config_diff/marks.html", mark="deviation"),
            esc(d.kind),
            esc(d.value),
            code(d.path),
            esc("yes" if d.inherited else "no — new in this release"),
        )
        for d in diff.deviations
    ]
    k8s_flags = [
        (
            render("config_diff/marks.html", mark="flag"),
            esc(f.title),
            code(f.where),
            code(f.value),
            esc("yes" if f.inherited else "no — new in this release"),
        )
        for f in diff.k8s
    ]
    k8s_resolved = [(esc(f.title), code(f.where), code(f.value)) for f in diff.k8s_resolved]
    return render(
        "config_diff/file.html",
        diff=diff,
        status_badge=badge(status),
        state=_STATE_TEXT[diff.state],
        problems=problems,
        errors=sum(p.severity == "error" for p in diff.problems),
        deviations=deviations,
        k8s_flags=k8s_flags,
        k8s_resolved=k8s_resolved,
        changes=_change_rows(diff.changes),
    )


def _change_rows(changes: Iterable[Change]) -> list[tuple[Markup, ...]]:
    rows: list[tuple[Markup, ...]] = []
    for c in changes:
        mark = render("config_diff/marks.html", mark="security" if c.security else "")
        old = code(c.old) if c.old is not None else esc("—")
        new = code(c.new) if c.new is not None else esc("—")
        rows.append(
            (code(c.path), esc(c.kind + (" (secret)" if c.redacted else "")), old, new, mark)
        )
    return rows


def section(detail: ConfigDiffDetail) -> Markup:
    """The section's HTML: each compared file with its changes, deviations and flags."""
    return render(
        "config_diff/section.html",
        detail=detail,
        missing=badge(Status.MISSING),
        files=[_render_file(diff) for diff in detail.files],
    )
