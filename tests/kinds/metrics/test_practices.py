"""The practice coverage matrix: cells backed by classified evidence, tool reports recognised."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from gitutil import new_repo

from secdocs.config import from_mapping
from secdocs.discover import discover
from secdocs.git import GitRepo
from secdocs.kinds.metrics import practices
from secdocs.kinds.metrics.collect import disclosure_cells, gather_practices, sarif_summary
from secdocs.kinds.metrics.render import practices_page
from secdocs.model import Kind, Status
from secdocs.roles import classify

from ..reports import evidence, item, release, report

ACTIVITIES = {a.key: a for a in practices.ACTIVITIES}


def files(*names: str) -> list:
    return [evidence(n, classify(n)) for n in names]


def test_cells_follow_the_classified_evidence() -> None:
    rel = release("v1.0.0", "2026-01-01")
    r = report(
        rel,
        items=[
            item(Kind.SIGNATURE, "w.tar.gz.sigstore.json", Status.VERIFIED),
            item(Kind.THREAT_MODEL, "docs/threat-model/deltas/1.0.0.md", Status.PRESENT),
            item(Kind.PROVENANCE, "w.intoto.jsonl", Status.FAILED),
        ],
        files=files(
            "w.tar.gz.sigstore.json",
            "w.intoto.jsonl",
            "semgrep.sarif",
            "codeql.sarif.json",
            "grype.json",
            "w.openvex.json",
            "pentest-2026.pdf",
            "fuzzing-report.txt",
            "security-tests.junit.xml",
            "w.tar.gz",
        ),
    )
    cell = {key: practices.cell(r, a) for key, a in ACTIVITIES.items()}
    assert cell["sbom"].status is None  # absent
    assert (cell["signing"].status, cell["signing"].files) == (
        Status.VERIFIED,
        ("w.tar.gz.sigstore.json",),
    )
    assert cell["provenance"].status is Status.FAILED
    assert cell["threat-model"].others == ("docs/threat-model/deltas/1.0.0.md",)
    assert cell["sast"].files == ("codeql.sarif.json", "semgrep.sarif")
    assert cell["scan"].files == ("grype.json", "w.openvex.json")
    assert cell["pentest"].files == ("pentest-2026.pdf",)
    assert cell["fuzzing"].files == ("fuzzing-report.txt",)
    assert cell["security-tests"].files == ("security-tests.junit.xml",)


def test_matrix_page_with_disclosure_from_each_tag(tmp_path: Path) -> None:
    repo = new_repo(tmp_path / "p")
    repo.release("v1.0.0")
    repo.release("v1.1.0", **{".github/SECURITY.md": "# Security\n"})
    repo.release("v1.2.0", **{"SECURITY.md": "# Security\n"})
    with GitRepo(repo.root) as git:
        releases = discover(git, "v*").releases
    reports = [
        report(r, files=files("<img src=x>.sarif", "bandit.sarif") if r.tag == "v1.2.0" else [])
        for r in reversed(releases)
    ]
    config = from_mapping({}, repo.root)
    cells = disclosure_cells(config, reports)
    assert cells["v1.0.0"].status is None
    assert cells["v1.1.0"].others == (".github/SECURITY.md",)
    assert cells["v1.2.0"].others == ("SECURITY.md",)
    page = practices_page(gather_practices(config, reports), directory_urls=True)
    assert "<img src=x>" not in page and "&lt;img src&#61;x&gt;.sarif" in page
    assert '<a href="../releases/v1.2.0/files/bandit.sarif">bandit.sarif</a>' in page
    assert "SAST report" in page and "Tool reports in the evidence folders" in page
    # coverage per activity: disclosure in 2 of 3 releases
    assert "<td>Disclosure policy</td><td>2</td><td>3</td>" in page
    empty = practices_page(gather_practices(config, []), True)
    assert "No release tags were found." in empty
    none = practices_page(gather_practices(config, [report(releases[0])]), True)
    assert "No tool reports" in none


def test_unreadable_repository_means_no_disclosure_cells(tmp_path: Path) -> None:
    assert (
        disclosure_cells(replace(from_mapping({}, tmp_path), repo=tmp_path / "nowhere"), []) == {}
    )


def test_sarif_reports_are_summarised(tmp_path: Path) -> None:
    import json

    folder = tmp_path / "evidence" / "v1.0.0"
    folder.mkdir(parents=True)
    sarif = {
        "version": "2.1.0",
        "runs": [
            {"tool": {"driver": {"name": "semgrep"}}, "results": [{}, {}, {}]},
            {"tool": {"driver": {}}},
        ],
    }
    (folder / "semgrep.sarif").write_text(json.dumps(sarif))
    (folder / "broken.sarif").write_text("{not json")
    (folder / "odd.sarif.json").write_text("[]")
    rel = release("v1.0.0", "2026-01-01")
    r = report(rel, files=files("semgrep.sarif", "broken.sarif", "odd.sarif.json"))
    config = from_mapping({}, tmp_path)
    summaries = {f.name: sarif_summary(config, r, f) for f in r.files}
    assert summaries["semgrep.sarif"] == "semgrep: 3 result(s); unnamed tool: 0 result(s)"
    assert summaries["broken.sarif"].startswith("unreadable SARIF: evidence/v1.0.0/broken.sarif")
    assert summaries["odd.sarif.json"] == "not a SARIF log (no runs)"
    page = practices_page(gather_practices(config, [r]), True)
    assert "semgrep&#58; 3 result(s)" in page
