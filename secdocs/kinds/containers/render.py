"""The "Container images" section of a release page, drawn from the model only.

Every string from evidence goes through :mod:`secdocs.render.html`'s escaping helpers.
"""

from __future__ import annotations

from secdocs.collectors import PageContext
from secdocs.kinds.containers.model import FAIL, PASS, ContainersDetail, severity_counts, short
from secdocs.render.html import badge, code, esc, html_block, table, text_block
from secdocs.sbom.model import SEVERITIES

_RESULT = {
    PASS: '<span class="secdocs-badge secdocs-verified">pass</span>',
    FAIL: '<span class="secdocs-badge secdocs-failed">fail</span>',
}
MAX_MISCONFIG_ROWS = 200


def _result(result: str) -> str:
    return _RESULT.get(result, '<span class="secdocs-badge secdocs-unverifiable">unknown</span>')


def _counts(counts: dict[str, int]) -> str:
    if not counts:
        return "0"
    return ", ".join(f"{esc(s)}: {counts[s]}" for s in SEVERITIES if counts.get(s))


def section(detail: ContainersDetail, page: PageContext) -> str:
    del page
    parts: list[str] = []
    if detail.images:
        rows = []
        for image in detail.images:
            names = ", ".join(code(n) for n in image.names)
            label = f"{code(image.label)}<br>{esc(image.source)}" + (
                f"<br>{names}" if names else ""
            )
            digest = code(image.digest) if image.digest else "—"
            what = esc(image.reason) if image.reason else ""
            rows.append([label, badge(image.status), digest, what])
        parts.append("<h3>Images</h3>")
        parts.append(table(["image", "status", "digest", "reason"], rows))
    if detail.signatures:
        rows = [
            [
                code(s.path),
                badge(s.status),
                "<br>".join(
                    [
                        esc(s.format),
                        (code(s.image) + " " if s.image else "")
                        + (code(short(s.digest)) if s.digest else "—"),
                        f"signer: {esc(s.identity or '—')}",
                    ]
                ),
                esc(s.reason or ""),
            ]
            for s in detail.signatures
        ]
        parts.append("<h3>Image signatures and attestations</h3>")
        parts.append(table(["file", "status", "signs", "reason"], rows))
    if detail.checks:
        rows = [
            [code(label), esc(c.name), _result(c.result), esc(c.reason)]
            for label, checks in detail.checks
            for c in checks
        ]
        parts.append("<h3>Hardened-image checks</h3>")
        parts.append(
            table(
                ["image", "check", "result", "why"], rows, css_class="secdocs-table secdocs-checks"
            )
        )
    if detail.scans:
        ties = {path: (label, warning) for path, label, warning in detail.ties}
        rows = []
        for scan in detail.scans:
            tied_to, warning = ties.get(scan.path, (None, None))
            tied = code(tied_to) if tied_to else esc(warning or "not tied to an image digest")
            rows.append(
                [
                    code(scan.path),
                    esc(scan.format),
                    esc(scan.artifact or "—"),
                    tied,
                    f"{len(scan.vulnerabilities)} ({_counts(scan.vulnerability_counts())})",
                    f"{len(scan.misconfigurations)} ({_counts(scan.misconfiguration_counts())})",
                ]
            )
        totals_v = severity_counts(v.severity for s in detail.scans for v in s.vulnerabilities)
        totals_m = severity_counts(m.severity for s in detail.scans for m in s.misconfigurations)
        parts.append("<h3>Image scans</h3>")
        parts.append(
            f"<p>Vulnerabilities: {_counts(totals_v)}. Misconfigurations: {_counts(totals_m)}. "
            "Vulnerabilities also appear, with VEX applied, in the release's vulnerability "
            "list.</p>"
        )
        parts.append(
            table(
                ["report", "format", "scanned", "image", "vulnerabilities", "misconfigurations"],
                rows,
            )
        )
        misconfs = [(scan.path, m) for scan in detail.scans for m in scan.misconfigurations]
        if misconfs:
            shown = misconfs[:MAX_MISCONFIG_ROWS]
            parts.append("<h3>Misconfigurations</h3>")
            parts.append(
                table(
                    ["severity", "id", "title", "target", "report"],
                    [
                        [
                            esc(m.severity),
                            code(m.id),
                            esc(m.title or m.message),
                            esc(m.target),
                            code(path),
                        ]
                        for path, m in shown
                    ],
                )
            )
            if len(misconfs) > len(shown):
                parts.append(f"<p>{len(misconfs) - len(shown)} more in evidence.json.</p>")
    if detail.commands:
        parts.append("<h3>Verify an image yourself</h3>")
        for label, cmds in detail.commands:
            parts.append(f"<p>{code(label)}</p>")
            parts.append(text_block("\n".join(cmds), "sh"))
    return html_block("\n".join(parts))
