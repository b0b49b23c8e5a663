"""The benchmark runner: ratios, targets, the final table and the side-by-side plan (no timing)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from types import ModuleType

import pytest


def test_ratio_figure_against_limits(runner: ModuleType) -> None:
    ok = runner.ratio_figure("a", 3.0, 2.0, 1.5)
    assert ok.measured == pytest.approx(1.5) and ok.passed is True
    miss = runner.ratio_figure("b", 3.1, 2.0, 1.5)
    assert miss.passed is False and miss.cells() == ["b", "1.55x", "-", "<= 1.5x", "MISS"]
    share = runner.ratio_figure("c", 1.0, 20.0, 0.10, unit="%")
    share.cpu = 0.2
    assert share.cells() == ["c", "5.0%", "20.0%", "<= 10%", "pass"]
    nothing = runner.ratio_figure("d", 1.0, 0.0, 1.5)
    assert nothing.measured is None and nothing.cells()[1:] == ["n/a", "-", "<= 1.5x", "-"]


def test_parse_ratio_takes_the_last_ratio(runner: ModuleType) -> None:
    output = "in-process: 2.2 ms\nratio process/in-process: 270x\n"
    assert runner.parse_ratio(output) == 270.0
    assert runner.parse_ratio("ratio a: 1.2x\nratio b: 1.35\u00d7\n") == 1.35
    assert runner.parse_ratio("no figures here") is None
    assert runner.parse_ratio(None) is None


def test_parse_releases(runner: ModuleType) -> None:
    assert runner.parse_releases("500,1000") == (500, 1000)
    for bad in ("500", "1000,500", "0,10", "1,2,3"):
        with pytest.raises(Exception, match="two increasing"):
            runner.parse_releases(bad)


def test_render_table(runner: ModuleType) -> None:
    results = runner.Results(
        figures=[
            runner.ratio_figure("build / bare", 2.0, 1.0, 1.5),
            runner.Figure("verify", 200.0, ">= 100x", True),
        ]
    )
    lines = runner.render_table(results).splitlines()
    assert lines[0].split() == ["figure", "measured", "cpu", "time", "target", "result"]
    assert lines[2].split()[-2:] == ["1.5x", "MISS"]
    assert lines[3].split() == ["verify", "200.00x", "-", ">=", "100x", "pass"]


def test_measure_reports_peak_memory_and_failures(runner: ModuleType, tmp_path: Path) -> None:
    log = tmp_path / "log"
    small = runner.measure([sys.executable, "-c", "pass"], tmp_path, log)
    busy = runner.measure([sys.executable, "-c", "sum(range(30_000_000))"], tmp_path, log)
    assert busy.cpu_seconds > small.cpu_seconds > 0
    big = runner.measure(
        [sys.executable, "-c", "x = bytearray(120_000_000); x[::4096] = b'1' * len(x[::4096])"],
        tmp_path,
        log,
    )
    assert big.maxrss_kb - small.maxrss_kb > 100_000
    assert small.seconds > 0
    with pytest.raises(RuntimeError, match="failed"):
        runner.measure([sys.executable, "-c", "raise SystemExit(3)"], tmp_path, log)
    assert "raise SystemExit(3)" in log.read_text()


@pytest.mark.parametrize("checkout", [True, False])
def test_added_tag_is_taken_away_again(
    runner: ModuleType, gen: ModuleType, tmp_path: Path, checkout: bool
) -> None:
    shape = gen.Shape(components=3, artifacts=1, jobs=1)
    project = gen.generate(tmp_path / "p", 2, shape)
    head = gen.git(project, "rev-parse", "main")
    readme = (project / "README.md").read_text()
    with runner.AddedTag(project, checkout=checkout):
        assert gen.release_count(project) == 3
        assert (project / "evidence" / gen.tag_of(2)).is_dir()
        assert ((project / "README.md").read_text() == readme) is not checkout
    assert gen.release_count(project) == 2
    assert gen.git(project, "rev-parse", "main") == head
    assert (project / "README.md").read_text() == readme
    assert not (project / "evidence" / gen.tag_of(2)).exists()


def test_table_pages_hold_the_same_rows(runner: ModuleType) -> None:
    html_page, md_page = runner.table_pages(50)
    assert html_page.count("<tr>") == 51  # header + rows
    assert 'markdown="0"' in html_page
    assert md_page.count("\n| lib-") == 50
    results = runner.Results()
    runner.tables_figure(results, 1, 50)
    figure = results.figures[0]
    assert figure.name.startswith("50-row table") and figure.measured > 0
    assert results.timings["tables"]["rows"] == 50


def test_history_figures_are_ratios_of_medians(
    runner: ModuleType, gen: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The plan and arithmetic of the history figures, with builds replaced by fixed samples."""
    Sample = runner.Sample
    seen: list[tuple[str, int, bool]] = []

    def fake_build(project: Path, log: Path, cold: bool) -> object:
        releases = gen.release_count(project)
        seen.append(("build", releases, cold))
        seconds = {4: 10.0, 5: 1.0, 8: 22.0, 2: 3.0}[releases] if cold else 1.0
        rss = {4: 200_000, 8: 210_000, 2: 100_000}.get(releases, 0)
        return Sample(seconds, rss, cpu_seconds=seconds * 2)

    def fake_verify(project: Path, log: Path, cold: bool) -> object:
        releases = gen.release_count(project)
        seen.append(("verify", releases, cold))
        return Sample(4.0 if cold else 0.2, 50_000 if releases == 4 else 40_000)

    monkeypatch.setattr(runner, "secdocs_build", fake_build)
    monkeypatch.setattr(runner, "secdocs_verify", fake_verify)
    monkeypatch.setattr(
        runner, "bare_build", lambda export, log: Sample(5.0, 90_000, cpu_seconds=4.0)
    )
    monkeypatch.setattr(runner, "measure", lambda argv, cwd, log: Sample(0.0, 0))
    results = runner.Results()
    shape = gen.Shape(components=2, artifacts=1, jobs=1)
    runner.history_figures(results, tmp_path, (4, 8), 2, 2, shape, tmp_path / "log")

    figures = {f.name: f for f in results.figures}
    assert figures["build 4 releases / bare mkdocs"].measured == pytest.approx(2.0)
    assert figures["build 4 releases / bare mkdocs"].passed is False
    assert figures["build 4 releases / bare mkdocs"].cpu == pytest.approx(5.0)
    assert figures["build 8 / 4 releases"].cpu == pytest.approx(2.2)
    assert figures["build 8 / 4 releases"].measured == pytest.approx(2.2)
    assert figures["build 8 / 4 releases"].passed is True
    assert figures["rebuild after one tag / full build"].measured == pytest.approx(0.1)
    assert figures["evidence only (verify): after one tag / full"].measured == pytest.approx(0.05)
    assert figures["peak RSS build 4 / 2 releases"].measured == pytest.approx(2.0)
    assert figures["peak RSS build 4 / 2 releases"].passed is False
    assert figures["peak RSS verify 4 / 2 releases"].measured == pytest.approx(1.25)
    # the rebuild ran on the history with one more tag, after a cold build, with the cache kept
    assert figures["  the same, working tree not checked out"].measured == pytest.approx(0.1)
    assert figures["  verify, working tree not checked out"].measured == pytest.approx(0.05)
    # rebuilds ran on the history with one more tag (tree checked out or not), after a cold
    # build, with the cache kept
    assert seen.count(("build", 5, False)) == 4
    assert seen.count(("build", 4, True)) == 2
    assert seen.count(("verify", 5, False)) == 4
    assert gen.release_count(tmp_path / "history-4") == 4


def test_external_scripts(
    runner: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(runner, "HERE", tmp_path)
    log = tmp_path / "log"
    results = runner.Results()
    runner.verify_figure(results, True, log)
    assert results.figures[-1].measured is None and results.figures[-1].passed is None
    assert "bench_verify.py: not present" in results.notes[-1]

    (tmp_path / "bench_verify.py").write_text("print('ratio process/in-process: 150x')\n")
    table = [
        "schema compile (CycloneDX 1.6, once per process): 80.1 ms",
        "SBOM                        comps  json.loads  (gc off)   secdocs  ratio ratio* validate",
        "-" * 60,
        f"{'keycloak-10.0.2':26} {1234:6d} {8.0:9.2f}ms {7.0:7.2f}ms {9.0:7.2f}ms "
        f"{1.12:6.2f} {1.29:6.2f} {10.0:7.2f}ms",
        f"{'juice-shop npm (1.6)':26} {856:6d} {8.0:9.2f}ms {7.0:7.2f}ms {12.0:7.2f}ms "
        f"{1.5:6.2f} {1.71:6.2f} {10.0:7.2f}ms  OVER TARGET",
        f"{'synthetic 10k (1.6)':26} {10000:6d} {8.0:9.2f}ms {7.0:7.2f}ms {19.0:7.2f}ms "
        f"{2.5:6.2f} {2.71:6.2f} {10.0:7.2f}ms  OVER TARGET",
    ]
    printed = "\n".join(table)
    script = f"import sys\nprint('args', sys.argv[1:])\nprint({printed!r})\nsys.exit(1)\n"
    (tmp_path / "bench_sbom.py").write_text(script)
    runner.verify_figure(results, False, log)
    runner.sbom_figure(results, True, log)
    verify, sbom = results.figures[-2:]
    assert (verify.measured, verify.passed) == (150.0, True)
    assert (sbom.measured, sbom.passed) == (1.71, False)  # the worst corpus SBOM, not synthetic
    assert "keycloak-10.0.2 (1234 components) 1.29x" in sbom.note
    assert "args ['--repeat', '3']" in log.read_text()

    (tmp_path / "bench_sbom.py").write_text("raise SystemExit(2)\n")
    runner.sbom_figure(results, False, log)
    assert results.figures[-1].measured is None
    assert "exited 2" in results.notes[-1]


def test_main_writes_json(
    runner: ModuleType, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "figures.json"
    skip = "history,sbom,verify"
    assert (
        runner.main(["--quick", "--skip", skip, "--workdir", str(tmp_path), "--json", str(out)])
        == 0
    )
    printed = capsys.readouterr().out
    assert "figure" in printed and "2000-row table" in printed
    document = json.loads(out.read_text())
    assert document["figures"][0]["name"].startswith("2000-row table")
    assert "repeats=1" in document["notes"][-1]


def test_cache_counts_and_snapshot(runner: ModuleType, tmp_path: Path) -> None:
    sample = runner.Sample(
        1.0, 1, "secdocs: cache: 3 reused, 9 rebuilt\nsecdocs: cache: 500 reused, 1 rebuilt\n"
    )
    assert runner.cache_counts(sample) == (500, 1)
    assert runner.cache_counts(runner.Sample(1.0, 1, "no cache configured")) is None
    code = runner.snapshot(tmp_path)
    assert (code / "secdocs" / "__init__.py").is_file()
    assert not list(code.rglob("__pycache__"))
