"""Property tests: the readers turn any input into a model or a typed error, never a crash."""

from __future__ import annotations

import contextlib
import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from secdocs.errors import EvidenceError
from secdocs.sbom.readers import (
    read_attestations,
    read_cyclonedx_json,
    read_cyclonedx_xml,
    read_sboms,
    read_spdx_json,
)
from secdocs.sbom.vex import read_report

READERS = (read_sboms, read_cyclonedx_json, read_spdx_json, read_attestations, read_report)

json_values: st.SearchStrategy[Any] = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=25,
)
cdx_keys = st.sampled_from(
    [
        "bomFormat",
        "specVersion",
        "components",
        "dependencies",
        "vulnerabilities",
        "metadata",
        "name",
        "version",
        "licenses",
        "hashes",
        "bom-ref",
        "ref",
        "dependsOn",
        "analysis",
        "ratings",
        "spdxVersion",
        "packages",
        "predicateType",
        "predicate",
        "payload",
        "@context",
        "statements",
        "matches",
        "results",
        "vulns",
    ]
)
shaped: st.SearchStrategy[Any] = st.recursive(
    st.none()
    | st.integers()
    | st.text(max_size=10)
    | st.sampled_from(["CycloneDX", "1.6", "SPDX-2.3"]),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(cdx_keys, children, max_size=5)
    ),
    max_leaves=30,
)


def _only_typed_errors(data: bytes) -> None:
    for reader in READERS:
        try:
            reader(data, "fuzz.json")
        except EvidenceError as exc:
            assert exc.path.startswith("fuzz.json")


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.binary(max_size=300))
def test_random_bytes(data: bytes) -> None:
    _only_typed_errors(data)
    with contextlib.suppress(EvidenceError):
        read_cyclonedx_xml(data, "fuzz.json")


@settings(max_examples=300, deadline=None)
@given(json_values)
def test_random_json(value: Any) -> None:
    _only_typed_errors(json.dumps(value).encode())


@settings(max_examples=400, deadline=None)
@given(shaped)
def test_sbom_shaped_json(value: Any) -> None:
    _only_typed_errors(json.dumps(value).encode())


@settings(max_examples=200, deadline=None)
@given(
    st.recursive(st.text(max_size=5), lambda c: st.lists(c, max_size=3), max_leaves=10),
    st.sampled_from(["bom/1.6", "bom/1.2", "bom/9.9"]),
)
def test_cyclonedx_shaped_xml(texts: Any, ns: str) -> None:
    from xml.sax.saxutils import escape

    def render(node: Any) -> str:
        if isinstance(node, str):
            return f"<name>{escape(node)}</name>"
        return (
            "<components><component>"
            + "".join(render(n) for n in node)
            + "</component></components>"
        )

    doc = f'<bom xmlns="http://cyclonedx.org/schema/{ns}">{render(texts)}</bom>'.encode()
    try:
        read_cyclonedx_xml(doc, "fuzz.xml")
    except EvidenceError as exc:
        assert exc.path == "fuzz.xml"
