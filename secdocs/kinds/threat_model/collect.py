"""The ``threat-model`` collector: the threat-model delta of each release and the risk register.

The delta is read from the release's own tree through git, never from the working tree.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable, Sequence

from secdocs.collectors import Collector, Coverage, PageContext, ReleaseContext
from secdocs.errors import SecdocsError
from secdocs.kinds.threat_model.delta import Delta, Risk, parse_delta
from secdocs.kinds.threat_model.model import RegisterEntry, ThreatModelDetail
from secdocs.kinds.threat_model.options import ThreatModelOptions
from secdocs.kinds.threat_model.render import render_register, section
from secdocs.model import (
    EvidenceItem,
    Findings,
    JSONValue,
    Kind,
    Page,
    Problem,
    ReleaseReport,
    Section,
    Status,
)
from secdocs.release_files import expand
from secdocs.render.html import html_block

KEY = "threat_model"
DEFAULT_PATH = "docs/threat-model/deltas/{version}.md"
REGISTER_PAGE = "risk-register.md"
CLOSED = frozenset({"mitigated"})


class ThreatModelCollector(Collector):
    name = "threat-model"
    order = 60
    options_class = ThreatModelOptions
    coverage = Coverage(Kind.THREAT_MODEL, "Threat model", position=50)
    reads_tag_tree = True

    def collect(self, ctx: ReleaseContext) -> Findings:
        options = ctx.config.options.threat_model
        paths: list[str] = []
        expected = []
        unreadable: list[tuple[str, str]] = []
        if options.delta_folder is not None:
            expected.append(f"a new .md file under {options.delta_folder}/")
            previous = ctx.previous.commit if ctx.previous else None
            try:
                added = ctx.repo.added_files(previous, ctx.release.commit, options.delta_folder)
            except SecdocsError as exc:
                added = []
                unreadable.append((f"{options.delta_folder}/", str(exc)))
            paths += [p for p in added if fnmatch.fnmatch(p.lower(), "*.md")]
        if options.delta_path is not None:
            path = expand(options.delta_path, ctx.release)
            expected.append(path)
            paths.append(path)

        deltas: list[Delta] = []
        for path in sorted(set(paths)):
            try:
                data = ctx.read_at_tag(path)
            except SecdocsError as exc:
                unreadable.append((path, str(exc)))
                continue
            if data is None:
                continue
            deltas.append(parse_delta(data, path))
        detail = ThreatModelDetail(tuple(deltas), " or ".join(expected), tuple(unreadable))
        return Findings(
            collector=self.name,
            items=tuple(self._items(ctx, detail)),
            problems=tuple(p for d in deltas for p in d.problems)
            + tuple(Problem(msg, path=p) for p, msg in unreadable),
            data=_data(detail),
            detail=detail,
        )

    def _items(self, ctx: ReleaseContext, detail: ThreatModelDetail) -> Iterable[EvidenceItem]:
        for path, message in detail.unreadable:
            yield EvidenceItem(
                Kind.THREAT_MODEL,
                path,
                Status.FAILED,
                f"cannot read the delta: {message}",
                self.name,
            )
        for delta in detail.deltas:
            yield _item(delta, self.name)
        if not detail.deltas and not detail.unreadable:
            yield EvidenceItem(
                Kind.THREAT_MODEL,
                None,
                Status.MISSING,
                f"no threat-model delta at {ctx.release.tag}: expected {detail.expected}",
                self.name,
            )

    def render(self, findings: Findings, page: PageContext) -> Sequence[Section]:
        detail = findings.detail
        if not isinstance(detail, ThreatModelDetail):
            return ()
        body = section(detail, page.page_url(REGISTER_PAGE))
        return (Section("threat-model", "Threat-model delta", html_block(body), 60),)

    def site_pages(self, reports: Sequence[ReleaseReport]) -> Iterable[Page]:
        entries = risk_register(reports)
        return (Page(REGISTER_PAGE, "Risk register", render_register(entries), nav=True),)


def _item(delta: Delta, collector: str) -> EvidenceItem:
    errors = [p for p in delta.problems if p.severity == "error"]
    details: dict[str, JSONValue] = {
        "risks": len(delta.risks),
        "nothing_changes": delta.nothing_changes,
        "errors": len(errors),
    }
    if errors:
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        return EvidenceItem(
            Kind.THREAT_MODEL,
            delta.path,
            Status.FAILED,
            f"invalid threat-model delta: {errors[0]}{more}",
            collector,
            None,
            details,
        )
    return EvidenceItem(
        Kind.THREAT_MODEL, delta.path, Status.PRESENT, None, collector, None, details
    )


def _data(detail: ThreatModelDetail) -> dict[str, JSONValue]:
    deltas: list[JSONValue] = []
    for delta in detail.deltas:
        deltas.append(
            {
                "path": delta.path,
                "valid": delta.valid,
                "title": delta.title,
                "nothing_changes": delta.nothing_changes,
                "risks": [_risk_json(r) for r in delta.risks],
                "problems": [
                    {"line": p.line, "severity": p.severity, "message": p.message}
                    for p in delta.problems
                ],
            }
        )
    return {
        "expected": detail.expected,
        "deltas": deltas,
        "risks": sum(len(d.risks) for d in detail.deltas if d.valid),
    }


def _risk_json(risk: Risk) -> dict[str, JSONValue]:
    return {
        "id": risk.id,
        "title": risk.title,
        "mitigation": risk.mitigation,
        "status": risk.status,
        "owner": risk.owner,
        "line": risk.line,
    }


# --- risk register --------------------------------------------------------------------------


def risk_register(reports: Sequence[ReleaseReport]) -> list[RegisterEntry]:
    """Every risk named in a valid delta, followed from release to release (oldest first).

    ``reports`` may come in any order; they are sorted by release date, then tag. A risk is
    identified by its id (case-insensitively); its latest mention sets its status.
    """
    ordered = sorted(reports, key=lambda r: (r.release.date, r.release.tag))
    entries: dict[str, RegisterEntry] = {}
    for report in ordered:
        findings = report.findings_of(ThreatModelCollector.name)
        detail = findings.detail if findings is not None else None
        if not isinstance(detail, ThreatModelDetail):
            continue
        tag = report.release.tag
        for delta in detail.deltas:
            if not delta.valid:
                continue
            for risk in delta.risks:
                key = risk.id.casefold()
                old = entries.get(key)
                mitigated_in = old.mitigated_in if old else None
                mitigated_in = (mitigated_in or tag) if risk.status in CLOSED else None
                entries[key] = RegisterEntry(
                    id=old.id if old else risk.id,
                    title=risk.title,
                    mitigation=risk.mitigation,
                    owner=risk.owner,
                    status=risk.status,
                    introduced_in=old.introduced_in if old else tag,
                    mitigated_in=mitigated_in,
                    last_seen=tag,
                )
    return sorted(entries.values(), key=lambda e: (not e.still_open, e.id.casefold()))
