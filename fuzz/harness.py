"""Run one fuzz target under atheris (libFuzzer): ``python fuzz/harness.py <target> [flags]``.

Only secdocs' own modules are instrumented (coverage feedback where the parsing logic lives).
Any exception other than a :class:`secdocs.errors.SecdocsError` (and the documented typed parse
errors in ``targets.EXPECTED``) is reported as a crash by libFuzzer, which exits non-zero.
"""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path

import atheris

sys.path.insert(0, str(Path(__file__).resolve().parent))

with atheris.instrument_imports(include=["secdocs"]):
    import targets


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1] not in targets.TARGETS:
        sys.exit(
            f"usage: harness.py <target> [libFuzzer flags]; targets: {sorted(targets.TARGETS)}"
        )
    name = sys.argv[1]
    # importing the target's modules now keeps their import out of the first input's time
    fn = targets.TARGETS[name]
    allowed = targets.expected(name)
    with contextlib.suppress(allowed):
        fn(b"")

    def one_input(data: bytes) -> None:
        with contextlib.suppress(allowed):
            fn(data)

    atheris.Setup([sys.argv[0], *sys.argv[2:]], one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
