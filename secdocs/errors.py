"""Typed errors. Every error that reaches a user names the file (or key) and what is wrong."""

from __future__ import annotations


class SecdocsError(Exception):
    """Base class for every error secdocs raises on purpose."""


class ConfigError(SecdocsError):
    """The configuration is invalid. ``key`` is the dotted path of the offending option."""

    def __init__(self, key: str, message: str) -> None:
        self.key = key
        self.message = message
        super().__init__(f"config: {key}: {message}")


class GitError(SecdocsError):
    """The git repository cannot be read as needed."""


def printable(text: str) -> str:
    """``text`` with control characters escaped, safe to print on a terminal or in a log."""
    return "".join(
        ch if ch.isprintable() or ch == " " else ch.encode("unicode_escape").decode("ascii")
        for ch in text
    )


class EvidenceError(SecdocsError):
    """An evidence file cannot be used. ``path`` names the file, ``line`` is 1-based when known."""

    def __init__(self, path: str, message: str, line: int | None = None) -> None:
        self.path = path
        self.message = message
        self.line = line
        shown = printable(path)
        where = f"{shown}:{line}" if line is not None else shown
        super().__init__(f"{where}: {message}")


class UnsafePathError(EvidenceError):
    """A path would escape its root, or is not a safe name."""


class LimitExceededError(EvidenceError):
    """A file or document is larger or deeper than the configured limit."""
