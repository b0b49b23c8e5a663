from __future__ import annotations

from importlib.metadata import EntryPoint, entry_points
from pathlib import Path

import pytest
from test_site import build, make_project

from secdocs.collectors import load_collectors
from secdocs.config import Config, from_mapping
from secdocs.errors import ConfigError


def from_mapping_collectors(root: Path, collectors: dict[str, object]) -> Config:
    return from_mapping({"collectors": collectors}, root)


def _installed() -> list[EntryPoint]:
    return list(entry_points(group="secdocs.collectors"))


def test_builtins_run_and_third_party_only_when_enabled(tmp_path: Path) -> None:
    names = [c.name for c in load_collectors(from_mapping({}, tmp_path))]
    assert "files" in names and "checksums" in names
    assert "junit" not in names
    enabled = load_collectors(from_mapping_collectors(tmp_path, {"junit": {"require": True}}))
    junit = next(c for c in enabled if c.name == "junit")
    assert junit.options == {"require": True}


def test_unknown_collector_and_name_clash_are_errors(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no installed collector"):
        load_collectors(from_mapping_collectors(tmp_path, {"nope": {}}))
    clash = [*_installed(), EntryPoint("junit", "secdocs.kinds.files.collect:FilesCollector",
                                       "secdocs.collectors")]
    with pytest.raises(ConfigError, match="share this name"):
        load_collectors(from_mapping({}, tmp_path), clash)


def test_broken_entry_points_are_errors(tmp_path: Path) -> None:
    group = "secdocs.collectors"
    for value, message in (
        ("secdocs.nope:Thing", "cannot load"),
        ("secdocs.config:Config", "not a secdocs Collector"),
        ("secdocs.kinds.files.collect:FilesCollector", "calls itself"),
    ):
        eps = [EntryPoint("extra", value, group)]
        with pytest.raises(ConfigError, match=message):
            load_collectors(from_mapping_collectors(tmp_path, {"extra": {}}), eps)


def test_junit_plugin_end_to_end(tmp_path: Path) -> None:
    extra = "      collectors:\n        junit:\n          require: true"
    repo = make_project(tmp_path, extra=extra)
    repo.evidence("v1.0.0", "security.junit.xml",
                  '<testsuites><testsuite name="s" tests="12" failures="0" errors="0" skipped="1"/>'
                  "</testsuites>")
    repo.evidence("v1.1.0", "security.junit.xml",
                  '<testsuite name="s" tests="5" failures="2" errors="0"/>')
    site = tmp_path / "site"
    assert build(repo, site) == 0
    v100 = (site / "releases" / "v1.0.0" / "index.html").read_text()
    assert "Test reports" in v100
    import json

    index = json.loads((site / "evidence.json").read_text())
    items = {r["tag"]: [i for i in r["items"] if i["collector"] == "junit"]
             for r in index["releases"]}
    assert items["v1.0.0"][0]["status"] == "present"
    assert items["v1.0.0"][0]["details"]["tests"] == 12
    assert items["v1.1.0"][0]["status"] == "failed"
    assert "2 of 5 tests failed" in items["v1.1.0"][0]["reason"]
    assert items["v2.0.0-rc.1"][0]["status"] == "missing"
