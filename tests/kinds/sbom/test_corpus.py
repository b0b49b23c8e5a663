"""The sbom kind on the shared corpus, read in place; expectations from MANIFEST.md."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from gitutil import new_repo
from sbom.manifest import sbom_counts

from secdocs.collectors import PageContext, ReleaseContext
from secdocs.config import from_mapping
from secdocs.discover import discover
from secdocs.evidence import scan
from secdocs.git import GitRepo
from secdocs.kinds.sbom.collect import SbomCollector, SbomDetail
from secdocs.kinds.sbom.diff import diff_components
from secdocs.kinds.sbom.render import FIRST_ROWS
from secdocs.model import Status
from secdocs.sbom.readers import read_sboms

pytestmark = pytest.mark.corpus


def test_proton_bridge_diff_against_an_independent_count(corpus_dir: Path) -> None:
    folder = corpus_dir / "cyclonedx-bom-examples/SBOM/proton-bridge"
    old_path, new_path = (
        folder / "proton-bridge-v1.6.3.bom.json",
        folder / "proton-bridge-v1.8.0.bom.json",
    )
    (old,) = read_sboms(old_path.read_bytes(), old_path.name)
    (new,) = read_sboms(new_path.read_bytes(), new_path.name)
    diff = diff_components(old.components, new.components, "v1.6.3")

    def versions(path: Path) -> dict[str, set[str]]:
        out: dict[str, set[str]] = {}
        for c in json.loads(path.read_bytes())["components"]:
            base = c["purl"].split("?")[0]
            out.setdefault(base.rsplit("@", 1)[0], set()).add(c["version"])
        return out

    before, after = versions(old_path), versions(new_path)
    changed = {k for k in before.keys() & after.keys() if before[k] != after[k]}
    assert len(diff.added) == sum(len(after[k]) for k in after.keys() - before.keys())
    assert len(diff.removed) == sum(len(before[k]) for k in before.keys() - after.keys())
    assert {c.key for c in diff.upgraded + diff.downgraded + diff.changed} == changed
    assert changed, "the two proton-bridge releases differ"
    by_key = {c.key: c for c in diff.upgraded}
    resty = by_key["pkg:golang/github.com/go-resty/resty/v2"]
    assert (resty.old, resty.new) == ("v2.3.0", "v2.6.0")


def _in_place(tmp_path: Path, folder: Path, names: list[str], tag: str) -> ReleaseContext:
    """A release whose evidence folder is a corpus folder, read in place (nothing is copied)."""
    repo = new_repo(tmp_path / tag)
    repo.release(tag)
    git_repo = GitRepo(repo.root)
    release = discover(git_repo, "v*").releases[0]
    files = tuple(f for f in scan(folder, 64 << 20).files if f.name in names)
    assert len(files) == len(names)
    return ReleaseContext(
        release, None, from_mapping({}, repo.root), git_repo, folder, str(folder), files
    )


def test_collector_on_corpus_vex_and_bom(corpus_dir: Path, tmp_path: Path) -> None:
    folder = corpus_dir / "cyclonedx-bom-examples/VEX"
    collector = SbomCollector(from_mapping({}, tmp_path))
    findings = collector.collect(_in_place(tmp_path, folder, ["bom.json", "vex.json"], "v1.0.0"))
    expected = dict(sbom_counts(corpus_dir))["cyclonedx-bom-examples/VEX/bom.json"]
    assert findings.data["primary"]["components"] == int(expected["total"])
    (vuln,) = findings.data["vulnerabilities"]
    assert vuln["state"] == "not_affected" and vuln["open"] is False
    assert vuln["component"].startswith("pkg:maven/com.fasterxml.jackson.core/jackson-databind")
    assert findings.data["open_vulnerabilities"] == {}
    statuses = {(i.kind, i.path): i.status for i in findings.items}
    assert statuses == {("sbom", "bom.json"): Status.VERIFIED, ("vex", "vex.json"): Status.PRESENT}


def test_collector_diff_of_proton_bridge_in_place(corpus_dir: Path, tmp_path: Path) -> None:
    folder = corpus_dir / "cyclonedx-bom-examples/SBOM/proton-bridge"
    collector = SbomCollector(from_mapping({}, tmp_path))
    old = collector.collect(
        _in_place(tmp_path, folder, ["proton-bridge-v1.6.3.bom.json"], "v1.6.3")
    )
    new = collector.collect(
        _in_place(tmp_path, folder, ["proton-bridge-v1.8.0.bom.json"], "v1.8.0")
    )
    # "*.bom.json" is left as an artifact by the core; the collector recognises it by content
    assert [i.status for i in old.items] == [Status.VERIFIED]
    new = collector.compare(old, new)
    counts = new.data["diff"]["counts"]
    detail = new.detail
    assert isinstance(detail, SbomDetail) and detail.diff is not None
    assert counts["upgraded"] == len(detail.diff.upgraded) > 0
    assert new.data["diff"]["previous"] == "v1.6.3"


def test_collector_on_juice_shop(corpus_dir: Path, tmp_path: Path) -> None:
    folder = corpus_dir / "cyclonedx-node-npm/demo/juice-shop/example-results/flat"
    collector = SbomCollector(from_mapping({}, tmp_path))
    ctx = _in_place(tmp_path, folder, ["bom.1.6.json"], "v14.1.1")
    findings = collector.collect(ctx)
    expected = dict(sbom_counts(corpus_dir))[
        "cyclonedx-node-npm/demo/juice-shop/example-results/flat/bom.1.6.json"
    ]
    assert [i.status for i in findings.items] == [Status.VERIFIED]
    assert findings.data["primary"]["components"] == int(expected["total"])
    page = PageContext(ctx.release, "files/", {}, "releases/v14.1.1/index.md", True)
    (sbom_page,) = collector.extra_pages(findings, page, "releases/v14.1.1/")
    # the first rows as HTML, every other component as the table script's JSON data
    rows = sbom_page.body.count("<tr data-type=")
    data = sbom_page.body.split('data-secdocs-rows="secdocs-sbom-components">', 1)[1]
    records = json.loads(data.split("</script>", 1)[0])
    assert rows == FIRST_ROWS
    assert rows + len(records) == int(expected["total"])
