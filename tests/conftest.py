"""Shared fixtures: the evidence corpus and real git repositories built in tmp_path."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

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


CHROMIUM = os.environ.get("SECDOCS_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _missing(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"browser tests are required under CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One Chromium for the whole session (a new context per page keeps pages apart)."""
    if not (Path(CHROMIUM).is_file() or shutil.which(CHROMIUM)):
        _missing(f"{CHROMIUM} is not installed (make browser-deps)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - playwright is in the lockfile
        _missing("playwright is not installed")
    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, timeout=30_000)
        try:
            yield instance
        finally:
            instance.close()
