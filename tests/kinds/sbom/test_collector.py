"""The sbom collector end to end: real git repositories with tagged releases and evidence."""

from __future__ import annotations

import base64
import json
import pickle
from html import unescape
from pathlib import Path

import pytest

from secdocs.config import from_mapping
from secdocs.demo import RELEASES
from secdocs.demo.sbom import CONTRIBUTOR, sbom_json
from secdocs.errors import ConfigError
from secdocs.kinds.sbom.collect import SbomCollector, SbomDetail, parse_options
from secdocs.kinds.sbom.render import sbom_page
from secdocs.model import Kind, Status

from .helpers import Project


def cdx(
    components: list[dict[str, object]],
    vulns: list[dict[str, object]] | None = None,
    deps: list[dict[str, object]] | None = None,
    spec: str = "1.6",
) -> bytes:
    doc: dict[str, object] = {
        "bomFormat": "CycloneDX",
        "specVersion": spec,
        "version": 1,
        "metadata": {
            "component": {"type": "application", "name": "app", "version": "1", "bom-ref": "app"}
        },
        "components": components,
    }
    if vulns is not None:
        doc["vulnerabilities"] = vulns
    if deps is not None:
        doc["dependencies"] = deps
    return json.dumps(doc).encode()


def comp(name: str, version: str, licence: str = "MIT", **extra: object) -> dict[str, object]:
    return {
        "type": "library",
        "name": name,
        "version": version,
        "bom-ref": f"{name}@{version}",
        "purl": f"pkg:pypi/{name}@{version}",
        "licenses": [{"expression": licence}],
        **extra,
    }


def demo_project(tmp_path: Path) -> Project:
    releases = {r.tag: {f"widget-{r.version}.cdx.json": sbom_json(r)} for r in RELEASES[1:]}
    return Project(tmp_path / "repo", releases, CONTRIBUTOR.plugin_options())


def test_demo_releases_verify_diff_and_render(tmp_path: Path) -> None:
    project = demo_project(tmp_path)
    previous = None
    results = {}
    for release in RELEASES[1:]:
        current = project.collect(release.tag)
        current = project.collector.compare(previous, current)
        results[release.tag] = current
        previous = current
    first = results["v1.0.0"]
    assert [i.status for i in first.items] == [Status.VERIFIED]
    assert "diff" not in first.data

    added = results["v1.1.0"].data["diff"]
    assert added["counts"]["added"] == 3  # click, jinja2, markupsafe
    assert added["vulnerabilities_introduced"] == ["CVE-2024-34064"]
    fixed = results["v1.2.1"].data["diff"]
    assert fixed["vulnerabilities_resolved"] == ["CVE-2024-34064"]
    assert [c["name"] for c in fixed["upgraded"]] == ["jinja2"]
    major = results["v2.0.0"].data["diff"]
    assert [c["name"] for c in major["removed"]] == ["six"]
    assert [c["name"] for c in major["downgraded"]] == ["idna"]
    assert [c["name"] for c in major["licence_changes"]] == ["attrs"]

    data = results["v1.1.0"].data
    assert data["open_vulnerabilities"] == {"medium": 1}
    states = {v["id"]: v["state"] for v in data["vulnerabilities"]}
    assert states == {"CVE-2023-50782": "not_affected", "CVE-2024-34064": None}
    assert data["licence_policy"]["violations"] == 1  # chardet, LGPL
    assert data["primary"]["direct"] == 8 and data["primary"]["transitive"] == 4
    json.dumps(data)  # evidence.json must be able to hold it

    detail = results["v2.0.0"].detail
    assert isinstance(detail, SbomDetail)
    assert pickle.loads(pickle.dumps(detail)) == detail  # noqa: S301 - our own object

    page = project.page("v1.1.0")
    (section,) = project.collector.render(results["v1.1.0"], page)
    assert 'href="https://nvd.nist.gov/vuln/detail/CVE-2024-34064"' in unescape(section.body)
    assert 'href="sbom/"' in section.body
    assert "medium</span> jinja2 3.1.3</li>" in section.body  # introduced, with its component
    pages = project.collector.extra_pages(results["v1.1.0"], page, "releases/v1.1.0/")
    sbom_page, diff_page = pages
    assert sbom_page.path == "releases/v1.1.0/sbom.md"
    assert diff_page.path == "releases/v1.1.0/sbom-diff.md"
    assert 'href="sbom-diff/"' in section.body
    assert sbom_page.body.count('<tr data-type="library"') == 12
    assert "code_not_reachable" in unescape(sbom_page.body)  # the not_affected justification
    assert '<details class="secdocs-vex">' in sbom_page.body
    assert "secdocs-violation" in sbom_page.body
    assert "<details><summary>requests 2.31.0 (4)</summary>" in sbom_page.body
    # deterministic output
    again = project.collector.collect(project.ctx("v1.1.0"))
    again = project.collector.compare(results["v1.0.0"], again)
    assert project.collector.extra_pages(again, page, "releases/v1.1.0/") == pages


def test_missing_and_unreadable_sboms(tmp_path: Path) -> None:
    project = Project(
        tmp_path / "repo",
        {
            "v1.0.0": {"notes.txt": b"nothing here"},
            "v1.1.0": {"bad.cdx.json": b"{not json", "bom.xml": b"<bom><x></bom>"},
            "v1.2.0": {},
        },
    )
    (missing,) = project.collect("v1.0.0").items
    assert missing.status == Status.MISSING and "no SBOM" in (missing.reason or "")
    bad = project.collect("v1.1.0")
    assert [i.status for i in bad.items] == [Status.FAILED, Status.FAILED]
    assert all("evidence/v1.1.0/" in (i.reason or "") for i in bad.items)
    none = project.collect("v1.2.0")
    assert none.items[0].status == Status.MISSING
    assert project.collector.render(none, project.page("v1.2.0"))
    assert project.collector.extra_pages(none, project.page("v1.2.0"), "x/") == ()
    assert "No SBOM." in sbom_page(SbomDetail(), project.page("v1.2.0"), "x/sbom.md")
    assert project.collector.compare(None, none) is none


def test_schema_invalid_sbom_fails_with_first_errors(tmp_path: Path) -> None:
    invalid = cdx([comp("a", "1", type="nonsense")])
    project = Project(tmp_path / "repo", {"v1.0.0": {"app.cdx.json": invalid}})
    (item,) = project.collect("v1.0.0").items
    assert item.status == Status.FAILED
    assert "/components/0/type" in (item.reason or "")
    off = SbomCollector(from_mapping({"sbom": {"validate": False}}, project.root))
    (item,) = off.collect(project.ctx("v1.0.0")).items
    assert item.status == Status.PRESENT


def test_hostile_names_are_escaped(tmp_path: Path) -> None:
    evil = "<script>alert(1)</script>"
    sbom = cdx(
        [
            comp(
                evil,
                "1<b>",
                licence="MIT",
                supplier={"name": evil},
                hashes=[{"alg": "SHA-256", "content": '"><img src=x onerror=alert(1)>'}],
            )
        ],
        vulns=[
            {
                "id": evil,
                "affects": [{"ref": f"{evil}@1<b>"}],
                "analysis": {
                    "state": "not_affected",
                    "justification": "code_not_present",
                    "detail": evil,
                },
            }
        ],
        spec="1.4",
    )
    project = Project(
        tmp_path / "repo", {"v1.0.0": {"app.cdx.json": sbom}}, {"sbom": {"validate": False}}
    )
    findings = project.collect("v1.0.0")
    page = project.page("v1.0.0")
    bodies = [s.body for s in project.collector.render(findings, page)]
    bodies += [p.body for p in project.collector.extra_pages(findings, page, "releases/v1.0.0/")]
    for body in bodies:
        assert "<script>" not in body and "<img" not in body and "<b>" not in body
        assert "&lt;script&gt;" in body


def test_vex_and_scanner_reports_merge(tmp_path: Path) -> None:
    sbom = cdx([comp("jinja2", "3.1.3"), comp("requests", "2.0.0"), comp("idna", "3.6")])
    openvex = json.dumps(
        {
            "@context": "https://openvex.dev/ns/v0.2.0",
            "@id": "x",
            "author": "a",
            "timestamp": "2026-01-01T00:00:00Z",
            "version": 1,
            "statements": [
                {
                    "vulnerability": {"name": "GHSA-h75v-3vvj-5mfj"},
                    "products": [{"@id": "pkg:pypi/jinja2@3.1.3"}],
                    "status": "not_affected",
                    "justification": "vulnerable_code_not_in_execute_path",
                }
            ],
        }
    ).encode()
    pip_audit = json.dumps(
        {
            "dependencies": [
                {
                    "name": "jinja2",
                    "version": "3.1.3",
                    "vulns": [
                        {
                            "id": "GHSA-h75v-3vvj-5mfj",
                            "fix_versions": ["3.1.4"],
                            "aliases": ["CVE-2024-34064"],
                        }
                    ],
                },
                {
                    "name": "requests",
                    "version": "2.0.0",
                    "vulns": [{"id": "PYSEC-2014-13", "fix_versions": ["2.3.0"], "aliases": []}],
                },
            ],
            "fixes": [],
        }
    ).encode()
    osv = json.dumps(
        {
            "results": [
                {
                    "source": {"path": "x", "type": "lockfile"},
                    "packages": [
                        {
                            "package": {"name": "idna", "version": "3.6", "ecosystem": "PyPI"},
                            "vulnerabilities": [
                                {
                                    "id": "GHSA-jjg7-2v4v-x38h",
                                    "aliases": ["CVE-2024-3651"],
                                    "affected": [
                                        {
                                            "ranges": [
                                                {"events": [{"introduced": "0"}, {"fixed": "3.7"}]}
                                            ]
                                        }
                                    ],
                                }
                            ],
                            "groups": [{"ids": ["GHSA-jjg7-2v4v-x38h"], "max_severity": "6.2"}],
                        }
                    ],
                }
            ]
        }
    ).encode()
    grype = json.dumps(
        {
            "matches": [
                {
                    "vulnerability": {
                        "id": "CVE-2023-32681",
                        "severity": "Medium",
                        "fix": {"versions": ["2.31.0"], "state": "fixed"},
                    },
                    "artifact": {
                        "name": "requests",
                        "version": "2.0.0",
                        "purl": "pkg:pypi/requests@2.0.0",
                    },
                }
            ],
            "descriptor": {"name": "grype"},
        }
    ).encode()
    project = Project(
        tmp_path / "repo",
        {
            "v1.0.0": {
                "app.cdx.json": sbom,
                "app.openvex.json": openvex,
                "pip-audit.json": pip_audit,
                "osv-scanner.json": osv,
                "grype.json": grype,
                "broken.vex.json": b"[1, 2]",
            }
        },
    )
    findings = project.collect("v1.0.0")
    kinds = {(i.kind, i.path): i.status for i in findings.items}
    assert kinds[(Kind.VEX, "app.openvex.json")] == Status.PRESENT
    assert kinds[(Kind.SCAN, "grype.json")] == Status.PRESENT
    assert kinds[(Kind.VEX, "broken.vex.json")] == Status.FAILED
    vulns = {v["id"]: v for v in findings.data["vulnerabilities"]}
    assert vulns["GHSA-h75v-3vvj-5mfj"]["state"] == "not_affected"
    assert vulns["GHSA-h75v-3vvj-5mfj"]["open"] is False
    assert vulns["GHSA-h75v-3vvj-5mfj"]["fixed_in"] == ["3.1.4"]
    assert vulns["GHSA-jjg7-2v4v-x38h"]["severity"] == "medium"
    assert vulns["GHSA-jjg7-2v4v-x38h"]["fixed_in"] == ["3.7"]
    assert vulns["CVE-2023-32681"]["severity"] == "medium"
    assert vulns["PYSEC-2014-13"]["open"] is True
    body = unescape(project.collector.render(findings, project.page("v1.0.0"))[0].body)
    assert "https://github.com/advisories/GHSA-jjg7-2v4v-x38h" in body
    assert "https://osv.dev/vulnerability/PYSEC-2014-13" in body


def test_sbom_inside_in_toto_statements(tmp_path: Path) -> None:
    predicate = json.loads(cdx([comp("a", "1"), comp("b", "2")]))
    statement = {
        "_type": "https://in-toto.io/Statement/v1",
        "subject": [],
        "predicateType": "https://cyclonedx.org/bom",
        "predicate": predicate,
    }
    envelope = {
        "payloadType": "application/vnd.in-toto+json",
        "signatures": [],
        "payload": base64.b64encode(json.dumps(statement).encode()).decode(),
    }
    spdx = {
        "_type": "https://in-toto.io/Statement/v1",
        "predicateType": "https://spdx.dev/Document",
        "predicate": {
            "spdxVersion": "SPDX-2.3",
            "SPDXID": "SPDXRef-DOCUMENT",
            "packages": [
                {
                    "SPDXID": "SPDXRef-x",
                    "name": "x",
                    "versionInfo": "1",
                    "licenseConcluded": "MIT OR Apache-2.0",
                }
            ],
        },
    }
    lines = "\n".join(json.dumps(x) for x in (envelope, spdx)) + "\n"
    project = Project(
        tmp_path / "repo",
        {
            "v1.0.0": {
                "build.intoto.jsonl": lines.encode(),
                "bad.intoto.jsonl": b'{"payloadType": "x", "payload": "!!"}',
            }
        },
    )
    findings = project.collect("v1.0.0")
    assert [i.status for i in findings.items] == [Status.PRESENT, Status.PRESENT]
    assert findings.data["primary"]["components"] == 2
    assert [p.path for p in findings.problems] == ["bad.intoto.jsonl"]


def test_options_are_validated() -> None:
    assert parse_options(None).validate is True
    with pytest.raises(ConfigError):
        parse_options([])
    with pytest.raises(ConfigError):
        parse_options({"colour": 1})
    with pytest.raises(ConfigError):
        parse_options({"validate": "yes"})
    with pytest.raises(ConfigError):
        parse_options({"licenses": {"allow": "MIT"}})
    with pytest.raises(ConfigError):
        parse_options({"licenses": {"permit": []}})
    with pytest.raises(ConfigError):
        parse_options({"licenses": {"deny": [3]}})
    with pytest.raises(ConfigError):
        parse_options({"licenses": "MIT"})


def test_demo_sboms_are_deterministic() -> None:
    release = RELEASES[2]
    first, second = sbom_json(release), sbom_json(release)
    assert first == second
    doc = json.loads(first)
    assert doc["serialNumber"].startswith("urn:uuid:")
    assert doc["metadata"]["timestamp"].startswith(release.date.strftime("%Y-%m-%dT%H:%M:%S"))
    assert sbom_json(RELEASES[3]) != first
