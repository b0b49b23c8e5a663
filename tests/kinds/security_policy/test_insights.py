"""The SECURITY-INSIGHTS.yml export against the spec's own schema and templates (corpus)."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from secdocs.kinds.security_policy import insights
from secdocs.kinds.security_policy.model import parse

from ..reports import POLICY, when
from .cue_schema import Schema

TEMPLATES = (
    "template-minimum.yml",
    "template-full.yml",
    "template-multi-repository-project-reuse.yml",
    ".github/security-insights.yml",
)


@pytest.fixture(scope="module")
def schema(corpus_dir: Path) -> Schema:
    return Schema((corpus_dir / "security-insights-spec" / "schema.cue").read_text())


def export() -> dict[str, object]:
    text = insights.dumps(insights.document(parse(POLICY, "widget"), when("2026-10-12")))
    loaded = yaml.safe_load(text)
    assert isinstance(loaded, dict)
    return loaded


@pytest.mark.parametrize("name", TEMPLATES)
def test_the_schema_reader_accepts_the_specs_own_files(
    schema: Schema, corpus_dir: Path, name: str
) -> None:
    # MANIFEST: each "should validate against schema.cue at the same commit"
    document = yaml.safe_load((corpus_dir / "security-insights-spec" / name).read_text())
    assert schema.check(document) == []


def test_the_schema_reader_rejects_a_v1_file(schema: Schema, corpus_dir: Path) -> None:
    # MANIFEST: argo-cd's file is schema 1.0.0 (header.expiration-date, v1 layout): not v2
    path = corpus_dir / "security-insights-projects" / "argoproj-argo-cd" / "SECURITY-INSIGHTS.yml"
    errors = schema.check(yaml.safe_load(path.read_text()))
    assert ".header.url: required" in errors
    assert ".header.expiration-date: not allowed" in errors


def test_export_matches_the_v2_schema(schema: Schema) -> None:
    document = export()
    assert schema.check(document) == []
    header = document["header"]
    assert isinstance(header, dict)
    assert header["schema-version"] == "2.0.0"
    assert header["last-updated"] == "2026-10-12"  # the build date, not the clock


def test_export_has_the_structure_of_the_minimum_template(corpus_dir: Path) -> None:
    template = yaml.safe_load(
        (corpus_dir / "security-insights-spec" / "template-minimum.yml").read_text()
    )
    document = export()

    def keys(value: object, prefix: str = "") -> set[str]:
        if isinstance(value, dict):
            found = set()
            for k, v in value.items():
                found |= {f"{prefix}.{k}"} | keys(v, f"{prefix}.{k}")
            return found
        if isinstance(value, list) and value:
            return keys(value[0], f"{prefix}[]")
        return set()

    missing = (
        keys(template)
        - keys(document)
        - {
            # optional fields the template happens to fill in
            ".header.comment",
            ".project.administrators[].affiliation",
            ".project.administrators[].social",
            ".repository.core-team[].social",
            ".project.repositories[].comment",
        }
    )
    assert {k for k in missing if not k.endswith(("social", "affiliation"))} == set()


def test_a_broken_export_is_caught(schema: Schema) -> None:
    document = copy.deepcopy(export())
    project = document["project"]
    assert isinstance(project, dict)
    del project["administrators"]
    project["surprise"] = True
    errors = schema.check(document)
    assert ".project.administrators: required" in errors
    assert ".project.surprise: not allowed" in errors


def test_missing_facts_are_named() -> None:
    bare = parse({"contacts": ["security@acme.example"]}, "widget")
    assert insights.missing(bare) == [
        "security.insights.repository_url",
        "security.insights.administrators",
        "security.insights.license_url",
        "security.insights.license_expression",
    ]
    assert insights.missing(parse(POLICY, "widget")) == []
