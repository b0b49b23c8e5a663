"""Progress lines for long builds: shown on a terminal, quiet in CI logs unless asked for."""

from __future__ import annotations

import os
import sys
import time
from typing import TextIO

ENV = "SECDOCS_PROGRESS"


class Progress:
    """One line per phase; counts update in place on a terminal."""

    def __init__(self, stream: TextIO | None = None, enabled: bool | None = None) -> None:
        self.stream = stream or sys.stderr
        if enabled is None:
            enabled = os.environ.get(ENV) == "1" or (
                self.stream.isatty() and os.environ.get("CI") != "true"
            )
        self.enabled = enabled
        self.tty = enabled and self.stream.isatty()
        self._last = 0.0

    def phase(self, message: str) -> None:
        if self.enabled:
            self.stream.write(f"secdocs: {message}\n")
            self.stream.flush()

    def step(self, label: str, done: int, total: int) -> None:
        if not self.enabled or total <= 0:
            return
        now = time.monotonic()
        final = done == total
        if self.tty:
            if final or now - self._last > 0.2:
                self.stream.write(f"\rsecdocs: {label} {done}/{total}" + ("\n" if final else ""))
                self.stream.flush()
                self._last = now
        elif final or now - self._last > 10:
            self.stream.write(f"secdocs: {label} {done}/{total}\n")
            self.stream.flush()
            self._last = now
