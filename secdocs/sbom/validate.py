"""Schema validation of CycloneDX documents, offline.

JSON: jsonschema-rs with the CycloneDX JSON schemas that cyclonedx-python-lib ships inside its
package (``cyclonedx/schema/_res``); ``$ref`` s to the SPDX licence-id and JSF schemas are served
from the same folder by a retriever, so no network is ever touched. Formats are checked. One
compiled validator per spec version is cached for the process. On this machine the juice-shop
SBOM (1,101 components) validates in about 4 ms after an 8 ms compile (see
``benchmarks/bench_sbom.py``), so validation is on by default.

XML: cyclonedx-python-lib's :class:`XmlValidator` (lxml with ``no_network`` and without entity
resolution) against the XSDs shipped in the same folder — called only after defusedxml accepted
the document. SPDX documents are not schema-validated (no offline schema ships with the installed
libraries); they are reported as present, never as verified.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

import cyclonedx.schema._res as cdx_res
import jsonschema_rs
import msgspec

from secdocs.errors import EvidenceError
from secdocs.sbom.readers import gc_paused

SCHEMA_DIR = Path(cdx_res.__file__).parent
#: 1.2 and 1.3 are checked against the strict variants, as the CycloneDX test suite does.
JSON_SCHEMAS = {
    "1.2": "bom-1.2-strict.SNAPSHOT.schema.json",
    "1.3": "bom-1.3-strict.SNAPSHOT.schema.json",
    "1.4": "bom-1.4.SNAPSHOT.schema.json",
    "1.5": "bom-1.5.SNAPSHOT.schema.json",
    "1.6": "bom-1.6.SNAPSHOT.schema.json",
    "1.7": "bom-1.7.SNAPSHOT.schema.json",
}
XML_VERSIONS = ("1.0", "1.1", "1.2", "1.3", "1.4", "1.5", "1.6", "1.7")
MAX_ERRORS = 3


def _retrieve(uri: str) -> Any:
    """Serve ``$ref`` targets from the shipped schema folder; refuse anything else."""
    name = uri.split("#", 1)[0].rstrip("/").rsplit("/", 1)[-1]
    candidate = SCHEMA_DIR / name
    if not name.endswith(".schema.json") or not candidate.is_file():
        raise ValueError(f"schema {uri} is not available offline")
    return json.loads(candidate.read_text(encoding="utf-8"))


@functools.cache
def json_validator(spec_version: str) -> Any:
    """The compiled jsonschema-rs validator of one CycloneDX version (cached)."""
    name = JSON_SCHEMAS.get(spec_version)
    if name is None:
        raise KeyError(spec_version)
    schema = json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))
    return jsonschema_rs.validator_for(schema, validate_formats=True, retriever=_retrieve)


def _pointer(parts: Any) -> str:
    return "/" + "/".join(str(p) for p in parts) if parts else "/"


def validate_json(data: bytes | memoryview, spec_version: str, path: str) -> list[str]:
    """Schema errors of a CycloneDX JSON document (empty when valid), at most :data:`MAX_ERRORS`.

    Raises :class:`EvidenceError` when the version has no JSON schema (1.0/1.1 were XML-only).
    """
    try:
        validator = json_validator(spec_version)
    except KeyError:
        raise EvidenceError(
            path, f"no JSON schema for CycloneDX {spec_version} (JSON exists from 1.2)"
        ) from None
    errors: list[str] = []
    with gc_paused():
        try:
            instance = msgspec.json.decode(data)
        except (msgspec.DecodeError, RecursionError) as exc:
            raise EvidenceError(path, f"invalid JSON: {exc}") from exc
        for error in validator.iter_errors(instance):
            errors.append(f"{_pointer(error.instance_path)}: {_short(error.message)}")
            if len(errors) >= MAX_ERRORS:
                break
        del instance
    return errors


@functools.cache
def xml_validator(spec_version: str) -> Any:
    from cyclonedx.schema import SchemaVersion
    from cyclonedx.validation.xml import XmlValidator

    return XmlValidator(SchemaVersion.from_version(spec_version))


def validate_xml(data: bytes, spec_version: str, path: str) -> list[str]:
    """XSD errors of a CycloneDX XML document that defusedxml already accepted."""
    if spec_version not in XML_VERSIONS:
        raise EvidenceError(path, f"no XML schema for CycloneDX {spec_version}")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise EvidenceError(path, f"not UTF-8: {exc.reason}") from exc
    errors = xml_validator(spec_version).validate_str(text, all_errors=True)
    if errors is None:
        return []
    out = []
    for error in errors:
        detail = error.data
        line = getattr(detail, "line", None)
        message = getattr(detail, "message", str(detail))
        out.append(f"line {line}: {_short(message)}" if line else _short(message))
        if len(out) >= MAX_ERRORS:
            break
    return out


def _short(message: str, limit: int = 300) -> str:
    message = " ".join(message.split())
    return message if len(message) <= limit else message[: limit - 1] + "…"
