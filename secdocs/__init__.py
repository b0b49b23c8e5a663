"""secdocs: publish verified security evidence for every release as a static site."""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
