"""secdocs' own documentation is built with secdocs."""

from __future__ import annotations

import json
from pathlib import Path

from secdocs.cli import main

ROOT = Path(__file__).resolve().parents[1]


def test_own_docs_site_builds(tmp_path: Path) -> None:
    site = tmp_path / "site"
    assert main(["build", "-f", str(ROOT / "mkdocs.yml"), "-d", str(site)]) == 0
    assert (site / "index.html").is_file()
    assert (site / "releases" / "index.html").is_file()
    assert (site / "threat-model" / "index.html").is_file()
    assert (site / "metrics-guide" / "index.html").is_file()
    index = json.loads((site / "evidence.json").read_text())
    assert index["generator"]["name"] == "secdocs"


def test_own_security_md_is_generated_from_the_security_block() -> None:
    assert main(["policy", "--check", "-f", str(ROOT / "mkdocs.yml")]) == 0
