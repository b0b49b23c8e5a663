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


class EvidenceError(SecdocsError):
    """An evidence file cannot be used. ``path`` names the file, ``line`` is 1-based when known."""

    def __init__(self, path: str, message: str, line: int | None = None) -> None:
        self.path = path
        self.message = message
        self.line = line
        where = f"{path}:{line}" if line is not None else path
        super().__init__(f"{where}: {message}")


class UnsafePathError(EvidenceError):
    """A path would escape its root, or is not a safe name."""


class LimitExceededError(EvidenceError):
    """A file or document is larger or deeper than the configured limit."""
