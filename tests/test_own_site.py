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


def test_own_release_gets_its_evidence_page(tmp_path: Path) -> None:
    """secdocs over a release of secdocs itself: its SBOM (made by cyclonedx-py from the locked
    environment, as `make sbom` does) and checksums, checked and published."""
    import hashlib
    import shutil
    import subprocess
    import sys

    from gitutil import git

    clone = tmp_path / "secdocs"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
    git(clone, "tag", "-a", "v0.1.0", "-m", "secdocs 0.1.0")
    evidence = clone / "evidence" / "v0.1.0"
    evidence.mkdir(parents=True)
    cyclonedx = shutil.which("cyclonedx-py", path=str(Path(sys.executable).parent))
    assert cyclonedx is not None
    subprocess.run(
        [
            cyclonedx,
            "environment",
            "--output-format",
            "JSON",
            "--output-file",
            str(evidence / "secdocs-0.1.0.cdx.json"),
            sys.prefix,
        ],
        check=True,
        capture_output=True,
    )
    lock = (clone / "requirements.lock").read_bytes()
    (evidence / "requirements.lock").write_bytes(lock)
    (evidence / "SHA256SUMS").write_text(f"{hashlib.sha256(lock).hexdigest()}  requirements.lock\n")

    site = tmp_path / "site"
    assert main(["build", "-f", str(clone / "mkdocs.yml"), "-d", str(site)]) == 0
    assert (site / "releases" / "v0.1.0" / "index.html").is_file()
    assert (site / "releases" / "v0.1.0" / "sbom" / "index.html").is_file()
    release = json.loads((site / "evidence.json").read_text())["releases"][0]
    statuses = {(i["kind"], i["path"]): i["status"] for i in release["items"]}
    assert statuses[("sbom", "secdocs-0.1.0.cdx.json")] == "verified"
    assert statuses[("checksum", "requirements.lock")] == "verified"
