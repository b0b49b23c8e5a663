"""The demo project's signatures and provenance, through the pipeline with the verification
collectors: everything signed verifies, the release candidate's unsigned wheel is missing."""

from __future__ import annotations

import pickle
from pathlib import Path

from secdocs.collectors import PageContext
from secdocs.config import load_mkdocs_yml
from secdocs.demo import create_project
from secdocs.kinds.provenance.collect import ProvenanceCollector
from secdocs.kinds.signatures.collect import SignaturesCollector
from secdocs.kinds.tag_signatures.collect import TagSignaturesCollector
from secdocs.model import Kind, Status
from secdocs.pipeline import open_run


def test_demo_evidence_verifies(tmp_path: Path) -> None:
    root = create_project(tmp_path / "demo")
    config, _ = load_mkdocs_yml(root / "mkdocs.yml")
    collectors = [
        SignaturesCollector(config),
        ProvenanceCollector(config),
        TagSignaturesCollector(config),
    ]
    run = open_run(config, collectors)
    reports = list(run.reports())
    run.repo.close()
    statuses: dict[tuple[str, str], Status] = {}
    for report in reports:
        for item in report.items:
            if item.kind in (Kind.SIGNATURE, Kind.PROVENANCE, Kind.TAG_SIGNATURE):
                statuses[(report.release.tag, item.path or "")] = item.status
        for findings in report.findings:
            assert pickle.loads(pickle.dumps(findings)) == findings  # noqa: S301 - own data
        page = PageContext(report.release, "files/", {})
        for collector in collectors:
            findings_of = report.findings_of(collector.name)
            if findings_of is not None:
                for section in collector.render(findings_of, page):
                    assert "<script" not in section.body
    assert statuses[("v1.0.0", "widget-1.0.0.tar.gz.sig")] is Status.VERIFIED
    assert statuses[("v1.0.0", "widget-1.0.0.intoto.jsonl")] is Status.VERIFIED
    assert statuses[("v2.0.0", "widget-2.0.0-py3-none-any.whl.sig")] is Status.VERIFIED
    assert statuses[("v1.2.0-rc.1", "widget-1.2.0rc1-py3-none-any.whl")] is Status.MISSING
    assert statuses[("v1.0.0", "refs/tags/v1.0.0")] is Status.MISSING
    assert not any(s is Status.FAILED for s in statuses.values())
