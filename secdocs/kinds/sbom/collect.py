"""The ``sbom`` collector: SBOMs, VEX documents and scanner reports of a release.

Configuration (the ``sbom`` block of the plugin options)::

    sbom:
      validate: true            # schema-validate CycloneDX SBOMs (default: true, it is fast)
      licenses:
        allow: [MIT, Apache-2.0, BSD-3-Clause]
        deny: [AGPL-3.0-only]

Evidence statuses: a CycloneDX SBOM that passes schema validation is ``verified``; one that fails
(or cannot be read) is ``failed`` with the first errors; SPDX documents and SBOMs found inside
in-toto statements are ``present`` (nothing was checked); a release without any SBOM gets a
``missing`` item.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import msgspec

from secdocs.collectors import Collector, Coverage, FileNames, PageContext, ReleaseContext
from secdocs.errors import EvidenceError
from secdocs.kinds.sbom.diff import diff_components, diff_data, diff_vulnerabilities
from secdocs.kinds.sbom.export import SbomExport, VulnerabilityRef
from secdocs.kinds.sbom.licences import LicenceChecker, LicenceRules, licence_rules
from secdocs.kinds.sbom.model import (
    DocInfo,
    SbomDetail,
    Violation,
    licence_counts,
    severity_counts,
)
from secdocs.kinds.sbom.options import SbomBlock, SbomOptions
from secdocs.model import (
    Assurance,
    EvidenceFile,
    EvidenceItem,
    Findings,
    JSONValue,
    Kind,
    Page,
    Problem,
    Section,
    Status,
)
from secdocs.options import validate_block
from secdocs.sbom.model import Sbom, Vulnerability
from secdocs.sbom.readers import read_attestations, read_sboms, sniff
from secdocs.sbom.validate import validate_json, validate_xml
from secdocs.sbom.vex import Report, merge, read_report, ref_index

NAME = "sbom"


class Options(msgspec.Struct, frozen=True):
    validate: bool = True
    policy: LicenceRules = msgspec.field(default_factory=LicenceRules)


def parse_options(value: object) -> Options:
    """The settings of an ``sbom`` block (validated by :class:`SbomBlock`)."""
    return options_of(validate_block(SbomBlock, value, "sbom"))


def options_of(block: SbomBlock) -> Options:
    return Options(validate=block.validate_, policy=licence_rules(block.licenses))


def export_of(detail: SbomDetail) -> SbomExport:
    """The typed values other kinds read (:func:`secdocs.kinds.sbom.export.sbom_export`)."""
    return SbomExport(
        has_data=bool(detail.documents or detail.reports),
        vulnerabilities=tuple(
            VulnerabilityRef(v.id, v.severity, v.state, v.open, v.aliases)
            for v in detail.vulnerabilities
        ),
        resolved=tuple(v.id for v in detail.diff.resolved) if detail.diff is not None else (),
    )


def direct_refs(sbom: Sbom) -> tuple[str, ...] | None:
    """The subject's direct dependencies; without a subject entry, the graph's roots."""
    if not sbom.dependencies:
        return None
    graph = {d.ref: d.depends_on for d in sbom.dependencies}
    if sbom.subject is not None and sbom.subject.ref in graph:
        return tuple(dict.fromkeys(graph[sbom.subject.ref]))
    targets = {ref for d in sbom.dependencies for ref in d.depends_on}
    known = {c.ref for c in sbom.components}
    return tuple(ref for ref in dict.fromkeys(graph) if ref not in targets and ref in known)


def _rank(item: tuple[Sbom, Status]) -> tuple[int, int, int, str]:
    sbom, status = item
    return (
        status == Status.FAILED,
        sbom.format != "CycloneDX",
        sbom.encoding != "json",
        sbom.path,
    )


class SbomCollector(Collector):
    name = NAME
    order = 40
    options_class = SbomOptions
    roles = (Kind.SBOM, Kind.VEX, Kind.SCAN)
    claims = (
        FileNames(
            Kind.SBOM,
            suffixes=(".cdx.json", ".cdx.xml", ".bom.json", ".bom.xml", ".spdx.json"),
            names=("bom.json", "sbom.json", "bom.xml"),
        ),
        FileNames(
            Kind.VEX, suffixes=(".openvex.json", ".vex.json"), names=("vex.json", "openvex.json")
        ),
        FileNames(
            Kind.SCAN,
            names=("pip-audit.json", "osv-scanner.json", "grype.json"),
            json_markers=("pip-audit", "osv-scanner", "grype"),
        ),
    )
    coverage = Coverage(Kind.SBOM, "SBOM", position=10)

    def __init__(self, config: Any, options: Mapping[str, Any] | None = None) -> None:
        super().__init__(config, options)
        self.settings = options_of(config.options.sbom)

    # --- collect -------------------------------------------------------------------------------

    def collect(self, ctx: ReleaseContext) -> Findings:
        items: list[EvidenceItem] = []
        problems: list[Problem] = []
        docs: list[DocInfo] = []
        parsed: list[tuple[Sbom, Status]] = []

        candidates: list[tuple[EvidenceFile, bytes | None]] = [
            (f, None) for f in ctx.files_with_role(Kind.SBOM)
        ]
        candidates.extend(self._sniffed(ctx))
        for file, content in sorted(candidates, key=lambda fc: fc[0].name):
            display = f"{ctx.evidence_dir}/{file.name}"
            try:
                data = content if content is not None else ctx.read(file)
                found = read_sboms(data, file.name)
            except EvidenceError as exc:
                items.append(self._item(file.name, Status.FAILED, f"{display}: {exc.message}"))
                docs.append(DocInfo(file.name, "unreadable", "failed", exc.message))
                continue
            for sbom in found:
                status, reason = self._check(data, sbom, display)
                items.append(self._item(file.name, status, reason, sbom))
                docs.append(
                    DocInfo(
                        file.name,
                        sbom.label,
                        status.value,
                        reason or "",
                        len(sbom.components),
                        sbom.container,
                    )
                )
                parsed.append((sbom, status))

        for file in ctx.files_with_role(Kind.PROVENANCE):
            try:
                data = ctx.read(file)
                found = read_attestations(data, file.name) if sniff(data) == "attestation" else []
            except EvidenceError as exc:
                problems.append(
                    Problem(f"no SBOM read: {exc.message}", file.name, exc.line, "warning")
                )
                continue
            for sbom in found:
                reason = "carried in an in-toto statement; its signature is checked by provenance"
                items.append(
                    EvidenceItem(
                        kind=Kind.SBOM,
                        path=file.name,
                        status=Status.PRESENT,
                        collector=NAME,
                        details={
                            "format": sbom.label,
                            "components": len(sbom.components),
                            "container": sbom.container,
                            "note": reason,
                        },
                    )
                )
                docs.append(
                    DocInfo(
                        sbom.path, sbom.label, "present", "", len(sbom.components), sbom.container
                    )
                )
                parsed.append((sbom, Status.PRESENT))

        reports: list[Report] = []
        for file in ctx.files_with_role(Kind.VEX, Kind.SCAN):
            try:
                report = read_report(ctx.read(file), file.name)
            except EvidenceError as exc:
                items.append(
                    EvidenceItem(
                        kind=file.role,
                        path=file.name,
                        status=Status.FAILED,
                        reason=f"{ctx.evidence_dir}/{file.name}: {exc.message}",
                        collector=NAME,
                    )
                )
                continue
            reports.append(report)
            items.append(
                EvidenceItem(
                    kind=file.role,
                    path=file.name,
                    status=Status.PRESENT,
                    collector=NAME,
                    details={"format": report.kind, "vulnerabilities": len(report.vulnerabilities)},
                )
            )

        if not parsed and not any(i.kind == Kind.SBOM for i in items):
            why = (
                "the release has no evidence folder"
                if not ctx.has_evidence
                else f"no SBOM (*.cdx.json, *.cdx.xml, *.spdx.json, bom.json) in {ctx.evidence_dir}"
            )
            items.append(
                EvidenceItem(
                    kind=Kind.SBOM, path=None, status=Status.MISSING, reason=why, collector=NAME
                )
            )

        primary = min(parsed, key=_rank)[0] if parsed else None
        detail = self._detail(docs, primary, [s for s, _ in parsed], reports)
        published = build_data(detail)
        published["release"] = ctx.release.tag
        return Findings(
            collector=NAME,
            items=tuple(items),
            problems=tuple(problems),
            data=published,
            detail=detail,
            export=export_of(detail),
        )

    def _sniffed(self, ctx: ReleaseContext) -> list[tuple[EvidenceFile, bytes | None]]:
        """JSON/XML files the core left as artifacts (``app.bom.json``, ``sbom.xml``…) whose
        content is a CycloneDX or SPDX document."""
        found: list[tuple[EvidenceFile, bytes | None]] = []
        for file in ctx.files_with_role(Kind.ARTIFACT):
            if not file.name.lower().endswith((".json", ".xml")):
                continue
            try:
                data = ctx.read(file)
            except EvidenceError:
                continue  # not ours to judge: an artifact too large or unreadable
            if sniff(data) in ("cyclonedx-json", "cyclonedx-xml", "spdx-json"):
                found.append((file, data))
        return found

    def _item(
        self, path: str, status: Status, reason: str | None, sbom: Sbom | None = None
    ) -> EvidenceItem:
        details: dict[str, JSONValue] = {}
        if sbom is not None:
            details = {"format": sbom.label, "components": len(sbom.components)}
        return EvidenceItem(
            kind=Kind.SBOM,
            path=path,
            status=status,
            reason=reason,
            collector=NAME,
            details=details,
            # schema-valid says the document is well-formed, not who made it
            assurance=Assurance.VALIDITY if status is Status.VERIFIED else None,
        )

    def _check(self, data: bytes, sbom: Sbom, display: str) -> tuple[Status, str | None]:
        if sbom.format != "CycloneDX":
            return Status.PRESENT, None
        if not self.settings.validate:
            return Status.PRESENT, None
        try:
            if sbom.encoding == "json":
                errors = validate_json(data, sbom.spec_version, display)
            else:
                errors = validate_xml(data, sbom.spec_version, display)
        except EvidenceError as exc:
            return Status.UNVERIFIABLE, str(exc)
        if errors:
            return (
                Status.FAILED,
                f"{display}: not valid against the CycloneDX {sbom.spec_version} "
                f"schema: {'; '.join(errors)}",
            )
        return Status.VERIFIED, None

    def _detail(
        self,
        docs: list[DocInfo],
        primary: Sbom | None,
        sboms: Sequence[Sbom],
        reports: Sequence[Report],
    ) -> SbomDetail:
        components = primary.components if primary else ()
        index = ref_index(components, primary.subject if primary else None)
        findings = [v for s in sboms for v in s.vulnerabilities]
        statements: list[Vulnerability] = []
        for report in reports:
            target = statements if report.kind in ("openvex", "cyclonedx-vex") else findings
            target.extend(report.vulnerabilities)
        vulnerabilities = merge(findings, statements, index)
        violations: list[Violation] = []
        policy = self.settings.policy
        if policy.active:
            evaluator = LicenceChecker(policy)
            for number, component in enumerate(components):
                verdict = evaluator.component(component)
                if not verdict.allowed:
                    violations.append(Violation(number, verdict.reason))
        return SbomDetail(
            documents=tuple(sorted(docs, key=lambda d: (d.path, d.label))),
            primary=primary,
            vulnerabilities=vulnerabilities,
            reports=tuple(sorted(f"{r.path} ({r.kind})" for r in reports)),
            direct=direct_refs(primary) if primary else None,
            violations=tuple(violations),
            policy_active=policy.active,
        )

    # --- compare -------------------------------------------------------------------------------

    def compare(self, previous: Findings | None, current: Findings) -> Findings:
        detail = current.detail
        if not isinstance(detail, SbomDetail) or detail.primary is None:
            return current
        before = previous.detail if previous is not None else None
        if not isinstance(before, SbomDetail) or before.primary is None:
            return current
        label = _release_label(previous)
        diff = diff_components(before.primary.components, detail.primary.components, label)
        diff = diff_vulnerabilities(diff, before.vulnerabilities, detail.vulnerabilities)
        new_detail = msgspec.structs.replace(detail, diff=diff)
        data = dict(current.data)
        data["diff"] = diff_data(diff)
        return Findings(
            collector=current.collector,
            items=current.items,
            problems=current.problems,
            data=data,
            detail=new_detail,
            export=export_of(new_detail),
        )

    # --- render --------------------------------------------------------------------------------

    def render(self, findings: Findings, page: PageContext) -> Sequence[Section]:
        from secdocs.kinds.sbom.render import release_section

        detail = findings.detail
        if not isinstance(detail, SbomDetail):
            return ()
        return (Section("sbom", "SBOM", release_section(detail, page), order=self.order),)

    def extra_pages(self, findings: Findings, page: PageContext, base: str) -> Sequence[Page]:
        from secdocs.kinds.sbom.render import diff_page, has_full_diff, sbom_page

        detail = findings.detail
        if not isinstance(detail, SbomDetail) or detail.primary is None:
            return ()
        path = f"{base}sbom.md"
        title = f"SBOM of {page.release.tag}"
        pages = [Page(path, title, sbom_page(detail, page, path))]
        if has_full_diff(detail):
            diff_path = f"{base}sbom-diff.md"
            pages.append(
                Page(
                    diff_path,
                    f"SBOM diff of {page.release.tag}",
                    diff_page(detail, page, diff_path),
                )
            )
        return tuple(pages)


def _release_label(findings: Findings | None) -> str:
    if findings is None:
        return ""
    release = findings.data.get("release")
    return release if isinstance(release, str) else ""


def build_data(detail: SbomDetail) -> dict[str, JSONValue]:
    """The JSON published under ``collectors.sbom`` in evidence.json (no component list)."""
    primary = detail.primary
    data: dict[str, JSONValue] = {
        "documents": [
            {
                "path": d.path,
                "format": d.label,
                "status": d.status,
                "reason": d.reason or None,
                "components": d.components,
                "container": d.container or None,
            }
            for d in detail.documents
        ],
        "reports": list(detail.reports),
        "vulnerabilities": [
            {
                "id": v.id,
                "severity": v.severity,
                "state": v.state or None,
                "justification": v.justification or None,
                "component": v.affects[0] if v.affects else None,
                "fixed_in": list(v.fixed_in),
                "aliases": list(v.aliases),
                "open": v.open,
            }
            for v in detail.vulnerabilities
        ],
        "open_vulnerabilities": severity_counts(detail.vulnerabilities, open_only=True),
    }
    if primary is not None:
        direct = detail.direct
        data["primary"] = {
            "path": primary.path,
            "format": primary.format,
            "spec_version": primary.spec_version,
            "encoding": primary.encoding,
            "tools": list(primary.tools),
            "subject": primary.subject.display_name if primary.subject else None,
            "components": len(primary.components),
            "direct": len(direct) if direct is not None else None,
            "transitive": len(primary.components) - len(direct) if direct is not None else None,
            "licences": dict(licence_counts(primary.components)[:50]),
        }
        if detail.policy_active:
            data["licence_policy"] = {
                "violations": len(detail.violations),
                "components": [
                    {
                        "name": primary.components[v.component].display_name,
                        "version": primary.components[v.component].version,
                        "reason": v.reason,
                    }
                    for v in detail.violations[:200]
                ],
            }
    return data
