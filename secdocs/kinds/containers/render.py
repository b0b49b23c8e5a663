"""The "Container images" section of a release page, drawn from the model only.

The HTML is in ``templates/containers/section.html``; every string from evidence is escaped
there (autoescaping), so nothing here builds markup.
"""

from __future__ import annotations

from markupsafe import Markup

from secdocs.collectors import PageContext
from secdocs.kinds.containers.model import FAIL, PASS, ContainersDetail, severity_counts, short
from secdocs.render.html import badge, code, esc, html_block, tone_badge, ui
from secdocs.sbom.model import SEVERITIES

#: a hardened-image check's result as a badge: its tone and its word
_RESULT = {PASS: ("verified", "pass"), FAIL: ("failed", "fail")}
MAX_MISCONFIG_ROWS = 200
_TEMPLATE = "containers/section.html"


def _ui(name: str, /, *args: object) -> Markup:
    return ui(name, *args, source=_TEMPLATE)


def _result(result: str) -> Markup:
    return tone_badge(*_RESULT.get(result, ("unverifiable", "unknown")))


def _pairs(counts: dict[str, int]) -> list[tuple[str, int]]:
    """Counts per severity, most severe first, severities without any left out."""
    return [(s, counts[s]) for s in SEVERITIES if counts.get(s)]


def section(detail: ContainersDetail, page: PageContext) -> Markup:
    del page
    images = [
        [
            _ui("image_label", image.label, esc(image.source), list(image.names)),
            badge(image.status),
            ui("short_digest", image.digest) if image.digest else esc("—"),
            esc(image.reason) if image.reason else esc(""),
        ]
        for image in detail.images
    ]
    signatures = [
        [
            code(s.path),
            badge(s.status),
            _ui(
                "signs",
                esc(s.format),
                s.image,
                short(s.digest) if s.digest else "",
                esc(s.identity or "—"),
            ),
            esc(s.reason or ""),
        ]
        for s in detail.signatures
    ]
    checks = [
        [code(label), esc(c.name), _result(c.result), esc(c.reason)]
        for label, image_checks in detail.checks
        for c in image_checks
    ]
    ties = {path: (label, warning) for path, label, warning in detail.ties}
    scans = []
    for scan in detail.scans:
        tied_to, warning = ties.get(scan.path, (None, None))
        scans.append(
            [
                code(scan.path),
                esc(scan.format),
                esc(scan.artifact or "—"),
                code(tied_to) if tied_to else esc(warning or "not tied to an image digest"),
                _ui(
                    "scan_count",
                    len(scan.vulnerabilities),
                    _pairs(scan.vulnerability_counts()),
                ),
                _ui(
                    "scan_count",
                    len(scan.misconfigurations),
                    _pairs(scan.misconfiguration_counts()),
                ),
            ]
        )
    totals_v = severity_counts(v.severity for s in detail.scans for v in s.vulnerabilities)
    totals_m = severity_counts(m.severity for s in detail.scans for m in s.misconfigurations)
    found = [(scan.path, m) for scan in detail.scans for m in scan.misconfigurations]
    shown = found[:MAX_MISCONFIG_ROWS]
    misconfs = [
        [esc(m.severity), code(m.id), esc(m.title or m.message), esc(m.target), code(path)]
        for path, m in shown
    ]
    commands = [(label, "\n".join(cmds)) for label, cmds in detail.commands]
    body = _ui(
        "section",
        images,
        signatures,
        checks,
        scans,
        _pairs(totals_v),
        _pairs(totals_m),
        misconfs,
        len(found) - len(shown),
        commands,
    )
    return html_block(body.strip("\n"))
