"""The machine-readable evidence index (``evidence.json``), schema version 2."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from importlib.resources import files
from typing import Any

from secdocs import __version__
from secdocs.model import Assurance, EvidenceItem, JSONValue, Problem, ReleaseReport, Status

SCHEMA_VERSION = "2"
SCHEMA_ID = "https://secdocs.dev/schemas/evidence-v2.json"


def schema() -> dict[str, Any]:
    """The JSON Schema ``evidence.json`` follows (shipped in the package)."""
    text = files("secdocs").joinpath("schemas/evidence-v2.json").read_text("utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def item_json(item: EvidenceItem) -> dict[str, JSONValue]:
    return {
        "kind": item.kind,
        "path": item.path,
        "status": item.status.value,
        "assurance": item.assurance.value if item.assurance is not None else None,
        "reason": item.reason,
        "collector": item.collector,
        "signer": (
            {"identity": item.signer.identity, "issuer": item.signer.issuer}
            if item.signer
            else None
        ),
        "details": dict(item.details),
    }


def problem_json(problem: Problem) -> dict[str, JSONValue]:
    return {
        "severity": problem.severity,
        "path": problem.path,
        "line": problem.line,
        "message": problem.message,
    }


def release_json(report: ReleaseReport, files_url: str | None = None) -> dict[str, JSONValue]:
    release = report.release
    status = report.status
    return {
        "tag": release.tag,
        "version": release.version,
        "commit": release.commit,
        "date": release.date.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "prerelease": release.prerelease,
        "annotated": release.annotated,
        "tagger": release.tagger,
        "message": release.message,
        "previous": release.previous,
        "next": release.next,
        "evidence_dir": report.evidence_dir,
        "status": status.value if status else None,
        "status_counts": dict(report.status_counts()),
        "assurance_counts": dict(report.assurance_counts()),
        "files": [
            {
                "name": f.name,
                "size": f.size,
                "sha256": f.sha256,
                "role": f.role,
                "url": f"{files_url}{_published(f.name)}" if files_url is not None else None,
            }
            for f in report.files
        ],
        "items": [item_json(i) for i in report.items],
        "problems": [problem_json(p) for p in report.problems],
        "collectors": {f.collector: dict(f.data) for f in report.findings if f.data},
    }


def _published(name: str) -> str:
    from secdocs.render.pages import published_name

    return published_name(name)


def document(
    releases: Sequence[Mapping[str, JSONValue]],
    project: str | None,
    problems: Sequence[Problem] = (),
    latest: str | None = None,
) -> dict[str, JSONValue]:
    counts = {s.value: 0 for s in Status}
    assurances = {a.value: 0 for a in Assurance}
    for release in releases:
        for field, totals in (("status_counts", counts), ("assurance_counts", assurances)):
            release_counts = release[field]
            if isinstance(release_counts, Mapping):
                for key, value in release_counts.items():
                    totals[key] += int(value)  # type: ignore[arg-type]
    return {
        "$schema": SCHEMA_ID,
        "schema_version": SCHEMA_VERSION,
        "generator": {"name": "secdocs", "version": __version__},
        "project": project,
        "latest": latest,
        "summary": {
            "releases": len(releases),
            "status_counts": dict(counts),
            "assurance_counts": dict(assurances),
        },
        "problems": [problem_json(p) for p in problems],
        "releases": list(releases),
    }


def dumps(value: JSONValue) -> str:
    """Canonical output: sorted keys, two-space indent, trailing newline."""
    return json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
