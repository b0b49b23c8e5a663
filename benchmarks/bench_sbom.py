"""SBOM ingestion and validation speed on the corpus' large SBOMs.

Prints, for keycloak and juice-shop, the median time of ``json.loads`` and of secdocs' ingestion
(``read_sboms``: bytes to the frozen model) on the same bytes, their ratio (target: at most 1.5),
and the jsonschema-rs validation time (target for juice-shop: under 1 s). A synthetic
10,000-component SBOM built from the juice-shop components shows the scaling.

    .venv/bin/python benchmarks/bench_sbom.py [--repeat 15] [--browser]

``--browser`` also times search/filter/sort of a 10,000-row component table in headless Chromium
(Debian's ``/usr/bin/chromium`` through playwright).

Exit status 1 when a ratio exceeds the target.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from secdocs.sbom.readers import read_sboms
from secdocs.sbom.validate import json_validator, validate_json

ROOT = Path(__file__).resolve().parents[1]
CORPUS = Path(os.environ.get("SECDOCS_CORPUS", ROOT.parent / "shared" / "corpus"))
FILES = {
    "keycloak-10.0.2": "cyclonedx-bom-examples/SBOM/keycloak-10.0.2/bom.json",
    "juice-shop v11.1.2 (1.2)": "cyclonedx-bom-examples/SBOM/juice-shop/v11.1.2/bom.json",
    "juice-shop npm (1.6)": "cyclonedx-node-npm/demo/juice-shop/example-results/flat/bom.1.6.json",
}
TARGET_RATIO = 1.5
TARGET_VALIDATION_S = 1.0


def without_gc(fn: Callable[[], object]) -> Callable[[], object]:
    def run() -> object:
        gc.disable()
        try:
            return fn()
        finally:
            gc.enable()

    return run


def median_time(fn: Callable[[], object], repeat: int) -> float:
    fn()  # warm-up
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def synthetic(source: bytes, count: int) -> bytes:
    doc = json.loads(source)
    base = doc["components"]
    components = []
    for i in range(count):
        c = dict(base[i % len(base)])
        c["name"] = f"{c['name']}-{i}"
        c["bom-ref"] = f"ref-{i}"
        c.pop("purl", None)
        components.append(c)
    doc["components"] = components
    doc["dependencies"] = [{"ref": f"ref-{i}", "dependsOn": []} for i in range(count)]
    return json.dumps(doc).encode()


_TIMINGS = {
    "filter by type": "() => {const s=document.querySelector('[data-role=type]'); s.value='file';"
    " const t=performance.now(); s.dispatchEvent(new Event('change'));"
    " document.body.offsetHeight; return performance.now()-t}",
    "clear the filter": "() => {const s=document.querySelector('[data-role=type]'); s.value='';"
    " const t=performance.now(); s.dispatchEvent(new Event('change'));"
    " document.body.offsetHeight; return performance.now()-t}",
    "search (after debounce)": "() => {const s=document.querySelector('[data-role=search]');"
    " s.value='pkg-0999'; const t=performance.now(); s.dispatchEvent(new Event('input'));"
    " return new Promise(r => setTimeout(() => {document.body.offsetHeight;"
    " r(performance.now()-t)}, 130))}",
    "sort by version (first)": "() => {const t=performance.now();"
    " document.querySelector('button[data-col=\"1\"]').click(); document.body.offsetHeight;"
    " return performance.now()-t}",
    "sort again (reverse)": "() => {const t=performance.now();"
    " document.querySelector('button[data-col=\"1\"]').click(); document.body.offsetHeight;"
    " return performance.now()-t}",
}


def browser_timings() -> None:
    from importlib.resources import files

    from playwright.sync_api import sync_playwright

    from secdocs.kinds.sbom.render import component_table
    from secdocs.sbom.model import Component, Licence, Sbom

    kinds = ("library", "framework", "application", "file")
    sbom = Sbom(
        "big",
        "CycloneDX",
        "json",
        "1.6",
        components=tuple(
            Component(
                f"pkg-{i:05d}",
                f"1.{i % 13}.{i % 7}",
                kinds[i % 4],
                f"pkg:npm/pkg-{i:05d}@1.{i % 13}",
                licences=(Licence("id", "MIT"),),
            )
            for i in range(10_000)
        ),
    )
    assets = files("secdocs") / "assets"
    html = (
        f"<!doctype html><style>{(assets / 'sbom-table.css').read_text()}</style>"
        f"{component_table(sbom, {}, 't')}<script>{(assets / 'sbom-table.js').read_text()}</script>"
    )
    args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=args)
        page = browser.new_page()
        start = time.perf_counter()
        page.set_content(html)
        print(f"\n10,000-row table in Chromium: load {(time.perf_counter() - start) * 1000:.0f} ms")
        for label, script in _TIMINGS.items():
            print(f"  {label:26} {page.evaluate(script):7.1f} ms")
        browser.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--browser", action="store_true", help="time the table in Chromium")
    args = parser.parse_args()
    if not (CORPUS / "MANIFEST.md").is_file():
        print(f"corpus not found at {CORPUS} (set SECDOCS_CORPUS)", file=sys.stderr)
        return 2

    start = time.perf_counter()
    json_validator("1.6")
    compile_ms = (time.perf_counter() - start) * 1000
    print(f"schema compile (CycloneDX 1.6, once per process): {compile_ms:.1f} ms")
    header = (
        f"{'SBOM':26} {'comps':>6} {'json.loads':>11} {'(gc off)':>9} {'secdocs':>9} "
        f"{'ratio':>6} {'ratio*':>6} {'validate':>9}"
    )
    print(header)
    print("-" * len(header))
    inputs = {name: (CORPUS / path).read_bytes() for name, path in FILES.items()}
    inputs["synthetic 10k (1.6)"] = synthetic(inputs["juice-shop npm (1.6)"], 10_000)
    failed = False
    for name, data in inputs.items():
        (sbom,) = read_sboms(data, name)
        loads = median_time(lambda d=data: json.loads(d), args.repeat)
        loads_nogc = median_time(without_gc(lambda d=data: json.loads(d)), args.repeat)
        ours = median_time(lambda d=data, n=name: read_sboms(d, n), args.repeat)
        validate = median_time(
            lambda d=data, s=sbom.spec_version, n=name: validate_json(d, s, n), args.repeat
        )
        ratio = ours / loads
        strict = ours / loads_nogc
        over = strict > TARGET_RATIO or validate > TARGET_VALIDATION_S
        failed |= over and not name.startswith("synthetic")
        print(
            f"{name:26} {len(sbom.components):6d} {loads * 1000:9.2f}ms {loads_nogc * 1000:7.2f}ms "
            f"{ours * 1000:7.2f}ms {ratio:6.2f} {strict:6.2f} {validate * 1000:7.2f}ms"
            f"{'  OVER TARGET' if over else ''}"
        )
    print(
        f"ratio = secdocs / json.loads; ratio* = secdocs / json.loads with the garbage collector"
        f" off (the stricter baseline). Target: ratio* <= {TARGET_RATIO}, validation"
        f" < {TARGET_VALIDATION_S} s."
    )
    if args.browser:
        browser_timings()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
