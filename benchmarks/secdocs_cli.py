"""``secdocs`` as the benchmarks run it: the real CLI, minus collectors that cannot be imported.

While a collector is still being written its entry point may name a module that does not exist
yet; the real CLI then refuses to build. The benchmarks skip such a collector (saying so on
stderr) instead of measuring nothing. The patch is at module level so that worker processes,
which import this module as ``__mp_main__``, apply it too.
"""

from __future__ import annotations

import sys
from importlib.metadata import EntryPoint

from secdocs import collectors
from secdocs.cli import main

_all_entry_points = collectors._entry_points


def _importable() -> list[EntryPoint]:
    kept = []
    for ep in _all_entry_points():
        try:
            ep.load()
        except ImportError as exc:
            print(f"bench: collector {ep.name} skipped: {exc}", file=sys.stderr)
            continue
        kept.append(ep)
    return kept


collectors._entry_points = _importable

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
