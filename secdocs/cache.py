"""A content-addressed cache of per-release results.

A release's key covers everything its report depends on: the secdocs code, the collectors, the
configuration (and the files it names), the tag (commit, tag object, message), the digests of its
evidence files — and the previous release's key, because collectors compare each release with the
one before. Change any of it and the key changes, so nothing stale is ever served.

Entries carry a digest of their payload; a truncated or corrupt entry is ignored and rebuilt. The
cache folder must be as trusted as the build host (entries are pickles): never restore it from a
source that untrusted parties can write to. It is always safe to delete.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import pickle  # nosec B403 - entries are written by secdocs on the build host; see module doc
from collections.abc import Iterable
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from secdocs import __version__
from secdocs.config import Config
from secdocs.evidence import Rejected
from secdocs.model import EvidenceFile, Release, ReleaseReport
from secdocs.safety import write_atomically

log = logging.getLogger("mkdocs.plugins.secdocs")

MAGIC = b"SECDOCS-CACHE-1\n"
_DIGEST = hashlib.sha256().digest_size


@cache
def code_digest() -> str:
    """A digest of secdocs' own source, so a changed installation never reuses old results."""
    root = Path(__file__).resolve().parent
    digest = hashlib.sha256(__version__.encode())
    for path in sorted(root.rglob("*")):
        if path.suffix in (".py", ".json", ".js", ".css", ".html", ".md") and path.is_file():
            digest.update(str(path.relative_to(root)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def collectors_digest(collectors: Iterable[Any]) -> str:
    digest = hashlib.sha256()
    for collector in collectors:
        cls = type(collector)
        digest.update(f"{collector.name}={cls.__module__}.{cls.__qualname__}".encode())
        digest.update(repr(sorted(dict(collector.options).items())).encode())
        top = cls.__module__.split(".")[0]
        if top != "secdocs":
            try:
                digest.update(version(top.replace("_", "-")).encode())
            except PackageNotFoundError:
                digest.update(b"unknown")
    return digest.hexdigest()


def referenced_files_digest(config: Config) -> str:
    """Digests of the working-tree files the validated options name (keys, trusted roots,
    signer lists, the security policy file). Paths read at each tag are covered by the commit."""
    digest = hashlib.sha256()
    for value in sorted(set(config.options.named_files())):
        candidate = config.repo / value
        try:
            if candidate.is_file() and candidate.stat().st_size <= config.max_file_size:
                digest.update(value.encode())
                digest.update(hashlib.sha256(candidate.read_bytes()).digest())
        except (OSError, ValueError):
            continue
    return digest.hexdigest()


def release_key(
    base: str,
    release: Release,
    evidence_dir: str | None,
    files: tuple[EvidenceFile, ...],
    rejected: tuple[Rejected, ...],
    previous_key: str,
) -> str:
    digest = hashlib.sha256()
    for part in (
        base,
        previous_key,
        # ``next`` is left out: a new tag must not invalidate the history before it.
        repr(dataclasses.replace(release, next=None)),
        repr(evidence_dir),
        repr(files),
        repr(rejected),
    ):
        digest.update(part.encode())
        digest.update(b"\x00")
    return digest.hexdigest()


class Cache:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.hits = 0
        self.misses = 0

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.pickle"

    def has(self, key: str) -> bool:
        """An entry exists for ``key`` (it may still prove corrupt when loaded)."""
        return self._path(key).is_file()

    def load(self, key: str, tag: str) -> ReleaseReport | None:
        path = self._path(key)
        try:
            blob = path.read_bytes()
        except OSError:
            self.misses += 1
            return None
        report = self._decode(blob, tag)
        if report is None:
            log.info("secdocs: ignoring corrupt cache entry %s", path)
            self.misses += 1
            return None
        self.hits += 1
        return report

    @staticmethod
    def _decode(blob: bytes, tag: str) -> ReleaseReport | None:
        if not blob.startswith(MAGIC) or len(blob) < len(MAGIC) + _DIGEST:
            return None
        stored = blob[len(MAGIC) : len(MAGIC) + _DIGEST]
        payload = blob[len(MAGIC) + _DIGEST :]
        if hashlib.sha256(payload).digest() != stored:
            return None
        try:
            report = pickle.loads(payload)  # noqa: S301  # nosec B301 - integrity-checked, own entries
        except Exception:  # any unpickling failure means a corrupt entry
            return None
        if not isinstance(report, ReleaseReport) or report.release.tag != tag:
            return None
        return report

    def store(self, key: str, report: ReleaseReport) -> None:
        path = self._path(key)
        try:
            payload = pickle.dumps(report, protocol=pickle.HIGHEST_PROTOCOL)
        except (pickle.PicklingError, TypeError, AttributeError) as exc:
            log.info("secdocs: not caching %s: %s", report.release.tag, exc)
            return
        blob = MAGIC + hashlib.sha256(payload).digest() + payload
        try:
            write_atomically(path, blob)
        except OSError as exc:
            log.warning("secdocs: cannot write cache entry %s: %s", path, exc)
