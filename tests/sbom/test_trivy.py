"""The shared Trivy reader: vulnerabilities of every format, what it hands on, what it refuses."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from secdocs.errors import EvidenceError
from secdocs.sbom import trivy
from secdocs.sbom.vex import read_report


@pytest.mark.corpus
def test_cyclonedx_vulnerabilities_are_the_documents_own(corpus_dir: Path) -> None:
    """The golden lists no vulnerabilities; one added to it (for one of its components) is read."""
    path = corpus_dir / "trivy" / "fluentd-multiple-lockfiles.cdx.json"
    doc = json.loads(path.read_bytes())
    assert doc["vulnerabilities"] == []
    assert trivy.read_vulnerabilities(path.read_bytes(), path.name) == ()
    component = doc["components"][0]
    doc["vulnerabilities"] = [
        {
            "id": "CVE-2099-1",
            "ratings": [{"severity": "high"}],
            "affects": [{"ref": component["bom-ref"]}],
        }
    ]
    data = json.dumps(doc).encode()
    assert trivy.report_format(data) == "cyclonedx"
    (found,) = trivy.read_vulnerabilities(data, path.name)
    assert (found.id, found.severity) == ("CVE-2099-1", "high")
    assert found.affects == (component["bom-ref"],)


@pytest.mark.corpus
def test_sarif_vulnerabilities_are_the_logs_results(corpus_dir: Path) -> None:
    path = corpus_dir / "trivy" / "image-alpine-3.10.sarif"
    data = path.read_bytes()
    doc = json.loads(data)
    results = [r for run in doc["runs"] for r in run["results"]]
    assert trivy.report_format(data) == "sarif"
    found = trivy.read_vulnerabilities(data, path.name)
    assert [v.id for v in found] == [r["ruleId"] for r in results]
    assert all(v.source == "Trivy" and v.origin == path.name for v in found)
    assert read_report(data, path.name).vulnerabilities == found


def test_kubernetes_resources_name_their_targets() -> None:
    doc = {
        "ClusterName": "prod",
        "Resources": [
            {
                "Namespace": "default",
                "Kind": "Deployment",
                "Name": "app",
                "Results": [
                    {
                        "Target": "app:1.0",
                        "Vulnerabilities": [{"VulnerabilityID": "CVE-1", "PkgName": "p"}],
                        "Misconfigurations": [
                            {"ID": "KSV001", "Status": "FAIL"},
                            {"ID": "KSV002", "Status": "PASS"},
                        ],
                    }
                ],
            }
        ],
    }
    read = trivy.read_json(json.dumps(doc).encode(), "k8s.json")
    assert [v.id for v in read.vulnerabilities] == ["CVE-1"]
    assert read.vulnerabilities[0].affects == ("p@",)
    assert [(t, m.ID) for t, m in read.failed_checks] == [
        ("default/Deployment/app: app:1.0", "KSV001")
    ]
    assert read.report is not None and read.report.ClusterName == "prod"


SARIF = {
    "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
    "runs": [
        {
            "tool": {
                "driver": {
                    "name": "Trivy",
                    "rules": [
                        {
                            "id": "CVE-2",
                            "name": "OsPackageVulnerability",
                            "shortDescription": {"text": "a flaw"},
                            "properties": {"tags": ["vulnerability", "HIGH"]},
                        },
                        {
                            "id": "DS002",
                            "name": "Misconfiguration",
                            "properties": {"security-severity": "9.5"},
                        },
                    ],
                }
            },
            "properties": {"imageName": "app"},
            "results": [
                {
                    "ruleId": "CVE-2",
                    "message": {
                        "text": "Package: zlib\nInstalled Version: 1.0\nFixed Version: 1.1"
                    },
                },
                {
                    "ruleId": "DS002",
                    "message": {"text": "runs as root"},
                    "locations": [
                        {"physicalLocation": {"artifactLocation": {"uri": "Dockerfile"}}}
                    ],
                },
            ],
        }
    ],
}


def test_sarif_hands_on_what_is_not_a_vulnerability() -> None:
    read = trivy.read_sarif(json.dumps(SARIF).encode(), "app.sarif")
    (vuln,) = read.vulnerabilities
    assert (vuln.id, vuln.severity, vuln.affects, vuln.fixed_in, vuln.detail) == (
        "CVE-2",
        "high",
        ("zlib@1.0",),
        ("1.1",),
        "a flaw",
    )
    assert read.others == (
        trivy.SarifFinding("DS002", "", "critical", "Dockerfile", "runs as root"),
    )
    assert read.run_properties == ({"imageName": "app"},)


@pytest.mark.parametrize(
    ("runs", "reason"),
    [
        (["x"], "a SARIF run is not an object"),
        ([{"tool": {"driver": {"name": "Trivy"}}, "results": ["x"]}], "a SARIF result is not"),
    ],
)
def test_bad_sarif_shapes_name_the_file(runs: list[object], reason: str) -> None:
    data = json.dumps({"$schema": "sarif", "runs": runs}).encode()
    with pytest.raises(EvidenceError, match=reason) as info:
        trivy.read_vulnerabilities(data, "evil.sarif")
    assert info.value.path == "evil.sarif"


def test_reports_over_the_limit_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(trivy, "MAX_FINDINGS", 1)
    json_doc = {
        "SchemaVersion": 2,
        "ArtifactName": "x",
        "Results": [
            {
                "Vulnerabilities": [{"VulnerabilityID": "CVE-1"}],
                "Misconfigurations": [{"ID": "DS001"}],
            }
        ],
    }
    for data, name in ((json_doc, "big.json"), (SARIF, "big.sarif")):
        with pytest.raises(EvidenceError, match="more than 1 findings"):
            trivy.read_vulnerabilities(json.dumps(data).encode(), name)
