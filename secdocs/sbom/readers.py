"""Readers: CycloneDX JSON (1.2-1.7), CycloneDX XML (1.2-1.7), SPDX 2.x JSON, and SBOMs carried
as the predicate of in-toto statements (plain, JSON Lines, DSSE envelopes, Sigstore bundles).

JSON goes through msgspec typed decoding into private Structs that name only the fields secdocs
uses (unknown fields are skipped without building Python objects), then into
:mod:`secdocs.sbom.model`. This is what keeps ingestion near ``json.loads`` speed on large SBOMs;
see ``benchmarks/bench_sbom.py``. XML goes through defusedxml only. Every failure is an
:class:`~secdocs.errors.EvidenceError` naming the file.
"""

from __future__ import annotations

import base64
import binascii
import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, TypeVar

import msgspec
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError
from defusedxml.ElementTree import fromstring as xml_fromstring

from secdocs.errors import EvidenceError, LimitExceededError
from secdocs.sbom.model import (
    Component,
    Dependency,
    Hash,
    Licence,
    Rating,
    Sbom,
    Vulnerability,
    normalise_severity,
    severity_from_score,
    worst_severity,
)

if TYPE_CHECKING:  # parsing goes through defusedxml; the stdlib class is only a type here
    from xml.etree.ElementTree import Element  # nosec B405

#: Nested ``components`` deeper than this are refused (real SBOMs stay below 10).
MAX_NESTING = 32
SUPPORTED_CDX = ("1.0", "1.1", "1.2", "1.3", "1.4", "1.5", "1.6", "1.7")
CDX_PREDICATE = "https://cyclonedx.org/bom"
SPDX_PREDICATE = "https://spdx.dev/Document"


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic collector while many acyclic objects are created (it would rescan them
    again and again), restoring its previous state afterwards."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


# --- CycloneDX JSON: private Structs naming only what secdocs uses ------------------------------


class _Named(msgspec.Struct, gc=False):
    name: str = ""
    url: str | list[str] = ""


class _LicenceInner(msgspec.Struct, gc=False):
    id: str | None = None
    name: str | None = None


class _LicenceChoice(msgspec.Struct, gc=False):
    license: _LicenceInner | None = None
    expression: str | None = None


class _Hash(msgspec.Struct, gc=False):
    alg: str = ""
    content: str = ""


class _Property(msgspec.Struct, gc=False):
    name: str = ""
    value: str = ""


#: CycloneDX properties that name where a component instance is installed
PATH_PROPERTIES = ("cdx:npm:package:path",)


class _Component(msgspec.Struct, gc=False):
    name: str = ""
    version: str = ""
    type: str = "library"
    group: str = ""
    purl: str = ""
    bom_ref: str = msgspec.field(default="", name="bom-ref")
    licenses: list[_LicenceChoice] = []
    hashes: list[_Hash] = []
    supplier: _Named | None = None
    publisher: str = ""
    author: str = ""
    scope: str = ""
    properties: list[_Property] = []
    components: list[_Component] = []


class _Tool(msgspec.Struct, gc=False):
    vendor: str | _Named = ""
    name: str = ""
    version: str = ""
    group: str = ""


class _Tools(msgspec.Struct, gc=False):
    components: list[_Tool] = []
    services: list[_Tool] = []


class _Metadata(msgspec.Struct, gc=False):
    tools: list[_Tool] | _Tools | None = None
    component: _Component | None = None


class _Dependency(msgspec.Struct, gc=False):
    ref: str
    dependsOn: list[str] = []


class _Rating(msgspec.Struct, gc=False):
    source: _Named | None = None
    score: float | str | None = None
    severity: str | None = None
    method: str | None = None


class _Analysis(msgspec.Struct, gc=False):
    state: str = ""
    justification: str = ""
    response: list[str] = []
    detail: str = ""


class _AffectedVersion(msgspec.Struct, gc=False):
    version: str = ""
    range: str = ""
    status: str = ""


class _Affect(msgspec.Struct, gc=False):
    ref: str = ""
    versions: list[_AffectedVersion] = []


class _Reference(msgspec.Struct, gc=False):
    id: str = ""


class _Vulnerability(msgspec.Struct, gc=False):
    id: str = ""
    source: _Named | None = None
    ratings: list[_Rating] = []
    analysis: _Analysis | None = None
    affects: list[_Affect] = []
    references: list[_Reference] = []


class _Bom(msgspec.Struct, gc=False):
    bomFormat: str
    specVersion: str = ""
    serialNumber: str = ""
    metadata: _Metadata | None = None
    components: list[_Component] = []
    dependencies: list[_Dependency] = []
    vulnerabilities: list[_Vulnerability] = []


_BOM_DECODER = msgspec.json.Decoder(_Bom)

T = TypeVar("T")


def _decode(decoder: msgspec.json.Decoder[T], data: bytes | memoryview, path: str, what: str) -> T:
    try:
        with gc_paused():
            return decoder.decode(data)
    except msgspec.ValidationError as exc:
        raise EvidenceError(path, f"not a valid {what}: {exc}") from exc
    except msgspec.DecodeError as exc:
        raise EvidenceError(path, f"invalid JSON: {exc}") from exc
    except RecursionError as exc:
        raise LimitExceededError(path, "JSON nested too deeply") from exc


class _Interner:
    """Shares identical licence records between components (most SBOMs use a handful)."""

    def __init__(self) -> None:
        self.licences: dict[tuple[str, str], Licence] = {}

    def licence(self, kind: str, value: str) -> Licence:
        key = (kind, value)
        found = self.licences.get(key)
        if found is None:
            found = self.licences[key] = Licence(kind, value)
        return found


def _cdx_licences(choices: list[_LicenceChoice], interner: _Interner) -> tuple[Licence, ...]:
    out: list[Licence] = []
    for choice in choices:
        if choice.expression:
            out.append(interner.licence("expression", choice.expression))
        elif choice.license is not None:
            if choice.license.id:
                out.append(interner.licence("id", choice.license.id))
            elif choice.license.name:
                out.append(interner.licence("name", choice.license.name))
    return tuple(out)


def _cdx_component(raw: _Component, interner: _Interner) -> Component:
    supplier = raw.supplier.name if raw.supplier is not None else ""
    return Component(
        name=raw.name,
        version=raw.version,
        type=raw.type,
        purl=raw.purl,
        group=raw.group,
        ref=raw.bom_ref,
        licences=_cdx_licences(raw.licenses, interner) if raw.licenses else (),
        hashes=tuple(Hash(h.alg, h.content) for h in raw.hashes) if raw.hashes else (),
        supplier=supplier or raw.publisher or raw.author,
        scope=raw.scope,
        path=next((p.value for p in raw.properties if p.name in PATH_PROPERTIES), ""),
    )


def _flatten(
    raws: list[_Component], interner: _Interner, path: str, depth: int = 0
) -> list[Component]:
    if depth > MAX_NESTING:
        raise LimitExceededError(path, f"components nested deeper than {MAX_NESTING} levels")
    out = [_cdx_component(raw, interner) for raw in raws]
    for raw in raws:
        if raw.components:
            out.extend(_flatten(raw.components, interner, path, depth + 1))
    return out


def _tool_names(tools: list[_Tool] | _Tools | None) -> tuple[str, ...]:
    if tools is None:
        return ()
    entries = tools if isinstance(tools, list) else [*tools.components, *tools.services]
    names = []
    for tool in entries:
        vendor = tool.vendor.name if isinstance(tool.vendor, _Named) else tool.vendor
        owner = vendor or tool.group
        label = f"{owner} {tool.name}".strip() if owner and owner != tool.name else tool.name
        names.append(f"{label} {tool.version}".strip())
    return tuple(n for n in names if n)


def _score(value: float | str | None) -> float | None:
    """A CVSS score; some writers emit it as a JSON string."""
    if value is None or isinstance(value, float):
        return value
    try:
        return float(value)
    except ValueError:
        return None


def _cdx_vulnerability(raw: _Vulnerability, origin: str) -> Vulnerability:
    ratings = tuple(
        Rating(
            severity=normalise_severity(r.severity)
            if r.severity
            else severity_from_score(_score(r.score)),
            score=_score(r.score),
            method=r.method or "",
            source=r.source.name if r.source else "",
        )
        for r in raw.ratings
    )
    analysis = raw.analysis or _Analysis()
    fixed = sorted(
        {v.version or v.range for a in raw.affects for v in a.versions if v.status == "unaffected"}
        - {""}
    )
    scores = [r.score for r in ratings if r.score is not None]
    return Vulnerability(
        id=raw.id,
        source=raw.source.name if raw.source else "",
        severity=worst_severity([r.severity for r in ratings]),
        score=max(scores) if scores else None,
        ratings=ratings,
        affects=tuple(a.ref for a in raw.affects if a.ref),
        state=analysis.state,
        justification=analysis.justification,
        response=tuple(analysis.response),
        detail=analysis.detail,
        fixed_in=tuple(fixed),
        aliases=tuple(sorted({r.id for r in raw.references if r.id and r.id != raw.id})),
        origin=origin,
    )


def read_cyclonedx_json(data: bytes | memoryview, path: str, container: str = "") -> Sbom:
    raw = _decode(_BOM_DECODER, data, path, "CycloneDX document")
    if raw.bomFormat != "CycloneDX":
        raise EvidenceError(path, f"bomFormat is {raw.bomFormat!r}, expected 'CycloneDX'")
    if raw.specVersion not in SUPPORTED_CDX:
        raise EvidenceError(path, f"unsupported CycloneDX specVersion {raw.specVersion!r}")
    interner = _Interner()
    with gc_paused():
        components = _flatten(raw.components, interner, path)
        metadata = raw.metadata or _Metadata()
        subject = (
            _cdx_component(metadata.component, interner) if metadata.component is not None else None
        )
        dependencies = tuple(Dependency(d.ref, tuple(d.dependsOn)) for d in raw.dependencies)
        vulnerabilities = tuple(_cdx_vulnerability(v, path) for v in raw.vulnerabilities)
    return Sbom(
        path=path,
        format="CycloneDX",
        encoding="json",
        spec_version=raw.specVersion,
        serial=raw.serialNumber,
        tools=_tool_names(metadata.tools),
        subject=subject,
        components=tuple(components),
        dependencies=dependencies,
        vulnerabilities=vulnerabilities,
        container=container,
    )


# --- CycloneDX XML ---------------------------------------------------------------------------

_CDX_NS_PREFIX = "http://cyclonedx.org/schema/bom/"


def parse_xml(data: bytes, path: str) -> Element:
    """Parse untrusted XML with defusedxml: no DTDs, no entities, no external references."""
    try:
        return xml_fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except ParseError as exc:
        line = exc.position[0] if getattr(exc, "position", None) else None
        raise EvidenceError(path, f"invalid XML: {exc}", line=line) from exc
    except DefusedXmlException as exc:
        raise EvidenceError(path, f"refused XML: {type(exc).__name__}") from exc
    except (ValueError, RecursionError) as exc:
        raise EvidenceError(path, f"invalid XML: {exc}") from exc


class _Xml:
    def __init__(self, ns: str, path: str) -> None:
        self.ns = ns
        self.path = path
        self.interner = _Interner()

    def q(self, tag: str) -> str:
        return f"{{{self.ns}}}{tag}"

    def text(self, element: Element | None, tag: str) -> str:
        if element is None:
            return ""
        child = element.find(self.q(tag))
        return (child.text or "").strip() if child is not None else ""

    def children(self, element: Element | None, *tags: str) -> list[Element]:
        if element is None:
            return []
        return element.findall("/".join(self.q(t) for t in tags))

    def component(self, element: Element) -> Component:
        licences: list[Licence] = []
        for choice in self.children(element, "licenses"):
            for child in choice:
                expression = (child.text or "").strip()
                if child.tag == self.q("expression") and expression:
                    licences.append(self.interner.licence("expression", expression))
                elif child.tag == self.q("license"):
                    if lid := self.text(child, "id"):
                        licences.append(self.interner.licence("id", lid))
                    elif name := self.text(child, "name"):
                        licences.append(self.interner.licence("name", name))
        hashes = tuple(
            Hash(h.get("alg", ""), (h.text or "").strip())
            for h in self.children(element, "hashes", "hash")
        )
        supplier_el = element.find(self.q("supplier"))
        supplier = self.text(supplier_el, "name") if supplier_el is not None else ""
        return Component(
            name=self.text(element, "name"),
            version=self.text(element, "version"),
            type=element.get("type", "library"),
            purl=self.text(element, "purl"),
            group=self.text(element, "group"),
            ref=element.get("bom-ref", ""),
            licences=tuple(licences),
            hashes=hashes,
            supplier=supplier or self.text(element, "publisher") or self.text(element, "author"),
            scope=self.text(element, "scope"),
            path=next(
                (
                    (prop.text or "").strip()
                    for prop in self.children(element, "properties", "property")
                    if prop.get("name") in PATH_PROPERTIES
                ),
                "",
            ),
        )

    def components(self, parent: Element | None, depth: int = 0) -> list[Component]:
        if depth > MAX_NESTING:
            raise LimitExceededError(self.path, f"components nested deeper than {MAX_NESTING}")
        elements = self.children(parent, "components", "component")
        out = [self.component(e) for e in elements]
        for element in elements:
            out.extend(self.components(element, depth + 1))
        return out

    def tools(self, metadata: Element | None) -> tuple[str, ...]:
        names = []
        for tool in [
            *self.children(metadata, "tools", "tool"),
            *self.children(metadata, "tools", "components", "component"),
            *self.children(metadata, "tools", "services", "service"),
        ]:
            vendor = self.text(tool, "vendor") or self.text(tool, "group")
            name = self.text(tool, "name")
            label = f"{vendor} {name}".strip() if vendor and vendor != name else name
            names.append(f"{label} {self.text(tool, 'version')}".strip())
        return tuple(n for n in names if n)

    def vulnerability(self, element: Element) -> Vulnerability:
        ratings = []
        for rating in self.children(element, "ratings", "rating"):
            score_text = self.text(rating, "score")
            try:
                score = float(score_text) if score_text else None
            except ValueError:
                score = None
            severity = self.text(rating, "severity")
            ratings.append(
                Rating(
                    severity=normalise_severity(severity)
                    if severity
                    else severity_from_score(score),
                    score=score,
                    method=self.text(rating, "method"),
                    source=self.text(rating.find(self.q("source")), "name"),
                )
            )
        analysis = element.find(self.q("analysis"))
        affects = []
        fixed = set()
        for target in self.children(element, "affects", "target"):
            if ref := self.text(target, "ref"):
                affects.append(ref)
            for version in self.children(target, "versions", "version"):
                if self.text(version, "status") == "unaffected":
                    fixed.add(self.text(version, "version") or self.text(version, "range"))
        scores = [r.score for r in ratings if r.score is not None]
        vid = self.text(element, "id")
        return Vulnerability(
            id=vid,
            source=self.text(element.find(self.q("source")), "name"),
            severity=worst_severity([r.severity for r in ratings]),
            score=max(scores) if scores else None,
            ratings=tuple(ratings),
            affects=tuple(affects),
            state=self.text(analysis, "state"),
            justification=self.text(analysis, "justification"),
            response=tuple(
                (r.text or "").strip() for r in self.children(analysis, "responses", "response")
            ),
            detail=self.text(analysis, "detail"),
            fixed_in=tuple(sorted(fixed - {""})),
            aliases=tuple(
                sorted(
                    {self.text(r, "id") for r in self.children(element, "references", "reference")}
                    - {"", vid}
                )
            ),
            origin=self.path,
        )


def read_cyclonedx_xml(data: bytes, path: str, container: str = "") -> Sbom:
    root = parse_xml(data, path)
    tag = root.tag if isinstance(root.tag, str) else ""
    ns, _, local = tag[1:].partition("}") if tag.startswith("{") else ("", "", tag)
    if local != "bom" or not ns.startswith(_CDX_NS_PREFIX):
        raise EvidenceError(path, "not a CycloneDX XML document (root element is not a bom)")
    version = ns[len(_CDX_NS_PREFIX) :]
    if version not in SUPPORTED_CDX:
        raise EvidenceError(path, f"unsupported CycloneDX XML namespace {ns!r}")
    x = _Xml(ns, path)
    metadata = root.find(x.q("metadata"))
    subject_el = metadata.find(x.q("component")) if metadata is not None else None
    dependencies = tuple(
        Dependency(d.get("ref", ""), tuple(c.get("ref", "") for c in d.findall(x.q("dependency"))))
        for d in x.children(root, "dependencies", "dependency")
    )
    return Sbom(
        path=path,
        format="CycloneDX",
        encoding="xml",
        spec_version=version,
        serial=root.get("serialNumber", ""),
        tools=x.tools(metadata),
        subject=x.component(subject_el) if subject_el is not None else None,
        components=tuple(x.components(root)),
        dependencies=dependencies,
        vulnerabilities=tuple(
            x.vulnerability(v) for v in x.children(root, "vulnerabilities", "vulnerability")
        ),
        container=container,
    )


# --- SPDX 2.x JSON ---------------------------------------------------------------------------


class _SpdxChecksum(msgspec.Struct, gc=False):
    algorithm: str = ""
    checksumValue: str = ""


class _SpdxRef(msgspec.Struct, gc=False):
    referenceCategory: str = ""
    referenceType: str = ""
    referenceLocator: str = ""


class _SpdxPackage(msgspec.Struct, gc=False):
    SPDXID: str = ""
    name: str = ""
    versionInfo: str = ""
    supplier: str = ""
    licenseConcluded: str = ""
    licenseDeclared: str = ""
    checksums: list[_SpdxChecksum] = []
    externalRefs: list[_SpdxRef] = []
    primaryPackagePurpose: str = ""


class _SpdxRelationship(msgspec.Struct, gc=False):
    spdxElementId: str = ""
    relationshipType: str = ""
    relatedSpdxElement: str = ""


class _SpdxCreation(msgspec.Struct, gc=False):
    creators: list[str] = []


class _SpdxDocument(msgspec.Struct, gc=False):
    spdxVersion: str
    SPDXID: str = ""
    documentNamespace: str = ""
    creationInfo: _SpdxCreation | None = None
    packages: list[_SpdxPackage] = []
    relationships: list[_SpdxRelationship] = []
    documentDescribes: list[str] = []


_SPDX_DECODER = msgspec.json.Decoder(_SpdxDocument)
_NO_VALUE = frozenset({"", "NOASSERTION", "NONE"})


def _spdx_component(raw: _SpdxPackage, interner: _Interner) -> Component:
    licence = raw.licenseConcluded if raw.licenseConcluded not in _NO_VALUE else ""
    licence = licence or (raw.licenseDeclared if raw.licenseDeclared not in _NO_VALUE else "")
    licences: tuple[Licence, ...] = ()
    if licence:
        simple = " " not in licence and "(" not in licence
        licences = (interner.licence("id" if simple else "expression", licence),)
    purl = next(
        (r.referenceLocator for r in raw.externalRefs if r.referenceType == "purl"),
        "",
    )
    supplier = raw.supplier if raw.supplier not in _NO_VALUE else ""
    for prefix in ("Organization:", "Person:"):
        if supplier.startswith(prefix):
            supplier = supplier[len(prefix) :].strip()
    return Component(
        name=raw.name,
        version=raw.versionInfo,
        type=raw.primaryPackagePurpose.lower() or "library",
        purl=purl,
        ref=raw.SPDXID,
        licences=licences,
        hashes=tuple(Hash(c.algorithm, c.checksumValue) for c in raw.checksums),
        supplier=supplier,
    )


def read_spdx_json(data: bytes | memoryview, path: str, container: str = "") -> Sbom:
    raw = _decode(_SPDX_DECODER, data, path, "SPDX document")
    if not raw.spdxVersion.startswith("SPDX-2."):
        raise EvidenceError(path, f"unsupported spdxVersion {raw.spdxVersion!r} (SPDX 2.x only)")
    interner = _Interner()
    with gc_paused():
        described = list(raw.documentDescribes)
        graph: dict[str, list[str]] = {}
        for rel in raw.relationships:
            kind = rel.relationshipType
            if kind == "DESCRIBES" and rel.spdxElementId == raw.SPDXID:
                described.append(rel.relatedSpdxElement)
            elif kind in ("DEPENDS_ON", "CONTAINS"):
                graph.setdefault(rel.spdxElementId, []).append(rel.relatedSpdxElement)
            elif kind in ("DEPENDENCY_OF", "CONTAINED_BY"):
                graph.setdefault(rel.relatedSpdxElement, []).append(rel.spdxElementId)
        subject_id = described[0] if len(set(described)) == 1 else ""
        subject = None
        components = []
        for package in raw.packages:
            component = _spdx_component(package, interner)
            if subject_id == package.SPDXID and subject is None:
                subject = component
            else:
                components.append(component)
    tools = tuple(
        c.split(":", 1)[1].strip()
        for c in (raw.creationInfo.creators if raw.creationInfo else [])
        if c.startswith("Tool:")
    )
    return Sbom(
        path=path,
        format="SPDX",
        encoding="json",
        spec_version=raw.spdxVersion.removeprefix("SPDX-"),
        serial=raw.documentNamespace,
        tools=tools,
        subject=subject,
        components=tuple(components),
        dependencies=tuple(Dependency(k, tuple(v)) for k, v in graph.items()),
        container=container,
    )


# --- in-toto statements carrying an SBOM --------------------------------------------------------


class _Envelope(msgspec.Struct, gc=False):
    payloadType: str = ""
    payload: str = ""


class _Carrier(msgspec.Struct, gc=False):
    """A statement, a DSSE envelope or a Sigstore bundle holding one."""

    predicateType: str = ""
    predicate: msgspec.Raw = msgspec.Raw(b"")
    payloadType: str = ""
    payload: str = ""
    dsseEnvelope: _Envelope | None = None


_CARRIER_DECODER = msgspec.json.Decoder(_Carrier)


def _statement_of(carrier: _Carrier, path: str) -> tuple[str, msgspec.Raw, str]:
    envelope = carrier.dsseEnvelope or (
        _Envelope(carrier.payloadType, carrier.payload) if carrier.payload else None
    )
    if envelope is None:
        return carrier.predicateType, carrier.predicate, "in-toto statement"
    try:
        payload = base64.b64decode(envelope.payload, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise EvidenceError(path, "DSSE payload is not valid base64") from exc
    inner = _decode(_CARRIER_DECODER, payload, path, "in-toto statement")
    return inner.predicateType, inner.predicate, "DSSE envelope"


def read_attestations(data: bytes, path: str) -> list[Sbom]:
    """SBOMs carried by in-toto statements in ``data`` (one JSON document or JSON Lines)."""
    stripped = data.strip()
    try:
        _CARRIER_DECODER.decode(stripped)
        lines = [stripped]
    except msgspec.ValidationError as exc:
        raise EvidenceError(path, f"not a valid in-toto statement: {exc}") from exc
    except (msgspec.DecodeError, RecursionError):  # not one document: JSON Lines
        lines = [line for line in stripped.splitlines() if line.strip()]
    found: list[Sbom] = []
    for number, line in enumerate(lines, 1):
        where = f"{path}:{number}" if len(lines) > 1 else path
        carrier = _decode(_CARRIER_DECODER, line, where, "in-toto statement")
        predicate_type, predicate, kind = _statement_of(carrier, where)
        if not len(predicate):
            continue
        label = f"{kind} ({predicate_type})"
        if predicate_type.startswith(CDX_PREDICATE):
            found.append(read_cyclonedx_json(bytes(predicate), where, container=label))
        elif predicate_type.startswith(SPDX_PREDICATE):
            found.append(read_spdx_json(bytes(predicate), where, container=label))
    return found


# --- dispatch ---------------------------------------------------------------------------------


def sniff(data: bytes) -> str:
    """A cheap guess of a document's family from its bytes (no parsing)."""
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<"):
        return "cyclonedx-xml" if b"cyclonedx.org/schema/bom" in data[:4096] else "xml"
    if not head.startswith((b"{", b"[")):
        return "unknown"
    if b'"predicateType"' in data or b'"dsseEnvelope"' in data or b'"payloadType"' in data:
        return "attestation"
    if b'"bomFormat"' in data:
        return "cyclonedx-json"
    if b'"spdxVersion"' in data:
        return "spdx-json"
    if b"openvex.dev/ns" in data:
        return "openvex"
    if b'"SchemaVersion"' in data and (b'"ArtifactName"' in data or b'"ClusterName"' in data):
        return "trivy"
    if b'"runs"' in data and b"sarif" in data[:4096].lower():
        return "sarif"
    if b'"misconfigurations"' in data and b'"vulnerabilities"' in data[:512]:
        return "trivy"
    if b'"matches"' in data and b'"artifact"' in data:
        return "grype"
    if b'"results"' in data and b'"packages"' in data:
        return "osv-scanner"
    if b'"vulns"' in data:
        return "pip-audit"
    return "json"


READERS: dict[str, Callable[[bytes, str], list[Sbom]]] = {
    "cyclonedx-json": lambda d, p: [read_cyclonedx_json(d, p)],
    "cyclonedx-xml": lambda d, p: [read_cyclonedx_xml(d, p)],
    "spdx-json": lambda d, p: [read_spdx_json(d, p)],
    "attestation": read_attestations,
}


def read_sboms(data: bytes, path: str) -> list[Sbom]:
    """Every SBOM in one file: raises :class:`EvidenceError` when the file holds none."""
    family = sniff(data)
    reader = READERS.get(family)
    if reader is None:
        if family == "xml":
            return [read_cyclonedx_xml(data, path)]  # raises with the reason
        raise EvidenceError(path, "not a CycloneDX or SPDX document")
    found = reader(data, path)
    if not found:
        raise EvidenceError(path, "the in-toto statement carries no CycloneDX or SPDX predicate")
    return found
