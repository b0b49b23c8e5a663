"""A headless Chromium (Debian's) shared by the browser tests, and a bounded local web server."""

from __future__ import annotations



