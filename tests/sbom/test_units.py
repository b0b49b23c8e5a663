"""Unit tests of the SBOM/VEX library: severities, readers' edge cases and limits, validation,
scanner reports and the merge."""

from __future__ import annotations

import json

import pytest

from secdocs.errors import EvidenceError, LimitExceededError
from secdocs.sbom.model import (
    Component,
    Vulnerability,
    normalise_severity,
    severity_from_score,
    worst_severity,
)
from secdocs.sbom.readers import (
    MAX_NESTING,
    read_cyclonedx_json,
    read_cyclonedx_xml,
    read_sboms,
    sniff,
)
from secdocs.sbom.validate import validate_json, validate_xml
from secdocs.sbom.vex import merge, read_report, ref_index


def test_severities() -> None:
    assert [severity_from_score(s) for s in (None, 0.0, 3.1, 4.0, 7.0, 9.8)] == [
        "unknown",
        "none",
        "low",
        "medium",
        "high",
        "critical",
    ]
    assert normalise_severity("Moderate") == "medium" and normalise_severity("bogus") == "unknown"
    assert normalise_severity("Negligible") == "info"
    assert worst_severity(["low", "high", "unknown"]) == "high"


def test_reader_errors_name_the_file() -> None:
    cases = [
        (b'{"bomFormat": "CycloneDX", "specVersion": "9.9"}', "unsupported CycloneDX specVersion"),
        (b'{"bomFormat": "SPDX"}', "expected 'CycloneDX'"),
        (b'{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": {}}', "$.components"),
        (b'{"spdxVersion": "SPDX-3.0"}', "SPDX 2.x only"),
        (b"plain text", "not a CycloneDX or SPDX document"),
        (b"<x/>", "not a CycloneDX XML document"),
        (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>', "refused XML"),
        (b"<bom xmlns='http://cyclonedx.org/schema/bom/7.0'/>", "unsupported CycloneDX XML"),
        (b"<bom", "invalid XML"),
        (b'{"predicateType": "x", "predicate": 3}', "carries no CycloneDX or SPDX"),
        (b'{"predicateType": 3}', "not a valid in-toto statement"),
        (b'{"dsseEnvelope": {"payload": "%%%"}}', "base64"),
    ]
    for data, message in cases:
        with pytest.raises(EvidenceError) as caught:
            read_sboms(data, "evidence/v1/x")
        assert caught.value.path.startswith("evidence/v1/x")
        assert message in str(caught.value), (data, caught.value)


def test_nesting_limits() -> None:
    inner: dict[str, object] = {"name": "leaf"}
    for _ in range(MAX_NESTING + 2):
        inner = {"name": "n", "components": [inner]}
    doc = {"bomFormat": "CycloneDX", "specVersion": "1.6", "components": [inner]}
    with pytest.raises(LimitExceededError):
        read_cyclonedx_json(json.dumps(doc).encode(), "deep.json")
    xml = "<component><name>x</name><components>" * (MAX_NESTING + 2)
    xml += "</components></component>" * (MAX_NESTING + 2)
    doc_xml = (
        f'<bom xmlns="http://cyclonedx.org/schema/bom/1.6"><components>{xml}</components></bom>'
    )
    with pytest.raises(LimitExceededError):
        read_cyclonedx_xml(doc_xml.encode(), "deep.xml")
    deep = b'{"bomFormat": "CycloneDX", "specVersion": "1.6", "x": ' + b"[" * 100_000
    with pytest.raises(LimitExceededError, match="nested too deeply"):
        read_sboms(deep + b"]" * 100_000 + b"}", "brackets.json")


def test_xml_reader_reads_licences_hashes_and_vulnerabilities() -> None:
    doc = b"""<bom xmlns="http://cyclonedx.org/schema/bom/1.6" serialNumber="urn:uuid:1">
    <metadata><tools><components><component type="application"><group>g</group><name>t</name>
    <version>1</version></component></components></tools></metadata>
    <components><component type="library" bom-ref="a"><name>a</name><version>1</version>
      <supplier><name>S</name></supplier><hashes><hash alg="SHA-256">abc</hash></hashes>
      <licenses><license><id>MIT</id></license><license><name>Custom</name></license></licenses>
    </component><component type="library" bom-ref="b"><name>b</name>
      <licenses><expression>MIT OR Apache-2.0</expression></licenses></component></components>
    <dependencies><dependency ref="a"><dependency ref="b"/></dependency></dependencies>
    <vulnerabilities><vulnerability><id>CVE-2024-1</id><source><name>NVD</name></source>
      <references><reference><id>GHSA-x</id></reference></references>
      <ratings><rating><score>nope</score><severity>high</severity></rating>
      <rating><score>5.0</score></rating></ratings>
      <analysis><state>not_affected</state><justification>code_not_present</justification>
      <responses><response>will_not_fix</response></responses><detail>d</detail></analysis>
      <affects><target><ref>a</ref><versions><version><version>2</version>
      <status>unaffected</status></version></versions></target></affects>
    </vulnerability></vulnerabilities></bom>"""
    sbom = read_cyclonedx_xml(doc, "x.xml")
    a, b = sbom.components
    assert a.supplier == "S" and a.hashes[0].content == "abc"
    assert a.licence_text == "MIT AND Custom" and b.licence_text == "MIT OR Apache-2.0"
    assert sbom.tools == ("g t 1",)
    (v,) = sbom.vulnerabilities
    assert (v.severity, v.state, v.fixed_in, v.aliases, v.response) == (
        "high",
        "not_affected",
        ("2",),
        ("GHSA-x",),
        ("will_not_fix",),
    )
    assert v.score == 5.0 and not v.open


def test_validation_of_unsupported_versions() -> None:
    with pytest.raises(EvidenceError):
        validate_json(b"{}", "1.1", "x.json")
    with pytest.raises(EvidenceError):
        validate_json(b"{", "1.6", "x.json")
    with pytest.raises(EvidenceError):
        validate_xml(b"<x/>", "9.9", "x.xml")
    with pytest.raises(EvidenceError):
        validate_xml(b"\xff\xfe", "1.6", "x.xml")


def test_sniff() -> None:
    assert sniff(b"  \xef\xbb\xbf{}") == "json"
    assert sniff(b"<html/>") == "xml"
    assert sniff(b"hello") == "unknown"


def test_report_formats_and_merge() -> None:
    with pytest.raises(EvidenceError, match="not a recognised"):
        read_report(b'{"x": 1}', "r.json")
    with pytest.raises(EvidenceError, match="not OpenVEX"):
        read_report(
            b'{"@context": "https://example.org/openvex.dev/ns", "statements": []}', "o.json"
        )
    with pytest.raises(EvidenceError, match="unknown OpenVEX status"):
        read_report(
            json.dumps(
                {
                    "@context": "https://openvex.dev/ns/v0.2.0",
                    "statements": [{"vulnerability": "CVE-1", "status": "maybe"}],
                }
            ).encode(),
            "o.json",
        )
    old = read_report(
        b'[{"name": "Jinja2", "version": "1", "vulns": [{"id": "PYSEC-1"}]}]', "p.json"
    )
    assert old.vulnerabilities[0].affects == ("pkg:pypi/jinja2@1",)
    ov = read_report(
        json.dumps(
            {
                "@context": "https://openvex.dev/ns/v0.2.0",
                "statements": [
                    {"vulnerability": "CVE-2", "status": "fixed", "products": ["pkg:npm/x@1"]},
                    {"vulnerability": {"@id": "CVE-3"}, "status": "under_investigation"},
                ],
            }
        ).encode(),
        "o.json",
    )
    assert [(v.id, v.state) for v in ov.vulnerabilities] == [
        ("CVE-2", "resolved"),
        ("CVE-3", "in_triage"),
    ]
    osv = read_report(
        json.dumps(
            {
                "results": [
                    {
                        "packages": [
                            {
                                "package": {"name": "x", "version": "1", "ecosystem": "Weird"},
                                "vulnerabilities": [
                                    {"id": "OSV-1", "database_specific": {"severity": "HIGH"}}
                                ],
                                "groups": [{"ids": ["OSV-1"], "max_severity": "n/a"}],
                            }
                        ]
                    }
                ]
            }
        ).encode(),
        "osv.json",
    )
    assert osv.vulnerabilities[0].severity == "high" and osv.vulnerabilities[0].affects == ("x@1",)
    xml = read_report(
        b'<bom xmlns="http://cyclonedx.org/schema/bom/1.4"><vulnerabilities>'
        b"<vulnerability><id>CVE-9</id></vulnerability></vulnerabilities></bom>",
        "v.xml",
    )
    assert xml.vulnerabilities[0].id == "CVE-9"

    component = Component("x", "1", purl="pkg:npm/x@1", ref="ref-x")
    index = ref_index([component], None)
    findings = [
        Vulnerability("CVE-5", severity="low", affects=("ref-x",), origin="sbom"),
        Vulnerability(
            "CVE-5",
            severity="high",
            score=8.0,
            affects=("pkg:npm/x@1",),
            fixed_in=("2",),
            origin="scan",
        ),
    ]
    statements = [
        Vulnerability(
            "CVE-5",
            affects=("urn:cdx:abc/1#ref-x",),
            state="not_affected",
            justification="code_not_present",
            origin="vex",
        ),
        Vulnerability("CVE-6", affects=("elsewhere",), state="exploitable", origin="vex"),
    ]
    merged = merge(findings, statements, index)
    assert [(v.id, v.severity, v.state, v.fixed_in, v.affects) for v in merged] == [
        ("CVE-5", "high", "not_affected", ("2",), ("pkg:npm/x@1",)),
        ("CVE-6", "unknown", "exploitable", (), ("elsewhere",)),
    ]
