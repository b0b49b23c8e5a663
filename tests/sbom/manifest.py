"""The corpus MANIFEST's counts and expected outcomes for SBOM and VEX documents."""

from __future__ import annotations

import re
from pathlib import Path

_ROW = re.compile(
    r"^\| `(?P<path>[^`]+)` \| (?P<bytes>\d+) \| `[0-9a-f]+` \| "
    r"(?P<what>[^|]*) \| (?P<exp>[^|]*) \|"
)
_COUNTS = re.compile(
    r"CycloneDX (?P<spec>1\.\d) (?P<enc>JSON|XML) \((?P<top>\d+) top-level / (?P<total>\d+) total "
    r"components, (?P<deps>\d+) dependency entries, (?P<vulns>\d+) vulnerabilities\)"
)
_VEX = re.compile(
    r"CycloneDX (?P<spec>1\.\d) (?:VEX|BOM) JSON: (?P<vulns>\d+) vulnerabilities \[[^\]]*\], "
    r"analysis states \[(?P<states>[^\]]*)\], (?P<comps>\d+) components"
)


def manifest_rows(corpus: Path, expected: bool = False) -> list[tuple[str, str]]:
    rows = []
    for line in (corpus / "MANIFEST.md").read_text(encoding="utf-8").splitlines():
        match = _ROW.match(line)
        if match:
            rows.append((match["path"], match["exp" if expected else "what"].strip()))
    return rows


def sbom_counts(corpus: Path) -> list[tuple[str, dict[str, str]]]:
    out = []
    for path, what in manifest_rows(corpus):
        match = _COUNTS.search(what)
        if match:
            out.append((path, match.groupdict()))
    return out


def vex_counts(corpus: Path) -> list[tuple[str, int, set[str], int]]:
    out = []
    for path, what in manifest_rows(corpus):
        match = _VEX.search(what)
        if match:
            states = {s.strip().strip("'") for s in match["states"].split(",") if s.strip()}
            out.append((path, int(match["vulns"]), states, int(match["comps"])))
    return out


def spec_documents(corpus: Path) -> list[tuple[str, bool]]:
    """(path, expected valid) for the CycloneDX specification's schema test documents."""
    out = []
    for path, expected in manifest_rows(corpus, expected=True):
        if path.startswith("cyclonedx-specification/"):
            assert expected.startswith(("VALID", "INVALID")), expected
            out.append((path, expected.startswith("VALID")))
    return out
