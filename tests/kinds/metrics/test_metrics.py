"""Metrics on a fixture history, against figures worked out by hand; charts are valid SVG."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest
from defusedxml.ElementTree import fromstring

from secdocs.kinds.advisories.model import parse as parse_advisory
from secdocs.kinds.metrics import compute
from secdocs.kinds.metrics.collect import contribute, gather, read_register
from secdocs.kinds.metrics.render import Dashboard
from secdocs.kinds.security_policy.model import parse
from secdocs.model import Assurance, Kind, Status
from secdocs.site import SiteContent

from ..reports import POLICY, config, evidence, item, release, report

V, F = Status.VERIFIED, Status.FAILED


def history() -> list:  # oldest first
    r1 = release("v1.0.0", "2026-01-01")
    r2 = release("v1.1.0", "2026-01-31")
    r3 = release("v1.2.0", "2026-03-02")
    r4 = release("v2.0.0", "2026-04-01")
    return [
        report(
            r1,
            [item(Kind.SBOM, "a.cdx.json", V), item(Kind.SIGNATURE, "a.sig", V)],
            vulnerabilities=[
                {"id": "CVE-A", "severity": "critical", "state": ""},
                {"id": "CVE-B", "severity": "high"},
                {"id": "CVE-C", "severity": "medium"},
            ],
        ),
        report(
            r2,
            [
                item(Kind.SBOM, "a.cdx.json", V),
                item(Kind.SIGNATURE, "a.sig", V),
                item(Kind.PROVENANCE, "a.intoto.jsonl", V),
            ],
            vulnerabilities=[
                {"id": "CVE-A", "severity": "Critical"},
                {"id": "CVE-B", "severity": "high", "state": "resolved"},
                {"id": "CVE-D", "severity": "high", "state": "in_triage", "open": True},
                {"id": "CVE-E", "severity": "critical", "state": None, "open": False},
            ],
        ),
        # no SBOM or scan (the collector publishes empty lists): absence is not a fix
        report(
            r3,
            [item(Kind.SIGNATURE, "a.sig", F), item(Kind.PROVENANCE, "p", V)],
            vulnerabilities=[],
            documents=[],
        ),
        report(
            r4,
            [
                item(Kind.SBOM, "a.cdx.json", V),
                item(Kind.SIGNATURE, "a.sig", V),
                item(Kind.PROVENANCE, "a.intoto.jsonl", V),
            ],
            vulnerabilities=[{"id": "CVE-D", "severity": "high"}],
        ),
    ]


def test_coverage_share_per_release_and_over_time() -> None:
    rows = compute.coverage_rows(history())
    # by hand: v1.0.0 sbom+sig (1/1, full 0/1); v1.1.0 all (2/2, 1/2); v1.2.0 none backed
    # (signature failed, no SBOM: 2/3, 1/3); v2.0.0 all (3/4, 2/4)
    assert [(r.sbom, r.signature, r.provenance) for r in rows] == [
        (True, True, False),
        (True, True, True),
        (False, False, True),
        (True, True, True),
    ]
    assert [r.share_basic for r in rows] == [100.0, 100.0, 66.7, 75.0]
    assert [r.share_full for r in rows] == [0.0, 50.0, 33.3, 50.0]


def test_signature_coverage_counts_authenticity_only() -> None:
    """A signature file that is merely present, or a verified check that is not about who signed
    (a matched checksum), does not make a release "signed"."""
    rel = release("v1.0.0", "2026-01-01")
    sbom = item(Kind.SBOM, "a.cdx.json", V)
    for signature in (
        item(Kind.SIGNATURE, "a.sig", Status.PRESENT),
        item(Kind.SIGNATURE, "a.sig", V, Assurance.INTEGRITY),
        item(Kind.SIGNATURE, "a.sig", Status.UNVERIFIABLE),
    ):
        (row,) = compute.coverage_rows([report(rel, [sbom, signature])])
        assert (row.sbom, row.signature, row.share_basic) == (True, False, 0.0), signature
    (row,) = compute.coverage_rows([report(rel, [sbom, item(Kind.SIGNATURE, "a.sig", V)])])
    assert (row.signature, row.share_basic) == (True, 100.0)


def test_time_to_fix_from_sbom_data() -> None:
    spans = {s.id: s for s in compute.spans(history())}
    assert set(spans) == {"CVE-A", "CVE-B", "CVE-D"}  # CVE-C is medium
    # CVE-A: shown 2026-01-01 (v1.0.0), still in v1.1.0, v1.2.0 has no data, gone in v2.0.0
    assert (spans["CVE-A"].fixed_in, spans["CVE-A"].days(None)) == ("v2.0.0", 90)
    # CVE-B: marked resolved in v1.1.0 on 2026-01-31
    assert (spans["CVE-B"].fixed_in, spans["CVE-B"].days(None)) == ("v1.1.0", 30)
    # CVE-D: appears in v1.1.0 (2026-01-31), still open in v2.0.0: 60 days by 2026-04-01
    assert spans["CVE-D"].fixed_in is None
    assert spans["CVE-D"].days(date(2026, 4, 1)) == 60
    summary = {s.severity: s for s in compute.fix_summary(list(spans.values()), None)}
    assert (summary["critical"].fixed, summary["critical"].median_days) == (1, 90)
    assert (summary["high"].fixed, summary["high"].open, summary["high"].worst_days) == (1, 1, 30)
    assert (summary["all"].median_days, summary["all"].worst_days) == (60, 90)


ADVISORY = """---
id: ADV-1
severity: high
affected: "<1.1.0"
fixed_in: v1.1.0
reported: 2025-12-20
aliases: [CVE-B]
---
Body.
"""


def test_advisories_feed_time_to_fix() -> None:
    advisory = parse_advisory(ADVISORY, "adv/ADV-1.md")
    spans = {s.id: s for s in compute.spans(history(), [advisory])}
    assert "CVE-B" not in spans  # the advisory names it as an alias and replaces it
    # reported 2025-12-20, fixed in v1.1.0 on 2026-01-31: 42 days
    assert (spans["ADV-1"].found_in, spans["ADV-1"].days(None)) == ("v1.0.0", 42)
    summary = {s.severity: s for s in compute.fix_summary(list(spans.values()), None)}
    assert summary["all"].median_days == 66  # median of 90 and 42
    medium = parse_advisory(ADVISORY.replace("severity: high", "severity: medium"), "x.md")
    assert compute.advisory_span(medium, [r.release for r in history()]) is None


RISKS = """\
- {id: RA-1, risk: legacy TLS, owner: ops, accepted_on: 2026-01-01, expires_on: 2026-12-31}
- {id: RA-2, risk: unpinned image, owner: ada, accepted_on: 2026-03-02}
- {id: RA-3, risk: old parser, owner: bob, accepted_on: 2025-10-01, expires_on: 2026-03-01}
- {id: RA-4, risk: no owner, accepted_on: 2026-01-01}
"""


def test_risk_acceptances(tmp_path: Path) -> None:
    (tmp_path / "risk-acceptances.yaml").write_text(RISKS)
    raw, problems = read_register(tmp_path, "risk-acceptances.yaml")
    assert problems == []
    items, problems = compute.acceptances(raw, "risk-acceptances.yaml")
    assert [p.message for p in problems] == ["entry 4.owner: is required"]
    today = date(2026, 4, 1)
    assert [a.id for a in items if a.expired(today)] == ["RA-3"]
    summary = compute.acceptance_summary(items, today)
    # open: RA-1 (90 days old) and RA-2 (30 days old): average 60
    assert (summary.open, summary.expired, summary.average_age_days) == (2, 1, 60.0)


VERSION_INDEX = {
    "components": [
        {"name": "a", "version": "1.0", "newest": "1.0"},
        {
            "name": "b",
            "version": "1.0",
            "released": "2026-01-01",
            "newest": "1.1",
            "newest_released": "2026-01-21",
        },
        {
            "name": "c",
            "version": "2.0",
            "released": "2025-01-01",
            "newest": "2.1",
            "newest_released": "2025-03-02",
        },
        {
            "name": "d",
            "version": "0.1",
            "released": "2024-01-01",
            "newest": "0.9",
            "newest_released": "2025-01-01",
        },
        {"name": "e", "version": "0.1", "newest": "0.2"},
    ]
}


def test_dependency_freshness() -> None:
    items, problems = compute.freshness(VERSION_INDEX, "index.json")
    assert [p.message for p in problems] == [
        "components[4].released: expected a date (YYYY-MM-DD), got None"
    ]
    # lags by hand: a 0, b 20, c 60, d 366 (2024 is a leap year)
    assert [f.lag_days for f in items] == [0, 20, 60, 366]
    assert compute.within(items, 30) == 50.0
    assert compute.within(items, 90) == 75.0
    assert compute.within([], 30) is None


def _svg_ok(data: bytes) -> None:
    root = fromstring(data)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert b"<script" not in data and b"kozea.github.io" not in data


def test_dashboard_charts_and_tables(tmp_path: Path) -> None:
    (tmp_path / "risk-acceptances.yaml").write_text(RISKS)
    (tmp_path / "index.json").write_text(json.dumps(VERSION_INDEX))
    (tmp_path / "adv").mkdir()
    (tmp_path / "adv" / "ADV-1.md").write_text(ADVISORY)
    security = {**POLICY, "version_index": "index.json", "advisories": "adv"}
    cfg = config(tmp_path, security)
    dashboard = Dashboard(gather(cfg, parse(security, "widget"), history(), date(2026, 4, 1)), True)
    page = dashboard.page()
    assert set(dashboard.charts) == {
        "metrics/coverage.svg",
        "metrics/time-to-fix.svg",
        "metrics/risk-acceptances.svg",
        "metrics/freshness.svg",
    }
    for svg in dashboard.charts.values():
        _svg_ok(svg)
    # every chart is followed by its data table
    for name in ("coverage", "time-to-fix", "risk-acceptances", "freshness"):
        after = page.split(f'src="{name}.svg"', 1)[1]
        assert "<table" in after.split("<figure", 1)[0]
    assert (
        "75.0% of releases have an SBOM and a signature whose authenticity was verified; "
        "50.0% also have verified provenance"
    ) in page
    assert "2 open acceptance(s), average age 60 days; 1 expired" in page
    assert "50.0% of 4 components are within 30 days" in page
    assert "60 so far" in page  # CVE-D is still open
    assert [p.message for p in dashboard.data.problems] == [
        "entry 4.owner: is required",
        "components[4].released: expected a date (YYYY-MM-DD), got None",
    ]


def test_unknown_freshness_is_said_not_invented(tmp_path: Path) -> None:
    dashboard = Dashboard(gather(config(tmp_path), None, history(), None), True)
    page = dashboard.page()
    assert "Unknown: no version index file was found (set security.version_index)" in page
    assert "No risk register (risk-acceptances.yaml) was found: unknown." in page
    assert "metrics/freshness.svg" not in dashboard.charts
    with_path = Dashboard(
        gather(
            config(tmp_path, {"version_index": "missing.json"}),
            parse({"version_index": "missing.json"}, "w"),
            history(),
            None,
        ),
        True,
    )
    assert "Unknown: no version index file was found at missing.json" in with_path.page()


def test_site_contributor_is_deterministic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1775001600")  # 2026-04-01
    (tmp_path / "risk-acceptances.yaml").write_text(RISKS)
    newest_first = list(reversed(history()))
    outputs = []
    for _ in range(2):
        site = SiteContent()
        contribute(config(tmp_path, POLICY), newest_first, site, True)
        outputs.append((site.pages, site.files))
    assert outputs[0] == outputs[1]
    pages, _files = outputs[0]
    assert set(pages) == {"metrics.md", "practices.md"}
    assert re.search(r"as of 2026-04-01", pages["metrics.md"])


def test_hostile_names_are_escaped(tmp_path: Path) -> None:
    (tmp_path / "risk-acceptances.yaml").write_text(
        '- {id: "<script>x</script>", risk: "<img src=x onerror=alert(1)>",'
        ' owner: "[a](javascript:x)", accepted_on: 2026-01-01}\n'
    )
    evil = release("v1.0.0", "2026-01-01")
    reports = [report(evil, files=[evidence("<b>.sarif", Kind.REPORT)])]
    dashboard = Dashboard(gather(config(tmp_path), None, reports, date(2026, 2, 1)), True)
    page = dashboard.page()
    assert "<script>" not in page and "<img src=x" not in page
    assert "&lt;script&gt;" in page
    for svg in dashboard.charts.values():
        _svg_ok(svg)
