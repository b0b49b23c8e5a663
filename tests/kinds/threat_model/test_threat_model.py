"""The threat-model collector on real git repositories, its release-page section and register."""

from __future__ import annotations

from pathlib import Path

import pytest

from secdocs.collectors import PageContext
from secdocs.config import from_mapping
from secdocs.errors import ConfigError
from secdocs.kinds.threat_model.collect import (
    REGISTER_PAGE,
    ThreatModelCollector,
    risk_register,
)
from secdocs.model import Findings, Kind, Status

from ..releaserepo import History, Step, build_repo

DELTA = """---
title: {title}
---
## What changes
{title}

## Data touched
None.

## Trust boundaries
None.

## Risks
{risks}
"""


def delta(title: str, *risks: tuple[str, str]) -> str:
    body = (
        "".join(
            f"### {rid}: risk {rid}\n- Mitigation: fix {rid}\n- Status: {status}\n\n"
            for rid, status in risks
        )
        or "No new risks.\n"
    )
    return DELTA.format(title=title, risks=body)


def page(history: History, tag: str) -> PageContext:
    return PageContext(history.by_tag[tag], "files/", {}, f"releases/{tag}/index.md")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    d = "docs/threat-model/deltas"
    return build_repo(
        tmp_path / "repo",
        [
            Step({f"{d}/1.0.0.md": delta("first", ("R1", "open"), ("R2", "open"))}, tag="v1.0.0"),
            Step(
                {f"{d}/1.1.0.md": delta("second", ("R1", "mitigated"), ("R3", "accepted"))},
                tag="v1.1.0",
            ),
            Step({"README.md": "no delta this time"}, tag="v1.2.0"),
            Step({f"{d}/1.3.0.md": "---\nchanges: none\n---\n"}, tag="v1.3.0"),
            Step({f"{d}/2.0.0.md": risks_over_limit()}, tag="v2.0.0"),
        ],
    )


def risks_over_limit() -> str:
    return delta("too many", *[(f"X{n}", "open") for n in range(6)])


def collect(history: History) -> dict[str, Findings]:
    return history.run(ThreatModelCollector(history.config))


def test_statuses_per_release(repo: Path) -> None:
    found = collect(History(repo))
    summary = {tag: [(i.kind, i.status, i.path) for i in f.items] for tag, f in found.items()}
    d = "docs/threat-model/deltas"
    assert summary == {
        "v1.0.0": [(Kind.THREAT_MODEL, Status.PRESENT, f"{d}/1.0.0.md")],
        "v1.1.0": [(Kind.THREAT_MODEL, Status.PRESENT, f"{d}/1.1.0.md")],
        "v1.2.0": [(Kind.THREAT_MODEL, Status.MISSING, None)],
        "v1.3.0": [(Kind.THREAT_MODEL, Status.PRESENT, f"{d}/1.3.0.md")],
        "v2.0.0": [(Kind.THREAT_MODEL, Status.FAILED, f"{d}/2.0.0.md")],
    }
    assert found["v1.2.0"].items[0].reason == (
        f"no threat-model delta at v1.2.0: expected {d}/1.2.0.md"
    )
    failed = found["v2.0.0"]
    assert failed.items[0].reason is not None
    assert f"{d}/2.0.0.md:" in failed.items[0].reason
    (problem,) = failed.problems
    text = risks_over_limit().split("\n")
    assert (problem.path, problem.line) == (f"{d}/2.0.0.md", text.index("### X5: risk X5") + 1)
    assert found["v1.3.0"].data["deltas"][0]["nothing_changes"] is True  # type: ignore[index]


def test_reads_the_tag_not_the_working_tree(repo: Path) -> None:
    (repo / "docs/threat-model/deltas/1.2.0.md").write_text(delta("uncommitted"))
    (repo / "docs/threat-model/deltas/1.0.0.md").write_text("garbage")
    found = collect(History(repo))
    assert found["v1.2.0"].items[0].status is Status.MISSING
    assert found["v1.0.0"].items[0].status is Status.PRESENT


def test_configured_path_with_tag_placeholder(tmp_path: Path) -> None:
    root = build_repo(
        tmp_path / "r", [Step({"security/v1.0.0.md": delta("tagged", ("A", "open"))}, tag="v1.0.0")]
    )
    history = History(root, {"threat_model": {"path": "security/{tag}.md"}})
    found = collect(history)
    assert found["v1.0.0"].items[0].status is Status.PRESENT
    assert found["v1.0.0"].data["risks"] == 1


def test_folder_takes_files_added_since_the_previous_tag(tmp_path: Path) -> None:
    root = build_repo(
        tmp_path / "r",
        [
            Step(
                {"tm/changes/a.md": delta("a", ("A", "open")), "tm/changes/notes.txt": "x"},
                tag="v1.0.0",
            ),
            Step(
                {
                    "tm/changes/b.md": delta("b", ("B", "open")),
                    "tm/changes/c.md": "---\nchanges: none\n---\n",
                },
                tag="v1.1.0",
            ),
            Step({"tm/changes/a.md": delta("a edited", ("A", "mitigated"))}, tag="v1.2.0"),
        ],
    )
    history = History(root, {"threat_model": {"folder": "tm/changes/"}})
    found = collect(history)
    paths = {tag: [(i.path, i.status) for i in f.items] for tag, f in found.items()}
    assert paths == {
        "v1.0.0": [("tm/changes/a.md", Status.PRESENT)],
        "v1.1.0": [("tm/changes/b.md", Status.PRESENT), ("tm/changes/c.md", Status.PRESENT)],
        "v1.2.0": [(None, Status.MISSING)],
    }
    assert "a new .md file under tm/changes/" in (found["v1.2.0"].items[0].reason or "")


def test_oversized_delta_fails_with_the_reason(tmp_path: Path) -> None:
    root = build_repo(
        tmp_path / "r",
        [Step({"docs/threat-model/deltas/1.0.0.md": delta("x") + "y" * 5000}, tag="v1.0.0")],
    )
    found = collect(History(root, max_file_size=1000))
    item = found["v1.0.0"].items[0]
    assert item.status is Status.FAILED
    assert item.reason is not None and "exceeds the limit of 1000" in item.reason


@pytest.mark.parametrize(
    ("value", "key"),
    [
        (["a list"], "threat_model"),
        ({"path": ""}, "threat_model.path"),
        ({"path": "../outside/{version}.md"}, "threat_model.path"),
        ({"folder": "/abs"}, "threat_model.folder"),
        ({"paht": "x"}, "threat_model.paht"),
    ],
)
def test_bad_options(tmp_path: Path, value: object, key: str) -> None:
    with pytest.raises(ConfigError) as info:
        from_mapping({"threat_model": value}, tmp_path)
    assert info.value.key == key


def test_release_section_escapes_the_delta(tmp_path: Path) -> None:
    hostile = DELTA.format(
        title="<script>alert(1)</script>",
        risks="### R1: <img src=x onerror=alert(1)>\n"
        "- Mitigation: <b>bold</b> [x](javascript:alert(1))\n",
    ).replace("None.", "<iframe src=//evil></iframe>", 1)
    root = build_repo(
        tmp_path / "r", [Step({"docs/threat-model/deltas/1.0.0.md": hostile}, tag="v1.0.0")]
    )
    history = History(root)
    collector = ThreatModelCollector(history.config)
    found = collect(history)["v1.0.0"]
    (section,) = collector.render(found, page(history, "v1.0.0"))
    assert section.id == "threat-model"
    for raw in ("<script", "<img", "<iframe", "<b>", "javascript:"):
        assert raw not in section.body
    assert "&lt;script&gt;" in section.body
    assert 'href="../../risk-register/"' in section.body


def test_section_shows_problems_missing_and_nothing_changes(repo: Path) -> None:
    history = History(repo)
    collector = ThreatModelCollector(history.config)
    found = collect(history)
    bodies = {tag: collector.render(f, page(history, tag))[0].body for tag, f in found.items()}
    assert "No threat-model delta was found" in bodies["v1.2.0"]
    assert "Nothing changes" in bodies["v1.3.0"]
    assert "at most 5 risks" in bodies["v2.0.0"]
    assert "secdocs-failed" in bodies["v2.0.0"]
    # the problems stand in a Material admonition, a failure one since they are errors
    admonition = bodies["v2.0.0"].split(
        '<div class="admonition failure secdocs-section-problems">', 1
    )
    assert len(admonition) == 2, bodies["v2.0.0"]
    assert "at most 5 risks" in admonition[1].split("</div>", 1)[0]
    assert "secdocs-section-problems" not in bodies["v1.3.0"]
    assert collector.render(Findings("threat-model"), page(history, "v1.0.0")) == ()


def test_risk_register_follows_risks_across_releases(repo: Path) -> None:
    history = History(repo)
    collector = ThreatModelCollector(history.config)
    reports = history.reports(collector)
    entries = {e.id: e for e in risk_register(reports)}
    assert set(entries) == {"R1", "R2", "R3"}  # the invalid delta's risks are not counted
    assert (entries["R1"].introduced_in, entries["R1"].mitigated_in, entries["R1"].still_open) == (
        "v1.0.0",
        "v1.1.0",
        False,
    )
    assert (entries["R2"].introduced_in, entries["R2"].mitigated_in, entries["R2"].still_open) == (
        "v1.0.0",
        None,
        True,
    )
    assert (entries["R3"].status, entries["R3"].still_open) == ("accepted", False)
    (register,) = collector.site_pages(reports)
    assert (register.path, register.nav, register.title) == (REGISTER_PAGE, True, "Risk register")
    assert "1 of 3 risks are still open." in register.body
    assert "[v1.0.0](releases/v1.0.0/index.md)" in register.body
    # open risks first
    assert register.body.index("| R2 |") < register.body.index("| R1 |")


def test_register_reopened_risk_and_empty(tmp_path: Path) -> None:
    d = "docs/threat-model/deltas"
    root = build_repo(
        tmp_path / "r",
        [
            Step({f"{d}/1.0.0.md": delta("a", ("R1", "mitigated"))}, tag="v1.0.0"),
            Step({f"{d}/1.1.0.md": delta("b", ("r1", "open"))}, tag="v1.1.0"),
        ],
    )
    history = History(root)
    (entry,) = risk_register(history.reports(ThreatModelCollector(history.config)))
    assert (entry.id, entry.mitigated_in, entry.still_open, entry.last_seen) == (
        "R1",
        None,
        True,
        "v1.1.0",
    )
    (empty,) = ThreatModelCollector(history.config).site_pages([])
    assert "No threat-model delta has named a risk yet." in empty.body


def test_folder_diff_failure_is_reported(tmp_path: Path) -> None:
    from dataclasses import replace

    root = build_repo(
        tmp_path / "r",
        [Step({"tm/a.md": delta("a")}, tag="v1.0.0"), Step({"tm/b.md": delta("b")}, tag="v1.1.0")],
    )
    history = History(root, {"threat_model": {"folder": "tm"}})
    ctx = history.ctx("v1.1.0")
    assert ctx.previous is not None
    broken = replace(ctx, previous=replace(ctx.previous, commit="f" * 40))
    found = ThreatModelCollector(history.config).collect(broken)
    (item,) = found.items
    assert (item.status, item.path) == (Status.FAILED, "tm/")
    assert item.reason is not None and "cannot diff" in item.reason
