"""The demo project exercises every history path, through the real pipeline."""

from __future__ import annotations

import json
import logging

import pytest

from secdocs.collectors import PageContext
from secdocs.config import load_mkdocs_yml
from secdocs.demo import create_project
from secdocs.demo.history import CONTRIBUTOR, FAKE_SECRETS
from secdocs.kinds.changelog.collect import ChangelogCollector
from secdocs.kinds.config_diff.collect import ConfigDiffCollector
from secdocs.kinds.threat_model.collect import ThreatModelCollector
from secdocs.model import Kind, ReleaseReport, Status
from secdocs.pipeline import exit_status, open_run
from secdocs.render import json as evidence_json


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[ReleaseReport], str, list]:  # type: ignore[type-arg]
    records: list[str] = []

    class Capture(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(self.format(record))

    handler = Capture(logging.DEBUG)
    root_logger = logging.getLogger()
    old_level = root_logger.level
    root_logger.addHandler(handler)
    root_logger.setLevel(logging.DEBUG)
    try:
        return _run(tmp_path_factory, records)
    finally:
        root_logger.removeHandler(handler)
        root_logger.setLevel(old_level)


def _run(tmp_path_factory: pytest.TempPathFactory, records: list[str]):  # type: ignore[no-untyped-def]
    root = create_project(tmp_path_factory.mktemp("demo") / "widget")
    tree = (root / "deploy" / "values.yaml").read_text() + (root / "deploy/nginx.conf").read_text()
    assert FAKE_SECRETS[1] in tree and FAKE_SECRETS[3] in tree  # the secrets are really there
    config, _ = load_mkdocs_yml(root / "mkdocs.yml")
    collectors = [
        ThreatModelCollector(config),
        ChangelogCollector(config),
        ConfigDiffCollector(config),
    ]
    run = open_run(config, collectors)
    try:
        reports = list(run.reports())
    finally:
        run.repo.close()
    shown: list[str] = []
    for report in reports:
        page = PageContext(report.release, "files/", {}, f"releases/{report.release.tag}/index.md")
        for collector in collectors:
            findings = report.findings_of(collector.name)
            assert findings is not None
            shown += [s.body for s in collector.render(findings, page)]
        shown.append(json.dumps(evidence_json.release_json(report)))
    pages = [p for c in collectors for p in c.site_pages(list(reversed(reports)))]
    shown += [p.body for p in pages]
    assert records, "the capture handler saw no log records at all"
    shown += records
    return reports, "\n".join(shown), pages


def by_tag(reports: list[ReleaseReport]) -> dict[str, ReleaseReport]:
    return {r.release.tag: r for r in reports}


def statuses(report: ReleaseReport, kind: str) -> list[Status]:
    return [i.status for i in report.items if i.kind == kind]


def test_plugin_options() -> None:
    options = CONTRIBUTOR.plugin_options()
    assert set(options) == {"threat_model", "changelog", "config_diff"}


def test_threat_model_paths(demo) -> None:  # type: ignore[no-untyped-def]
    reports = by_tag(demo[0])
    assert statuses(reports["v0.9.0"], Kind.THREAT_MODEL) == [Status.MISSING]
    for tag in ("v1.0.0", "v1.1.0", "v1.2.0-rc.1", "v1.2.0", "v2.0.0"):
        assert statuses(reports[tag], Kind.THREAT_MODEL) == [Status.PRESENT], tag
    rc = reports["v1.2.0-rc.1"].findings_of("threat-model")
    assert rc is not None and rc.data["deltas"][0]["nothing_changes"] is True  # type: ignore[index]
    invalid = reports["v1.2.1"]
    assert statuses(invalid, Kind.THREAT_MODEL) == [Status.FAILED]
    (problem,) = [p for p in invalid.problems if p.severity == "error"]
    assert problem.path == "docs/threat-model/deltas/1.2.1.md"
    assert problem.line == 41
    assert "at most 5 risks" in problem.message
    assert exit_status([invalid], strict=True) == 1


def test_risk_register(demo) -> None:  # type: ignore[no-untyped-def]
    (register,) = demo[2]
    assert register.path == "risk-register.md"
    assert "| OIDC-1 |" in register.body and "| AUTH-1 |" in register.body


def test_changelog_paths(demo) -> None:  # type: ignore[no-untyped-def]
    reports = by_tag(demo[0])
    assert statuses(reports["v0.9.0"], Kind.CHANGELOG) == [Status.MISSING]
    v120 = reports["v1.2.0"].findings_of("changelog")
    assert v120 is not None
    assert v120.data["ids"] == ["CVE-2026-40211", "GHSA-2c8m-q5xf-7hgr", "PYSEC-2026-118"]
    quiet = reports["v2.0.0"].findings_of("changelog")
    assert quiet is not None and quiet.data["security"] == []
    assert "https://nvd.nist.gov/vuln/detail/CVE-2026-45520" in demo[1]


def test_config_diff_paths(demo) -> None:  # type: ignore[no-untyped-def]
    reports = by_tag(demo[0])
    v121 = reports["v1.2.1"].findings_of("config-diff")
    assert v121 is not None
    deviations = {
        (d["value"], d["inherited"])
        for f in v121.data["files"]  # type: ignore[union-attr]
        for d in f["tls"]["deviations"]
    }
    assert deviations == {("TLS 1.0", False), ("DES-CBC3-SHA", False)}
    v200 = reports["v2.0.0"].findings_of("config-diff")
    assert v200 is not None and v200.data["tls_deviations"] == 0
    v110 = reports["v1.2.0"].findings_of("config-diff")
    assert v110 is not None
    values = v110.data["files"][0]  # type: ignore[index]
    assert values["path"] == "deploy/values.yaml"  # type: ignore[index]
    password = [c for c in values["changes"] if c["path"] == "database.password"]  # type: ignore[index]
    assert password == [
        {
            "path": "database.password",
            "kind": "changed",
            "old": "«redacted»",
            "new": "«redacted»",
            "redacted": True,
            "security": False,
        }
    ]


def test_demo_secrets_never_shown(demo) -> None:  # type: ignore[no-untyped-def]
    """Pages, evidence.json data and every log record of the run are free of the secrets."""
    assert [s for s in FAKE_SECRETS if s in demo[1]] == []
