"""The "Provenance" section of a release page, drawn from the model only."""

from __future__ import annotations

from markupsafe import Markup

from secdocs.collectors import PageContext
from secdocs.kinds.provenance.model import (
    ProvenanceDetail,
)
from secdocs.kinds.signatures.render import rekor_link
from secdocs.render.html import badge, code, esc, link, with_note
from secdocs.render.jinja import render


def render_attestations(detail: ProvenanceDetail, page: PageContext) -> Markup:
    parts = []
    for a in detail.attestations:
        s = a.summary
        title = a.path
        if a.line is not None:
            title = f"{a.path} (line {a.line})"
        elif a.entry is not None:
            title = f"{a.path} (attestation {a.entry})"
        what = "npm publish attestation" if a.publish is not None else "Provenance"
        rows = [
            [esc("File"), link(title, page.file_url(a.path))],
            [esc("Status"), badge(a.status) + " " + esc(a.reason or "")],
            [esc("What it is"), esc(what)],
            [esc("Format"), esc(a.format)],
            [esc("Predicate"), esc(a.predicate_type or "")],
        ]
        if a.publish is not None:
            package = str(a.publish.package) if a.publish.package else "(no package named)"
            registry = a.publish.registry or "(no registry named)"
            rows.append([esc("Published"), code(package) + " by the registry " + esc(registry)])
        if a.signer:
            rows.append([esc("Signer"), with_note(a.signer, a.issuer, "issuer", True)])
        if a.log_index is not None:
            rows.append([esc("Rekor entry"), rekor_link(a.log_index)])
        if s is not None:
            source = esc(s.source_uri or "?") + " @ " + code(s.source_commit or "?")
            rows += [
                [esc("Builder"), esc(s.builder or "")],
                [esc("Source"), with_note(source, s.source_ref or "")],
                [esc("Build type"), esc(s.build_type or "")],
                [esc("Trigger"), esc(s.trigger or "")],
            ]
        rows.append([esc("Subjects"), esc(", ".join(a.subjects))])
        parts.append(
            {
                "title": title,
                "rows": rows,
                "checks": [[esc(c.name), esc(c.result), esc(c.detail)] for c in a.checks],
                "commands": "\n".join(a.commands),
            }
        )
    return render("provenance/section.html", attestations=parts)
