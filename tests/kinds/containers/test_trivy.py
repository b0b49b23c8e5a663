"""Trivy reports: counts equal what the files hold (counted here from the files themselves)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from secdocs.errors import EvidenceError
from secdocs.kinds.containers.trivy import read_scan
from secdocs.sbom.vex import read_report

TRIVY_JSON = [
    "config-dockerfile.json",
    "image-alpine-3.9.json",
    "image-debian-buster.json",
    "image-distroless-base.json",
    "image-fluentd-gems.json",
]


def counted(path: Path) -> tuple[Counter[str], Counter[str]]:
    """Vulnerabilities and failed misconfigurations per severity, straight from the JSON."""
    doc = json.loads(path.read_text())
    vulns: Counter[str] = Counter()
    misconfs: Counter[str] = Counter()
    if "Results" not in doc:  # Kubernetes id summary
        return (
            Counter({"unknown": len(doc["vulnerabilities"])}),
            Counter({"unknown": len(doc["misconfigurations"])}),
        )
    for result in doc["Results"]:
        for v in result.get("Vulnerabilities") or []:
            vulns[v["Severity"].lower()] += 1
        for m in result.get("Misconfigurations") or []:
            if m.get("Status") != "PASS":
                misconfs[m["Severity"].lower()] += 1
    return vulns, misconfs


@pytest.mark.corpus
@pytest.mark.parametrize("name", [*TRIVY_JSON, "k8s-summary.json"])
def test_trivy_json_counts_match_the_file(corpus_dir: Path, name: str) -> None:
    path = corpus_dir / "trivy" / name
    scan = read_scan(path.read_bytes(), name)
    vulns, misconfs = counted(path)
    assert len(scan.vulnerabilities) == sum(vulns.values())
    assert len(scan.misconfigurations) == sum(misconfs.values())
    assert scan.vulnerability_counts() == dict(vulns)
    assert scan.misconfiguration_counts() == dict(misconfs)


@pytest.mark.corpus
def test_trivy_sarif_counts_match_the_file(corpus_dir: Path) -> None:
    path = corpus_dir / "trivy" / "image-alpine-3.10.sarif"
    doc = json.loads(path.read_text())
    run = doc["runs"][0]
    rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
    expected: Counter[str] = Counter()
    for result in run["results"]:
        tags = rules[result["ruleId"]]["properties"]["tags"]
        expected[next(t.lower() for t in tags if t.isupper())] += 1
    scan = read_scan(path.read_bytes(), path.name)
    assert scan.format == "trivy-sarif"
    assert len(scan.vulnerabilities) == len(run["results"])
    assert scan.vulnerability_counts() == dict(expected)
    assert scan.image_id == run["properties"]["imageID"]


@pytest.mark.corpus
def test_trivy_cyclonedx_ties_the_image_id(corpus_dir: Path) -> None:
    path = corpus_dir / "trivy" / "fluentd-multiple-lockfiles.cdx.json"
    doc = json.loads(path.read_text())
    props = {p["name"]: p["value"] for p in doc["metadata"]["component"]["properties"]}
    scan = read_scan(path.read_bytes(), path.name)
    assert scan.format == "trivy-cyclonedx"
    assert scan.image_id == props["aquasecurity:trivy:ImageID"]
    assert len(scan.vulnerabilities) == len(doc.get("vulnerabilities", []))


@pytest.mark.corpus
def test_image_config_and_digests_from_trivy_json(corpus_dir: Path) -> None:
    path = corpus_dir / "trivy" / "image-alpine-3.9.json"
    doc = json.loads(path.read_text())
    scan = read_scan(path.read_bytes(), path.name)
    assert scan.image_id == doc["Metadata"]["ImageID"]
    assert scan.config is not None
    assert scan.config.user == doc["Metadata"]["ImageConfig"]["config"].get("User")
    assert scan.artifact_type == "container_image"


@pytest.mark.corpus
@pytest.mark.parametrize("name", [*TRIVY_JSON, "image-alpine-3.10.sarif", "k8s-summary.json"])
def test_trivy_reports_join_the_vulnerability_view(corpus_dir: Path, name: str) -> None:
    path = corpus_dir / "trivy" / name
    report = read_report(path.read_bytes(), name)
    assert report.kind == "trivy"
    assert len(report.vulnerabilities) == len(read_scan(path.read_bytes(), name).vulnerabilities)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b'{"SchemaVersion": 2, "ArtifactName": "x", "Results": "no"}', "not a valid"),
        (b'{"runs": [{"tool": {"driver": {"name": "other"}}}], "$schema": "sarif"}', "Trivy"),
        (b'{"runs": "x", "$schema": "sarif"}', "no runs"),
        (b'{"ArtifactName": "x"}', "not a Trivy JSON report"),
        (b"{", "invalid JSON"),
    ],
)
def test_bad_reports_raise_named_errors(data: bytes, reason: str) -> None:
    with pytest.raises(EvidenceError, match=reason) as info:
        read_scan(data, "evil-trivy.json")
    assert info.value.path == "evil-trivy.json"


def test_repo_digests_and_hostile_strings_kept_as_data() -> None:
    digest = "sha256:" + "ab" * 32
    doc = {
        "SchemaVersion": 2,
        "ArtifactName": "<script>alert(1)</script>",
        "ArtifactType": "container_image",
        "Metadata": {
            "ImageID": "sha256:" + "cd" * 32,
            "RepoDigests": [f"ghcr.io/acme/app@{digest}", "not a reference"],
            "ImageConfig": {"config": {"User": "root"}},
        },
        "Results": [
            {
                "Target": "<img src=x onerror=alert(1)>",
                "Misconfigurations": [
                    {"ID": "KSV001", "Title": "t", "Severity": "HIGH", "Status": "FAIL"},
                    {"ID": "KSV002", "Title": "t", "Severity": "LOW", "Status": "PASS"},
                ],
                "Vulnerabilities": [
                    {
                        "VulnerabilityID": "CVE-1",
                        "PkgName": "p",
                        "InstalledVersion": "1",
                        "FixedVersion": "2, 3",
                        "Severity": "bogus",
                    }
                ],
            }
        ],
    }
    scan = read_scan(json.dumps(doc).encode(), "trivy.json")
    assert scan.repo_digests == (digest,)
    assert [m.id for m in scan.misconfigurations] == ["KSV001"]
    assert scan.vulnerabilities[0].fixed_in == ("2", "3")
    assert scan.vulnerabilities[0].severity == "unknown"
    assert scan.config is not None and scan.config.user == "root"
