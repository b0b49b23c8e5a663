"""Vulnerability sources besides the SBOM itself: standalone VEX documents (CycloneDX VEX,
OpenVEX JSON) and scanner reports (pip-audit, OSV-Scanner, Grype JSON; Trivy through
:mod:`secdocs.sbom.trivy`), plus the merge of all of them into one list per release.

Everything becomes :class:`~secdocs.sbom.model.Vulnerability` in CycloneDX vocabulary: OpenVEX
``affected``/``fixed``/``under_investigation`` map to ``exploitable``/``resolved``/``in_triage``.
Scanner findings carry no analysis (state ``""``: open until a VEX statement says otherwise).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import msgspec

from secdocs.errors import EvidenceError
from secdocs.sbom import trivy
from secdocs.sbom.model import (
    Component,
    Vulnerability,
    normalise_severity,
    severity_from_score,
    worst_severity,
)
from secdocs.sbom.readers import _decode, read_cyclonedx_json, read_cyclonedx_xml, sniff

OPENVEX_STATES = {
    "not_affected": "not_affected",
    "affected": "exploitable",
    "fixed": "resolved",
    "under_investigation": "in_triage",
}


class Report(msgspec.Struct, frozen=True, gc=False):
    """Vulnerabilities read from one VEX document or scanner report."""

    path: str
    kind: str  # "cyclonedx-vex" | "openvex" | "pip-audit" | "osv-scanner" | "grype" | "trivy"
    vulnerabilities: tuple[Vulnerability, ...]


# --- OpenVEX ---------------------------------------------------------------------------------


class _OvVuln(msgspec.Struct, gc=False):
    name: str = msgspec.field(default="", name="name")
    id: str = msgspec.field(default="", name="@id")
    aliases: list[str] = []


class _OvProduct(msgspec.Struct, gc=False):
    id: str = msgspec.field(default="", name="@id")
    identifiers: dict[str, str] = {}


class _OvStatement(msgspec.Struct, gc=False):
    vulnerability: _OvVuln | str
    status: str
    products: list[_OvProduct | str] = []
    justification: str = ""
    impact_statement: str = ""
    action_statement: str = ""
    status_notes: str = ""


class _OpenVex(msgspec.Struct, gc=False):
    context: str = msgspec.field(name="@context")
    statements: list[_OvStatement] = []


def _product_ref(product: _OvProduct | str) -> str:
    if isinstance(product, str):
        return product
    return product.identifiers.get("purl") or product.id


def read_openvex(data: bytes, path: str) -> Report:
    doc = _decode(msgspec.json.Decoder(_OpenVex), data, path, "OpenVEX document")
    if not doc.context.startswith("https://openvex.dev/ns"):
        raise EvidenceError(path, f"@context {doc.context!r} is not OpenVEX")
    out = []
    for statement in doc.statements:
        vuln = statement.vulnerability
        vid = vuln if isinstance(vuln, str) else (vuln.name or vuln.id)
        aliases = () if isinstance(vuln, str) else tuple(sorted(set(vuln.aliases)))
        state = OPENVEX_STATES.get(statement.status)
        if state is None:
            raise EvidenceError(path, f"unknown OpenVEX status {statement.status!r} for {vid}")
        out.append(
            Vulnerability(
                id=vid,
                affects=tuple(_product_ref(p) for p in statement.products),
                state=state,
                justification=statement.justification,
                detail=statement.impact_statement
                or statement.status_notes
                or statement.action_statement,
                aliases=aliases,
                origin=path,
            )
        )
    return Report(path, "openvex", tuple(out))


# --- pip-audit -------------------------------------------------------------------------------


class _PaVuln(msgspec.Struct, gc=False):
    id: str
    fix_versions: list[str] = []
    aliases: list[str] = []


class _PaDependency(msgspec.Struct, gc=False):
    name: str
    version: str = ""
    vulns: list[_PaVuln] = []


class _PipAudit(msgspec.Struct, gc=False):
    dependencies: list[_PaDependency]


def read_pip_audit(data: bytes, path: str) -> Report:
    stripped = data.lstrip()
    if stripped.startswith(b"["):  # pip-audit before 2.0 wrote a bare list
        deps = _decode(msgspec.json.Decoder(list[_PaDependency]), data, path, "pip-audit report")
    else:
        deps = _decode(msgspec.json.Decoder(_PipAudit), data, path, "pip-audit report").dependencies
    out = [
        Vulnerability(
            id=v.id,
            source="pip-audit",
            affects=(f"pkg:pypi/{d.name.lower()}@{d.version}",),
            fixed_in=tuple(v.fix_versions),
            aliases=tuple(sorted(set(v.aliases))),
            origin=path,
        )
        for d in deps
        for v in d.vulns
    ]
    return Report(path, "pip-audit", tuple(out))


# --- OSV-Scanner -----------------------------------------------------------------------------


class _OsvEvent(msgspec.Struct, gc=False):
    fixed: str = ""


class _OsvRange(msgspec.Struct, gc=False):
    events: list[_OsvEvent] = []


class _OsvAffected(msgspec.Struct, gc=False):
    ranges: list[_OsvRange] = []


class _OsvDbSpecific(msgspec.Struct, gc=False):
    severity: str = ""


class _OsvVuln(msgspec.Struct, gc=False):
    id: str
    aliases: list[str] = []
    affected: list[_OsvAffected] = []
    database_specific: _OsvDbSpecific | None = None


class _OsvGroup(msgspec.Struct, gc=False):
    ids: list[str] = []
    max_severity: str = ""


class _OsvPackageInfo(msgspec.Struct, gc=False):
    name: str = ""
    version: str = ""
    ecosystem: str = ""
    purl: str = ""


class _OsvPackage(msgspec.Struct, gc=False):
    package: _OsvPackageInfo
    vulnerabilities: list[_OsvVuln] = []
    groups: list[_OsvGroup] = []


class _OsvResult(msgspec.Struct, gc=False):
    packages: list[_OsvPackage] = []


class _OsvScanner(msgspec.Struct, gc=False):
    results: list[_OsvResult]


_ECOSYSTEM_PURL = {
    "pypi": "pypi",
    "npm": "npm",
    "go": "golang",
    "maven": "maven",
    "crates.io": "cargo",
    "rubygems": "gem",
    "nuget": "nuget",
    "packagist": "composer",
}


def _package_ref(info: _OsvPackageInfo) -> str:
    if info.purl:
        return info.purl
    kind = _ECOSYSTEM_PURL.get(info.ecosystem.lower())
    if kind:
        return f"pkg:{kind}/{info.name}@{info.version}"
    return f"{info.name}@{info.version}"


def read_osv_scanner(data: bytes, path: str) -> Report:
    doc = _decode(msgspec.json.Decoder(_OsvScanner), data, path, "OSV-Scanner report")
    out = []
    for result in doc.results:
        for package in result.packages:
            scores: dict[str, str] = {}
            for group in package.groups:
                for gid in group.ids:
                    scores[gid] = group.max_severity
            for v in package.vulnerabilities:
                score_text = scores.get(v.id, "")
                try:
                    score: float | None = float(score_text) if score_text else None
                except ValueError:
                    score = None
                severity = severity_from_score(score)
                if severity == "unknown" and v.database_specific is not None:
                    severity = normalise_severity(v.database_specific.severity)
                fixed = sorted(
                    {e.fixed for a in v.affected for r in a.ranges for e in r.events} - {""}
                )
                out.append(
                    Vulnerability(
                        id=v.id,
                        source="OSV",
                        severity=severity,
                        score=score,
                        affects=(_package_ref(package.package),),
                        fixed_in=tuple(fixed),
                        aliases=tuple(sorted(set(v.aliases))),
                        origin=path,
                    )
                )
    return Report(path, "osv-scanner", tuple(out))


# --- Grype -----------------------------------------------------------------------------------


class _GrypeFix(msgspec.Struct, gc=False):
    versions: list[str] = []
    state: str = ""


class _GrypeVuln(msgspec.Struct, gc=False):
    id: str
    severity: str = ""
    dataSource: str = ""
    fix: _GrypeFix | None = None


class _GrypeArtifact(msgspec.Struct, gc=False):
    name: str = ""
    version: str = ""
    purl: str = ""


class _GrypeRelated(msgspec.Struct, gc=False):
    id: str = ""


class _GrypeMatch(msgspec.Struct, gc=False):
    vulnerability: _GrypeVuln
    artifact: _GrypeArtifact
    relatedVulnerabilities: list[_GrypeRelated] = []


class _Grype(msgspec.Struct, gc=False):
    matches: list[_GrypeMatch]


def read_grype(data: bytes, path: str) -> Report:
    doc = _decode(msgspec.json.Decoder(_Grype), data, path, "Grype report")
    out = []
    for match in doc.matches:
        v = match.vulnerability
        art = match.artifact
        out.append(
            Vulnerability(
                id=v.id,
                source="Grype",
                severity=normalise_severity(v.severity),
                affects=(art.purl or f"{art.name}@{art.version}",),
                fixed_in=tuple(v.fix.versions) if v.fix else (),
                aliases=tuple(sorted({r.id for r in match.relatedVulnerabilities} - {"", v.id})),
                origin=path,
            )
        )
    return Report(path, "grype", tuple(out))


def read_trivy(data: bytes, path: str) -> Report:
    """A Trivy JSON or SARIF report: its vulnerabilities (misconfigurations are shown by the
    containers kind)."""
    return Report(path, "trivy", trivy.read_vulnerabilities(data, path))


def read_cyclonedx_vex(data: bytes, path: str) -> Report:
    family = sniff(data)
    sbom = read_cyclonedx_xml(data, path) if family == "cyclonedx-xml" else None
    if sbom is None:
        sbom = read_cyclonedx_json(data, path)
    return Report(path, "cyclonedx-vex", sbom.vulnerabilities)


_READERS = {
    "cyclonedx-json": read_cyclonedx_vex,
    "cyclonedx-xml": read_cyclonedx_vex,
    "openvex": read_openvex,
    "pip-audit": read_pip_audit,
    "osv-scanner": read_osv_scanner,
    "grype": read_grype,
    "trivy": read_trivy,
    "sarif": read_trivy,
}


def read_report(data: bytes, path: str) -> Report:
    """A VEX document or scanner report, recognised by content."""
    reader = _READERS.get(sniff(data))
    if reader is None:
        raise EvidenceError(
            path,
            "not a recognised VEX document or scanner report "
            "(CycloneDX VEX, OpenVEX, pip-audit, OSV-Scanner, Grype JSON, Trivy JSON or SARIF)",
        )
    return reader(data, path)


# --- merge -----------------------------------------------------------------------------------


def ref_index(components: Sequence[Component], subject: Component | None) -> dict[str, Component]:
    """Map every way a vulnerability may name a component (bom-ref, purl, name@version)."""
    index: dict[str, Component] = {}
    for component in [*components, *([subject] if subject else [])]:
        for key in (
            component.ref,
            component.purl,
            f"{component.name}@{component.version}",
            f"{component.display_name}@{component.version}",
            f"{component.key}@{component.version}",  # the key merged records carry
        ):
            if key and key not in index:
                index[key] = component
    return index


def resolve(ref: str, index: Mapping[str, Component]) -> Component | None:
    found = index.get(ref)
    if found is None and ref.startswith("urn:cdx:") and "#" in ref:
        found = index.get(ref.split("#", 1)[1])
    if found is None and ref.startswith("pkg:"):
        found = index.get(ref.split("?", 1)[0].split("#", 1)[0])
    return found


def affected_key(ref: str, index: Mapping[str, Component]) -> str:
    component = resolve(ref, index)
    if component is not None:
        return f"{component.key}@{component.version}"
    return ref


def merge(
    findings: Iterable[Vulnerability],
    statements: Iterable[Vulnerability],
    index: Mapping[str, Component],
) -> tuple[Vulnerability, ...]:
    """One record per (vulnerability id, affected component).

    ``findings`` (SBOM vulnerabilities, scanner matches) are combined with their severities and
    fix versions; ``statements`` (VEX) set the analysis of matching records — matched by id or
    alias and by component, or by id alone when the statement names no component of this SBOM —
    and become records of their own when nothing matches. Later statements win.
    """
    records: dict[tuple[str, str], Vulnerability] = {}
    for vuln in findings:
        for key in _keys(vuln, index):
            previous = records.get(key)
            records[key] = _combine(previous, vuln, key[1]) if previous else _single(vuln, key[1])
    for statement in statements:
        names = {statement.id, *statement.aliases}
        targets = {
            affected_key(ref, index) for ref in statement.affects if resolve(ref, index) is not None
        }
        matched = [
            key
            for key, record in records.items()
            if (record.id in names or names & set(record.aliases))
            and (not targets or key[1] in targets)
        ]
        for key in matched:
            records[key] = _analysed(records[key], statement)
        if not matched:
            for key in _keys(statement, index):
                records[key] = _single(statement, key[1])
    return tuple(sorted(records.values(), key=lambda v: (v.id, v.affects)))


def _keys(vuln: Vulnerability, index: Mapping[str, Component]) -> list[tuple[str, str]]:
    if not vuln.affects:
        return [(vuln.id, "")]
    return sorted({(vuln.id, affected_key(ref, index)) for ref in vuln.affects})


def _single(vuln: Vulnerability, affected: str) -> Vulnerability:
    return msgspec.structs.replace(vuln, affects=(affected,) if affected else ())


def _combine(a: Vulnerability, b: Vulnerability, affected: str) -> Vulnerability:
    severity = worst_severity([a.severity, b.severity])
    scores = [s for s in (a.score, b.score) if s is not None]
    return msgspec.structs.replace(
        a,
        severity=severity,
        score=max(scores) if scores else None,
        ratings=a.ratings + b.ratings,
        fixed_in=tuple(sorted(set(a.fixed_in) | set(b.fixed_in))),
        aliases=tuple(sorted(set(a.aliases) | set(b.aliases))),
        state=a.state or b.state,
        justification=a.justification or b.justification,
        detail=a.detail or b.detail,
        origin=a.origin if a.origin == b.origin else f"{a.origin}, {b.origin}",
        affects=(affected,) if affected else (),
    )


def _analysed(record: Vulnerability, statement: Vulnerability) -> Vulnerability:
    return msgspec.structs.replace(
        record,
        state=statement.state,
        justification=statement.justification,
        response=statement.response,
        detail=statement.detail or record.detail,
        fixed_in=tuple(sorted(set(record.fixed_in) | set(statement.fixed_in))),
        severity=record.severity if record.severity != "unknown" else statement.severity,
        origin=f"{record.origin}; VEX {statement.origin}",
    )
