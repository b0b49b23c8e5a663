"""Run every fuzz target for a bounded time, each in its own process; fail on any finding.

    python fuzz/run.py --seconds 20            # all targets, two at a time
    python fuzz/run.py --seconds 60 sbom delta  # some targets

Each target starts from its seed folder (``fuzz/corpus/<target>/``, written by
``fuzz/make_seeds.py``) and writes nothing into the repository: libFuzzer's corpus and any
crash input go to a temporary folder, and a crashing input is printed (hex, truncated) with
the traceback.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def targets() -> list[str]:
    import targets as module

    return sorted(module.TARGETS)


def run_one(name: str, seconds: int, work: Path) -> tuple[str, int, str]:
    corpus = work / name / "corpus"
    crashes = work / name / "crashes"
    corpus.mkdir(parents=True)
    crashes.mkdir()
    seeds = HERE / "corpus" / name
    command = [
        sys.executable,
        str(HERE / "harness.py"),
        name,
        f"-max_total_time={seconds}",
        "-timeout=20",
        "-rss_limit_mb=2048",
        "-max_len=65536",
        "-print_final_stats=1",
        f"-artifact_prefix={crashes}/",
        str(corpus),
    ]
    if seeds.is_dir():
        command.append(str(seeds))
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    try:
        result = subprocess.run(
            command,
            capture_output=True,
            text=True,
            errors="replace",
            timeout=seconds + 120,
            env=env,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        return name, 124, f"did not stop within {seconds + 120} s\n{exc.stderr or ''}"
    output = result.stderr + result.stdout
    for crash in sorted(crashes.iterdir()):
        data = crash.read_bytes()
        output += f"\ncrash input {crash.name} ({len(data)} bytes): {data[:400].hex()}\n"
    return name, result.returncode, output


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=20, help="time per target")
    parser.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1))
    parser.add_argument("names", nargs="*", help="targets (default: all)")
    args = parser.parse_args(argv)
    known = targets()
    names = args.names or known
    unknown = sorted(set(names) - set(known))
    if unknown:
        parser.error(f"unknown targets {unknown}; known: {known}")
    failed = []
    with (
        tempfile.TemporaryDirectory(prefix="secdocs-fuzz-") as tmp,
        ThreadPoolExecutor(max(1, args.jobs)) as pool,
    ):
        for name, code, output in pool.map(lambda n: run_one(n, args.seconds, Path(tmp)), names):
            stats = [
                line
                for line in output.splitlines()
                if line.startswith("stat::number_of_executed_units")
            ]
            runs = stats[-1].split(":")[-1].strip() if stats else "?"
            print(f"fuzz {name}: {'ok' if code == 0 else f'FAILED (exit {code})'}, {runs} inputs")
            if code != 0:
                failed.append(name)
                print(output[-6000:])
    if failed:
        print(f"fuzz: {len(failed)} target(s) failed: {', '.join(failed)}")
        return 1
    print(f"fuzz: {len(names)} targets ran {args.seconds} s each without findings")
    return 0


if __name__ == "__main__":
    sys.exit(main())
