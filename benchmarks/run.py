"""secdocs speed at scale: every figure as a ratio measured side by side in one run.

Usage (``make bench`` runs the first form)::

    .venv/bin/python benchmarks/run.py                      # 500 and 1,000 releases, 3 repeats
    .venv/bin/python benchmarks/run.py --quick              # small histories, a smoke run (< 60 s)
    .venv/bin/python benchmarks/run.py --releases 200,400 --repeats 5 --json figures.json

Absolute times on a shared 2-core machine are noise; ratios of medians measured in the same run
are what to compare with the targets. Every build is a fresh process (``os.wait4`` gives its wall
time and peak RSS), so import time and in-process caches count as they do for a user.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402

PYTHON = sys.executable
TABLE_ROWS = 2000


@dataclass
class Figure:
    name: str
    measured: float | None
    target: str
    passed: bool | None
    unit: str = "x"
    note: str = ""
    #: the same ratio in CPU time (user + system, with child processes): less sensitive to
    #: other load on a shared machine, blind to parallelism
    cpu: float | None = None

    def _format(self, value: float | None) -> str:
        if value is None:
            return "n/a"
        if self.unit == "%":
            return f"{value * 100:.1f}%"
        return f"{value:.2f}x"

    def cells(self) -> list[str]:
        verdict = {True: "pass", False: "MISS", None: "-"}[self.passed]
        cpu = self._format(self.cpu) if self.cpu is not None else "-"
        return [self.name, self._format(self.measured), cpu, self.target, verdict]


@dataclass
class Sample:
    seconds: float
    maxrss_kb: int
    output: str = ""
    cpu_seconds: float = 0.0


@dataclass
class Results:
    figures: list[Figure] = field(default_factory=list)
    #: medians of the raw measurements, for the record
    timings: dict[str, dict[str, float]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


# --- measuring ---------------------------------------------------------------------------------


#: where the snapshot of secdocs' source that the builds import lives (None: the live tree)
CODE: Path | None = None


def snapshot(workdir: Path) -> Path:
    """Copy ``secdocs/`` so every build of the run imports the same code.

    The cache keys cover secdocs' own source: in a working tree that others edit during the run,
    a warm rebuild would otherwise find every entry invalidated (correctly) and measure nothing.
    """
    code = workdir / "code"
    shutil.rmtree(code, ignore_errors=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(HERE.parent / "secdocs", code / "secdocs", ignore=ignore)
    return code


def bench_env() -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "NO_MKDOCS_2_WARNING": "1",
            "SOURCE_DATE_EPOCH": str(int(generate.START.timestamp())),
            "CI": "true",
            "SECDOCS_PROGRESS": "1",  # phase lines (cache hits) in the log, no live counter
            "PYTHONHASHSEED": "0",
        }
    )
    if CODE is not None:
        env["PYTHONPATH"] = os.pathsep.join(
            p for p in (str(CODE), os.environ.get("PYTHONPATH", "")) if p
        )
    return env


#: Forks and execs the measured command from a small process: a child's peak RSS starts at the
#: size of the process it was forked from, so forking it from this (larger) runner would inflate it.
_WAIT4 = """import os, sys
pid = os.fork()
if pid == 0:
    os.execv(sys.argv[2], sys.argv[2:])
_pid, status, usage = os.wait4(pid, 0)
with open(sys.argv[1], "w") as out:
    out.write(f"{usage.ru_maxrss} {usage.ru_utime + usage.ru_stime}")
sys.exit(os.waitstatus_to_exitcode(status))
"""


def measure(argv: Sequence[str], cwd: Path, log: Path) -> Sample:
    """Run ``argv`` as a fresh process; its wall time and peak RSS (with its children's)."""
    rss_file = log.with_name(log.name + ".rss")
    output = log.with_name(log.name + ".last")
    with output.open("wb") as out:
        start = time.perf_counter()
        code = subprocess.call(
            [PYTHON, "-S", "-c", _WAIT4, str(rss_file), *argv],
            cwd=cwd,
            env=bench_env(),
            stdout=out,
            stderr=out,
        )
        elapsed = time.perf_counter() - start
    text = output.read_text(errors="replace")
    with log.open("a") as out:
        out.write(f"\n$ {' '.join(argv)}  [{elapsed:.2f} s, exit {code}]\n{text}")
    if code != 0:
        raise RuntimeError(f"{' '.join(argv)} failed ({code}); see {log}")
    maxrss, cpu = rss_file.read_text().split()
    return Sample(elapsed, int(maxrss), text, float(cpu))


_CACHE_LINE = re.compile(r"cache: (\d+) reused, (\d+) rebuilt")


_PAGES_LINE = re.compile(r"pages: (\d+) from the cache")


def page_counts(sample: Sample) -> int | None:
    """The last ``pages: N from the cache`` progress line of a build."""
    found = _PAGES_LINE.findall(sample.output)
    return int(found[-1]) if found else None


def cache_counts(sample: Sample) -> tuple[int, int] | None:
    """The last ``cache: N reused, M rebuilt`` progress line of a build."""
    found = _CACHE_LINE.findall(sample.output)
    return (int(found[-1][0]), int(found[-1][1])) if found else None


def secdocs_build(project: Path, log: Path, cold: bool) -> Sample:
    if cold:
        shutil.rmtree(project / generate.CACHE_DIR, ignore_errors=True)
    argv = [PYTHON, str(HERE / "secdocs_cli.py"), "build", "-f", "mkdocs.yml", "-d", "site"]
    return measure(argv, project, log)


def secdocs_verify(project: Path, log: Path, cold: bool) -> Sample:
    if cold:
        shutil.rmtree(project / generate.CACHE_DIR, ignore_errors=True)
    argv = [PYTHON, str(HERE / "secdocs_cli.py"), "verify", "-f", "mkdocs.yml"]
    return measure(argv, project, log)


def mkdocs_build(project: Path, log: Path) -> Sample:
    """Plain ``mkdocs build`` of the project (the secdocs plugin, with its cache)."""
    argv = [PYTHON, "-m", "mkdocs", "build", "-f", "mkdocs.yml", "-d", "site"]
    return measure(argv, project, log)


def bare_build(export: Path, log: Path) -> Sample:
    return measure([PYTHON, "-m", "mkdocs", "build", "-f", "mkdocs.yml", "-d", "site"], export, log)


def median(samples: Sequence[Sample], what: str = "seconds") -> float:
    return float(statistics.median(getattr(s, what) for s in samples))


# --- the history fixtures ------------------------------------------------------------------------


def prepare(workdir: Path, releases: int, shape: generate.Shape, log: Path) -> Path:
    project = workdir / f"history-{releases}"
    if project.exists():
        shutil.rmtree(project)
    start = time.perf_counter()
    generate.generate(project, releases, shape)
    with log.open("a") as out:
        out.write(f"generated {releases} releases in {time.perf_counter() - start:.1f} s\n")
    return project


class AddedTag:
    """Add one release to a generated history, and take it away again afterwards.

    With ``checkout`` the working tree moves to the new release, as in a CI job for the new tag.
    """

    def __init__(self, project: Path, checkout: bool = True) -> None:
        self.project = project
        self.checkout = checkout
        self.head = generate.git(project, "rev-parse", "refs/heads/main")
        self.count = generate.release_count(project)

    def __enter__(self) -> AddedTag:
        generate.extend(self.project, 1, self.checkout)
        return self

    def __exit__(self, *exc: object) -> None:
        tag = generate.tag_of(self.count)
        generate.git(self.project, "tag", "-d", tag)
        generate.git(self.project, "reset", "-q", "--hard", self.head)
        shutil.rmtree(self.project / "evidence" / tag, ignore_errors=True)


# --- figures -----------------------------------------------------------------------------------


def ratio_figure(
    name: str, numerator: float, denominator: float, limit: float, *, unit: str = "x"
) -> Figure:
    """``numerator / denominator`` against an upper limit."""
    value = numerator / denominator if denominator > 0 else None
    target = f"<= {limit * 100:.0f}%" if unit == "%" else f"<= {limit:g}x"
    return Figure(name, value, target, None if value is None else value <= limit, unit)


def table_pages(rows: int) -> tuple[str, str]:
    """The same SBOM component table as secdocs writes it (HTML) and as a Markdown table."""
    from secdocs.render.html import code, esc, html_block, table

    components = [generate._component(i, 0)[2] for i in range(rows)]
    html_rows = [
        [
            esc(c["name"]),
            esc(c["version"]),
            code(c["purl"]),
            esc(c["licenses"][0].get("expression") or c["licenses"][0]["license"]["id"]),
        ]
        for c in components
    ]
    html_page = "# Components\n" + html_block(
        table(["Name", "Version", "purl", "Licence"], html_rows)
    )
    md_lines = ["# Components", "", "| Name | Version | purl | Licence |", "|---|---|---|---|"]
    for c in components:
        licence = c["licenses"][0].get("expression") or c["licenses"][0]["license"]["id"]
        md_lines.append(f"| {c['name']} | {c['version']} | `{c['purl']}` | {licence} |")
    return html_page, "\n".join(md_lines) + "\n"


def time_call(func: Callable[[], object], repeats: int) -> float:
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        func()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def tables_figure(results: Results, repeats: int, rows: int) -> None:
    """Python-Markdown (MkDocs' default extensions) on a page with each form of the table."""
    import markdown  # type: ignore[import-untyped]
    from markdown_it import MarkdownIt

    html_page, md_page = table_pages(rows)
    extensions = ["toc", "tables", "fenced_code"]  # what MkDocs enables by default

    def python_markdown(text: str) -> Callable[[], object]:
        return lambda: markdown.Markdown(extensions=extensions).convert(text)

    def injected() -> object:
        # The table kept out of Markdown: a placeholder paragraph, replaced after conversion.
        body = markdown.Markdown(extensions=extensions).convert("# Components\n\nSECDOCS-1\n")
        return body.replace("<p>SECDOCS-1</p>", html_page)

    md_it = MarkdownIt("commonmark").enable("table")
    md_time = time_call(python_markdown(md_page), repeats)
    html_time = time_call(python_markdown(html_page), repeats)
    injected_time = time_call(injected, repeats)
    mdit_time = time_call(lambda: md_it.render(md_page), repeats)
    generate_time = time_call(lambda: table_pages(rows), repeats)
    results.timings["tables"] = {
        "rows": rows,
        "markdown_table_python_markdown_s": md_time,
        "html_table_python_markdown_s": html_time,
        "html_table_injected_after_markdown_s": injected_time,
        "markdown_table_markdown_it_s": mdit_time,
        "html_and_markdown_generation_s": generate_time,
    }
    for name, value in (
        ("HTML through Python-Markdown", html_time),
        ("HTML injected after Markdown", injected_time),
    ):
        speedup = md_time / value if value > 0 else None
        results.figures.append(
            Figure(
                f"{rows}-row table: Markdown / {name}",
                speedup,
                ">= 10x",
                None if speedup is None else speedup >= 10.0,
                note=f"Markdown table {md_time * 1000:.0f} ms, {name} {value * 1000:.1f} ms "
                "per page",
            )
        )


def external(results: Results, script: str, args: list[str], log: Path) -> str | None:
    path = HERE / script
    if not path.is_file():
        results.notes.append(f"{script}: not present, figure not measured")
        return None
    with log.open("a") as out:
        out.write(f"\n$ {script} {' '.join(args)}\n")
    completed = subprocess.run(
        [PYTHON, str(path), *args], env=bench_env(), capture_output=True, text=True, check=False
    )
    with log.open("a") as out:
        out.write(completed.stdout + completed.stderr)
    if completed.returncode != 0:
        # bench_sbom.py exits 1 when a figure is over its target: still a measurement
        results.notes.append(f"{script}: exited {completed.returncode}; see the log")
        if completed.returncode != 1:
            return None
    return completed.stdout


_RATIO = re.compile(r"ratio[^\n]*?([0-9]+(?:\.[0-9]+)?)\s*[x\u00d7]", re.I)


def parse_ratio(output: str | None) -> float | None:
    """The last ``ratio … <number>x`` in a benchmark script's output."""
    if not output:
        return None
    found = _RATIO.findall(output)
    return float(found[-1]) if found else None


#: a row of bench_sbom.py's table: name (26 wide), components, json.loads, json.loads with the
#: garbage collector off, secdocs, ratio, ratio* (against gc off), validation
_SBOM_ROW = re.compile(
    r"^(?P<name>.{26}) +(?P<components>\d+) +[\d.]+ms +[\d.]+ms +[\d.]+ms"
    r" +(?P<ratio>[\d.]+) +(?P<strict>[\d.]+) +[\d.]+ms",
    re.M,
)


def parse_sbom_table(output: str | None) -> list[tuple[str, int, float]]:
    """(SBOM, components, secdocs / json.loads with gc off) for each corpus row."""
    if not output:
        return []
    return [
        (m["name"].strip(), int(m["components"]), float(m["strict"]))
        for m in _SBOM_ROW.finditer(output)
        if not m["name"].startswith("synthetic")
    ]


def sbom_figure(results: Results, quick: bool, log: Path) -> None:
    args = ["--repeat", "3"] if quick else []
    output = external(results, "bench_sbom.py", args, log)
    rows = parse_sbom_table(output)
    value = max(r[2] for r in rows) if rows else parse_ratio(output)
    note = ", ".join(f"{name} ({count} components) {ratio:.2f}x" for name, count, ratio in rows)
    results.figures.append(
        Figure(
            "SBOM ingestion / json.loads (worst SBOM)",
            value,
            "<= 1.5x",
            None if value is None else value <= 1.5,
            note=note,
        )
    )


def verify_figure(results: Results, quick: bool, log: Path) -> None:
    args = ["--runs", "20", "--processes", "2"] if quick else []
    value = parse_ratio(external(results, "bench_verify.py", args, log))
    results.figures.append(
        Figure(
            "sigstore: process per bundle / in-process",
            value,
            ">= 100x",
            None if value is None else value >= 100,
        )
    )


# --- the run -----------------------------------------------------------------------------------


def history_figures(
    results: Results,
    workdir: Path,
    releases: tuple[int, int],
    memory_small: int,
    repeats: int,
    shape: generate.Shape,
    log: Path,
    skip: frozenset[str] = frozenset(),
) -> None:
    small, large = releases
    with_large = "large" not in skip
    say(f"generating histories of {memory_small}, {small} and {large} releases in {workdir}")
    project = prepare(workdir, small, shape, log)
    bigger = prepare(workdir, large, shape, log) if with_large else project
    tiny = project if memory_small == small else prepare(workdir, memory_small, shape, log)
    with_bare = "bare" not in skip
    export = workdir / f"bare-{small}"
    if with_bare:
        shutil.rmtree(export, ignore_errors=True)
        say("exporting the generated Markdown for the bare mkdocs build")
        measure([PYTHON, str(HERE / "export.py"), "mkdocs.yml", str(export)], project, log)

    full: list[Sample] = []
    bare: list[Sample] = []
    rebuild: list[Sample] = []
    rebuild_mkdocs: list[Sample] = []
    rebuild_same_tree: list[Sample] = []
    verify_same_tree: list[Sample] = []
    large_full: list[Sample] = []
    tiny_full: list[Sample] = []
    verify_full: list[Sample] = []
    verify_again: list[Sample] = []
    tiny_verify: list[Sample] = []
    for repeat in range(1, repeats + 1):
        say(f"repeat {repeat}/{repeats}: secdocs build of {small} releases (cold cache)")
        full.append(secdocs_build(project, log, cold=True))
        with AddedTag(project):
            say(f"repeat {repeat}/{repeats}: rebuild after one more tag (warm cache)")
            rebuild.append(secdocs_build(project, log, cold=False))
            say(f"repeat {repeat}/{repeats}: the same with plain mkdocs build (warm cache)")
            rebuild_mkdocs.append(mkdocs_build(project, log))
        with AddedTag(project, checkout=False):
            say(f"repeat {repeat}/{repeats}: the same, working tree not checked out")
            rebuild_same_tree.append(secdocs_build(project, log, cold=False))
        if with_bare:
            say(f"repeat {repeat}/{repeats}: bare mkdocs build of the same {small} releases' pages")
            bare.append(bare_build(export, log))
        if with_large:
            say(f"repeat {repeat}/{repeats}: secdocs build of {large} releases (cold cache)")
            large_full.append(secdocs_build(bigger, log, cold=True))
        if tiny is not project:
            say(f"repeat {repeat}/{repeats}: secdocs build of {memory_small} releases (cold cache)")
            tiny_full.append(secdocs_build(tiny, log, cold=True))
        say(f"repeat {repeat}/{repeats}: secdocs verify (evidence only) of {small} releases")
        verify_full.append(secdocs_verify(project, log, cold=True))
        with AddedTag(project):
            verify_again.append(secdocs_verify(project, log, cold=False))
        with AddedTag(project, checkout=False):
            verify_same_tree.append(secdocs_verify(project, log, cold=False))
        if tiny is not project:
            tiny_verify.append(secdocs_verify(tiny, log, cold=True))
    if tiny is project:
        tiny_full, tiny_verify = full, verify_full

    def record(name: str, samples: list[Sample]) -> None:
        results.timings[name] = {
            "seconds": median(samples),
            "cpu_seconds": median(samples, "cpu_seconds"),
            "maxrss_mb": median(samples, "maxrss_kb") / 1024,
            "runs": len(samples),
        }

    record(f"secdocs build, {small} releases, cold cache", full)
    record(f"secdocs build, {small}+1 releases, warm cache", rebuild)
    record(f"mkdocs build, {small}+1 releases, warm cache", rebuild_mkdocs)
    record(
        f"secdocs build, {small}+1 releases, warm cache, tree not checked out", rebuild_same_tree
    )
    if with_bare:
        record(f"bare mkdocs build, {small} releases' pages", bare)
    if with_large:
        record(f"secdocs build, {large} releases, cold cache", large_full)
    record(f"secdocs build, {memory_small} releases, cold cache", tiny_full)
    record(f"secdocs verify, {small} releases, cold cache", verify_full)
    record(f"secdocs verify, {small}+1 releases, warm cache", verify_again)
    record(f"secdocs verify, {small}+1 releases, warm, tree not checked out", verify_same_tree)
    record(f"secdocs verify, {memory_small} releases, cold cache", tiny_verify)

    for label, samples in (
        ("", rebuild),
        (" (mkdocs build)", rebuild_mkdocs),
        (" (tree not checked out)", rebuild_same_tree),
    ):
        counts = [cache_counts(sample) for sample in samples]
        pages = [page_counts(sample) for sample in samples]
        results.notes.append(
            f"cache on each rebuild after one tag{label}: (reused, rebuilt) {counts}, "
            f"release pages from the page cache {pages}"
        )

    def timed(
        name: str, numerator: list[Sample], denominator: list[Sample], limit: float, unit: str = "x"
    ) -> None:
        figure = ratio_figure(name, median(numerator), median(denominator), limit, unit=unit)
        cpu_den = median(denominator, "cpu_seconds")
        figure.cpu = median(numerator, "cpu_seconds") / cpu_den if cpu_den > 0 else None
        results.figures.append(figure)

    if with_bare:
        timed(f"build {small} releases / bare mkdocs", full, bare, 1.5)
    if with_large:
        timed(f"build {large} / {small} releases", large_full, full, 2.2 * (large / small) / 2)
    timed("rebuild after one tag / full build", rebuild, full, 0.10, "%")
    timed("  the same with mkdocs build / full build", rebuild_mkdocs, full, 0.10, "%")
    timed("  the same, working tree not checked out", rebuild_same_tree, full, 0.10, "%")
    timed("evidence only (verify): after one tag / full", verify_again, verify_full, 0.10, "%")
    timed("  verify, working tree not checked out", verify_same_tree, verify_full, 0.10, "%")
    for kind, big, little in (("build", full, tiny_full), ("verify", verify_full, tiny_verify)):
        results.figures.append(
            ratio_figure(
                f"peak RSS {kind} {small} / {memory_small} releases",
                median(big, "maxrss_kb"),
                median(little, "maxrss_kb"),
                1.25,
            )
        )


def say(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr, flush=True)


def render_table(results: Results) -> str:
    header = ["figure", "measured", "cpu time", "target", "result"]
    rows = [header, *(f.cells() for f in results.figures)]
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    lines = []
    for position, row in enumerate(rows):
        lines.append("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip())
        if position == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def render_timings(results: Results) -> str:
    lines = ["median of each measurement:"]
    for name, values in results.timings.items():
        parts = ", ".join(
            f"{k}={v:.3f}" if isinstance(v, float) else f"{k}={v}" for k, v in values.items()
        )
        lines.append(f"  {name}: {parts}")
    return "\n".join(lines)


#: issue 15.6: the figures a rebuild after one new tag, verify and peak memory are held to
TARGETS = (
    "rebuild after one tag / full build",
    "  the same with mkdocs build / full build",
    "evidence only (verify): after one tag / full",
    "peak RSS build",
)


def render_targets(results: Results) -> str:
    """The three ratios of issue 15.6 (rebuild, verify, memory), each with pass or MISS."""
    lines = ["targets (rebuild, verify and memory after one new tag):"]
    for figure in results.figures:
        if not figure.name.startswith(TARGETS):
            continue
        verdict = {True: "pass", False: "MISS", None: "-"}[figure.passed]
        cpu = f" (cpu time {figure._format(figure.cpu)})" if figure.cpu is not None else ""
        lines.append(
            f"  {figure.name.strip()}: {figure._format(figure.measured)}{cpu}, "
            f"target {figure.target}: {verdict}"
        )
    return "\n".join(lines)


def parse_releases(value: str) -> tuple[int, int]:
    parts = [int(p) for p in value.split(",") if p.strip()]
    if len(parts) != 2 or not 0 < parts[0] < parts[1]:
        raise argparse.ArgumentTypeError("expected two increasing counts, like 500,1000")
    return parts[0], parts[1]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="small histories, one repeat")
    parser.add_argument("--releases", type=parse_releases, default=None, help="e.g. 500,1000")
    parser.add_argument("--memory-small", type=int, default=None, help="default 100")
    parser.add_argument("--repeats", type=int, default=None, help="default 3 (1 with --quick)")
    parser.add_argument("--components", type=int, default=generate.Shape.components)
    parser.add_argument("--artifacts", type=int, default=generate.Shape.artifacts)
    parser.add_argument("--jobs", type=int, default=0, help="secdocs 'jobs' (0: one per core)")
    parser.add_argument("--workdir", type=Path, default=None, help="kept when given")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    parser.add_argument(
        "--skip", default="", help="comma list of: history,large,bare,tables,sbom,verify"
    )
    parser.add_argument(
        "--live", action="store_true", help="build with the live secdocs/ tree, not a snapshot"
    )
    args = parser.parse_args(argv)

    releases = args.releases or ((12, 24) if args.quick else (500, 1000))
    memory_small = args.memory_small or (6 if args.quick else 100)
    repeats = args.repeats or (1 if args.quick else 3)
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    shape = generate.Shape(
        components=args.components, artifacts=args.artifacts, jobs=args.jobs, cache=True
    )
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="secdocs-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    log = workdir / "bench.log"
    say(f"log: {log}")
    global CODE
    CODE = None if args.live else snapshot(workdir)

    results = Results()
    started = time.perf_counter()
    if "history" not in skip:
        history_figures(
            results, workdir, releases, memory_small, repeats, shape, log, frozenset(skip)
        )
    if "tables" not in skip:
        say(f"{TABLE_ROWS}-row component table: HTML vs Markdown through Python-Markdown")
        tables_figure(results, 3 if args.quick else 7, TABLE_ROWS)
    if "sbom" not in skip:
        say("SBOM ingestion (bench_sbom.py)")
        sbom_figure(results, args.quick, log)
    if "verify" not in skip:
        say("Sigstore verification (bench_verify.py)")
        verify_figure(results, args.quick, log)
    elapsed = time.perf_counter() - started
    results.notes.append(
        f"releases={releases[0]},{releases[1]} memory_small={memory_small} repeats={repeats} "
        f"components={shape.components} artifacts={shape.artifacts} jobs={shape.jobs} "
        f"cpus={os.cpu_count()} elapsed={elapsed:.0f}s"
    )

    print(render_timings(results))
    print()
    print(render_table(results))
    print()
    print(render_targets(results))
    for figure in results.figures:
        if figure.note:
            print(f"note: {figure.name}: {figure.note}")
    for note in results.notes:
        print(f"note: {note}")
    if args.json is not None:
        args.json.write_text(json.dumps(asdict(results), indent=2) + "\n")
    if args.workdir is None:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
