"""Shared fixtures: the evidence corpus and real git repositories built in tmp_path."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    """The shared evidence corpus, read in place (``SECDOCS_CORPUS`` overrides the location).

    Missing corpus: skipped locally, a failure under ``CI=true``.
    """
    path = Path(os.environ.get("SECDOCS_CORPUS", ROOT.parent / "shared" / "corpus"))
    if not (path / "MANIFEST.md").is_file():
        message = f"evidence corpus not found at {path} (set SECDOCS_CORPUS)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return path
