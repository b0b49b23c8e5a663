"""Hostile and odd provenance inputs: each gives a failed/unverifiable item with a reason."""

from __future__ import annotations

import base64
import json

import pytest

from secdocs.demo import signing as demo
from secdocs.errors import SecdocsError
from secdocs.kinds.provenance.collect import MAX_LINES, ProvenanceCollector, _documents
from secdocs.model import Status

ARTIFACT = b"artifact\n"


def _envelope(payload: bytes, payload_type: str = "application/vnd.in-toto+json",
              sigs: object = None) -> bytes:  # fmt: skip
    doc = {
        "payloadType": payload_type,
        "payload": base64.b64encode(payload).decode(),
        "signatures": sigs if sigs is not None else [{"sig": "AAAA"}],
    }
    return json.dumps(doc).encode()


def _items(project, files, **sections):  # type: ignore[no-untyped-def]
    ctx = project.context(files, **sections)
    findings = ProvenanceCollector(ctx.config).collect(ctx)
    return findings, {i.path: i for i in findings.items}


def test_malformed_envelopes(make_project) -> None:  # type: ignore[no-untyped-def]
    project = make_project()
    key = project.write("keys/k.pub", demo.public_pem())
    statement = json.dumps(
        {
            "_type": "https://in-toto.io/Statement/v1",
            "subject": [{"name": "a.bin", "digest": {"sha256": "0" * 64}}],
            "predicateType": "x",
            "predicate": {},
        }
    ).encode()
    files = {
        "a.bin": ARTIFACT,
        "1.intoto.json": _envelope(statement, "text/plain"),
        "2.intoto.json": json.dumps({"payloadType": "x", "payload": 5, "signatures": []}).encode(),
        "3.intoto.json": _envelope(statement, sigs=["x", {"sig": "%%%"}]),
        "4.intoto.json": b"",
        "5.intoto.json": _envelope(b"not json"),
    }
    findings, items = _items(project, files, public_keys=[key])
    assert set(items) == {
        "1.intoto.json",
        "2.intoto.json",
        "3.intoto.json",
        "4.intoto.json",
        "5.intoto.json",
    }
    for name, item in items.items():
        assert item.status is Status.FAILED, name
        assert item.reason, name
    assert findings.problems  # the empty file


def test_non_slsa_statement_cannot_be_checked_for_source(make_project, corpus_dir) -> None:  # type: ignore[no-untyped-def]
    raw = (corpus_dir / "in-toto-attestation/statements/reference-example-1.json").read_bytes()
    _, items = _items(make_project(), {"ref.intoto.json": raw})
    (item,) = items.values()
    checks = {c["name"]: c["result"] for c in item.details["checks"]}
    assert checks["signature"] == "unknown" and checks["predicate"] == "unknown"
    assert item.status is not Status.VERIFIED


def test_bad_key_file_is_reported_for_envelopes(make_project) -> None:  # type: ignore[no-untyped-def]
    project = make_project()
    bad = project.write("keys/bad.pub", b"garbage")
    _, items = _items(
        project, {"a.bin": ARTIFACT, "p.intoto.jsonl": _envelope(b"{}")}, public_keys=[bad]
    )
    (item,) = items.values()
    assert item.status is not Status.VERIFIED


def test_provenance_without_commit(make_project) -> None:  # type: ignore[no-untyped-def]
    from hashlib import sha256

    statement = {
        "_type": "https://in-toto.io/Statement/v0.1",
        "subject": [{"name": "a.bin", "digest": {"sha256": sha256(ARTIFACT).hexdigest()}}],
        "predicateType": "https://slsa.dev/provenance/v0.2",
        "predicate": {"builder": {"id": "b"}},
    }
    _, items = _items(
        make_project(),
        {"a.bin": ARTIFACT, "a.bin.intoto.json": json.dumps(statement).encode()},
        provenance={"source_uri": "github.com/o/r", "builders": ["b"]},
    )
    (item,) = items.values()
    checks = {c["name"]: c["result"] for c in item.details["checks"]}
    assert checks["commit"] == "fail" and checks["builder"] == "pass"
    assert item.status is Status.FAILED


def test_too_many_lines_are_refused() -> None:
    raw = b"\n".join(b"{}" for _ in range(MAX_LINES + 1)) + b"\n{"
    with pytest.raises(SecdocsError, match="more than"):
        _documents(raw, "x")


def test_npm_style_sha512_subjects_and_attestation_wrapper(make_project) -> None:  # type: ignore[no-untyped-def]
    import hashlib

    project = make_project()
    key = project.write("keys/k.pub", demo.public_pem())
    statement = {
        "_type": "https://in-toto.io/Statement/v0.1",
        "subject": [
            {
                "name": "pkg:npm/widget@1.0.0",
                "digest": {"sha512": hashlib.sha512(ARTIFACT).hexdigest()},
            }
        ],
        "predicateType": "https://github.com/npm/attestation/tree/main/specs/publish/v0.1",
        "predicate": {
            "name": "widget",
            "version": "1.0.0",
            "registry": "https://registry.npmjs.org",
        },
    }
    envelope = json.loads(demo.envelope(statement))
    wrapped = json.dumps({"attestations": [{"predicateType": "x", "bundle": envelope}]})
    _, items = _items(
        project,
        {"widget-1.0.0.tgz": ARTIFACT, "npm.intoto.json": wrapped.encode()},
        public_keys=[key],
    )
    (item,) = items.values()
    checks = {c["name"]: c for c in item.details["checks"]}
    assert checks["signature"]["result"] == "pass"
    assert checks["subjects"]["result"] == "pass"
    assert "widget-1.0.0.tgz" in checks["subjects"]["detail"]
    # signed by the registry's key, the tarball's sha512 matches, this release's version
    assert item.kind == "attestation"
    assert item.status is Status.VERIFIED, item.reason
    assert item.details["npm_publish"]["package"] == "widget@1.0.0"
    other = make_project()
    other.write("keys/k.pub", demo.public_pem())
    _, items = _items(
        other,
        {"widget-1.0.0.tgz": ARTIFACT + b"x", "npm.intoto.json": wrapped.encode()},
        public_keys=[key],
    )
    (item,) = items.values()
    assert {c["name"]: c["result"] for c in item.details["checks"]}["subjects"] == "unknown"
