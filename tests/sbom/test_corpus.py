"""Readers and validator on the shared corpus, read in place; expectations from MANIFEST.md."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from secdocs.errors import EvidenceError
from secdocs.sbom.readers import read_sboms
from secdocs.sbom.validate import validate_json, validate_xml
from secdocs.sbom.vex import read_report

from .manifest import sbom_counts, spec_documents, vex_counts

pytestmark = pytest.mark.corpus


def test_manifest_lists_the_expected_documents(corpus_dir: Path) -> None:
    counts = sbom_counts(corpus_dir)
    versions = {row["spec"] for _, row in counts}
    assert {"1.2", "1.3", "1.4", "1.5", "1.6"} <= versions
    assert {row["enc"] for _, row in counts} == {"JSON", "XML"}
    assert len(vex_counts(corpus_dir)) >= 21
    assert any(not valid for _, valid in spec_documents(corpus_dir))


def test_every_sbom_matches_the_manifest_counts(corpus_dir: Path) -> None:
    checked = 0
    for path, row in sbom_counts(corpus_dir):
        (sbom,) = read_sboms((corpus_dir / path).read_bytes(), path)
        assert sbom.format == "CycloneDX", path
        assert sbom.spec_version == row["spec"], path
        assert sbom.encoding == row["enc"].lower(), path
        assert len(sbom.components) == int(row["total"]), path
        assert len(sbom.dependencies) == int(row["deps"]), path
        assert len(sbom.vulnerabilities) == int(row["vulns"]), path
        checked += 1
    assert checked >= 29


def test_large_sboms_by_name(corpus_dir: Path) -> None:
    expected = dict(sbom_counts(corpus_dir))
    for path in (
        "cyclonedx-bom-examples/SBOM/keycloak-10.0.2/bom.json",
        "cyclonedx-node-npm/demo/juice-shop/example-results/flat/bom.1.6.json",
    ):
        (sbom,) = read_sboms((corpus_dir / path).read_bytes(), path)
        assert len(sbom.components) == int(expected[path]["total"])
        assert all(c.name for c in sbom.components)
        raw = json.loads((corpus_dir / path).read_bytes())
        assert [c.purl for c in sbom.components] == [c.get("purl", "") for c in raw["components"]]


def test_all_vex_use_cases(corpus_dir: Path) -> None:
    rows = vex_counts(corpus_dir)
    for path, vulns, states, components in rows:
        data = (corpus_dir / path).read_bytes()
        (sbom,) = read_sboms(data, path)
        assert len(sbom.vulnerabilities) == vulns, path
        assert {v.state for v in sbom.vulnerabilities if v.state} == states, path
        assert len(sbom.components) == components, path
        report = read_report(data, path)
        assert report.kind == "cyclonedx-vex"
        assert len(report.vulnerabilities) == vulns
        for v in report.vulnerabilities:
            assert v.open == (v.state not in ("not_affected", "resolved", "false_positive")), path
            if v.state == "not_affected":
                assert not v.open


@pytest.mark.parametrize("version", ["1.5", "1.6", "1.7"])
def test_spec_documents_validate_as_upstream_expects(corpus_dir: Path, version: str) -> None:
    seen = 0
    for path, valid in spec_documents(corpus_dir):
        if f"/{version}/" not in path:
            continue
        seen += 1
        data = (corpus_dir / path).read_bytes()
        try:
            (sbom,) = read_sboms(data, path)
        except EvidenceError as exc:
            assert not valid, f"{path}: {exc}"
            assert path in str(exc)
            continue
        validate = validate_json if sbom.encoding == "json" else validate_xml
        errors = validate(data, sbom.spec_version, path)
        assert (errors == []) == valid, (path, errors)
    assert seen >= 3


def test_every_example_json_and_xml_parses(corpus_dir: Path) -> None:
    files = sorted(
        p
        for p in (corpus_dir / "cyclonedx-bom-examples").rglob("*")
        if p.suffix in (".json", ".xml")
    ) + sorted(
        p for p in (corpus_dir / "cyclonedx-node-npm").rglob("*") if p.suffix in (".json", ".xml")
    )
    versions = Counter()
    for path in files:
        (sbom,) = read_sboms(path.read_bytes(), path.name)
        versions[(sbom.spec_version, sbom.encoding)] += 1
    for spec in ("1.2", "1.3", "1.4"):
        assert versions[(spec, "json")] or versions[(spec, "xml")]
    assert versions[("1.6", "xml")] and versions[("1.6", "json")]


def test_corpus_sboms_are_schema_valid(corpus_dir: Path) -> None:
    for path, _row in sbom_counts(corpus_dir):
        data = (corpus_dir / path).read_bytes()
        (sbom,) = read_sboms(data, path)
        validate = validate_json if sbom.encoding == "json" else validate_xml
        assert validate(data, sbom.spec_version, path) == [], path


def test_spdx_document_from_cosign(corpus_dir: Path) -> None:
    path = "cosign/bom-go-mod.spdx.json"
    (sbom,) = read_sboms((corpus_dir / path).read_bytes(), path)
    raw = json.loads((corpus_dir / path).read_bytes())
    assert sbom.format == "SPDX"
    assert sbom.spec_version == raw["spdxVersion"].removeprefix("SPDX-")
    assert len(sbom.components) == len(raw["packages"])
    assert sbom.tools == ("sigs.k8s.io/bom/pkg/spdx",)


def test_in_toto_statements_without_sbom_predicates(corpus_dir: Path) -> None:
    from secdocs.sbom.readers import read_attestations

    for path in sorted((corpus_dir / "in-toto-attestation/statements").glob("*.json")):
        assert read_attestations(path.read_bytes(), path.name) == []
