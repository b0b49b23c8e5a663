"""List the files of a release's evidence, from a folder or from a git ref, each with its role
(:func:`secdocs.roles.classify`).

The folder is walked without following symlinks; every name is checked before it is used, every
file is hashed in bounded chunks and files over the size limit are refused, never truncated.
Evidence kept on a git ref (``evidence: {ref: …}``) is listed from the ref's tree with the same
rules: the same names are refused for the same reasons, and links and submodules are refused like
symbolic links in a folder.
"""

from __future__ import annotations

import hashlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from secdocs.errors import SecdocsError
from secdocs.git import GitRepo
from secdocs.model import EvidenceFile
from secdocs.roles import classify
from secdocs.safety import describe, is_safe_segment

#: the digest list ``secdocs collect`` writes: a record of what it was given, written by secdocs
#: itself, so it proves integrity of the evidence since collection, never authenticity
DIGEST_LIST = "secdocs-digests.sha256"

MAX_FILES = 10_000
MAX_DEPTH = 8


@dataclass(frozen=True, slots=True)
class Rejected:
    name: str
    reason: str


@dataclass(frozen=True, slots=True)
class Listing:
    files: tuple[EvidenceFile, ...]
    rejected: tuple[Rejected, ...]


def scan(root: Path, limit: int) -> Listing:
    """Every regular file under ``root`` (sorted), and every entry refused with the reason why."""
    files: list[EvidenceFile] = []
    rejected: list[Rejected] = []
    _walk(root, "", 0, limit, files, rejected)
    files.sort(key=lambda f: f.name)
    rejected.sort(key=lambda r: r.name)
    return Listing(tuple(files), tuple(rejected))


def scan_tree(repo: GitRepo, commit: str, path: str, limit: int) -> Listing | None:
    """Like :func:`scan`, for the tree ``commit:path`` of an evidence ref (``None`` when the ref
    has no such tree). Blobs are read through the repository's bulk ``cat-file`` reader."""
    entries = repo.tree_entries(commit, path)
    if entries is None:
        return None
    files: list[EvidenceFile] = []
    rejected: list[Rejected] = []
    for entry in sorted(entries, key=lambda e: e.path):
        reason = _tree_refusal(entry.path, entry.mode, entry.type, entry.size, limit)
        if entry.mode == "120000" and reason == _LINK:
            try:
                target = repo.read_blob(entry.sha, 4096, entry.path).decode("utf-8", "replace")
                reason = f"symbolic link (to {describe(target)}) refused"
            except SecdocsError:
                pass
        if reason is None and len(files) >= MAX_FILES:
            reason = f"more than {MAX_FILES} files in the folder"
        if reason is None:
            try:
                data = repo.read_blob(entry.sha, limit, f"{path}/{entry.path}")
            except SecdocsError:
                reason = "cannot read"
            else:
                digest = hashlib.sha256(data).hexdigest()
                files.append(_file(entry.path, len(data), digest))
                continue
        rejected.append(Rejected(entry.path, reason))
    files.sort(key=lambda f: f.name)
    rejected.sort(key=lambda r: r.name)
    return Listing(tuple(files), tuple(rejected))


_LINK = "symbolic link refused"


def _tree_refusal(path: str, mode: str, objtype: str, size: int | None, limit: int) -> str | None:
    parts = path.split("/")
    for part in parts:
        if not is_safe_segment(part):
            return f"unsafe file name {describe(part)}"
    if len(parts) >= MAX_DEPTH + 1:
        return f"nested deeper than {MAX_DEPTH} folders"
    if mode == "120000":
        return _LINK
    if objtype != "blob":
        return "not a regular file"
    if size is not None and size > limit:
        return f"{size} bytes exceeds max_file_size ({limit} bytes)"
    return None


def _walk(
    directory: Path,
    prefix: str,
    depth: int,
    limit: int,
    files: list[EvidenceFile],
    rejected: list[Rejected],
) -> None:
    try:
        entries = sorted(os.scandir(directory), key=lambda e: e.name)
    except OSError as exc:
        rejected.append(Rejected(prefix or ".", f"cannot list folder: {exc.strerror}"))
        return
    for entry in entries:
        shown = f"{prefix}{entry.name}"
        if not is_safe_segment(entry.name):
            rejected.append(Rejected(shown, f"unsafe file name {describe(entry.name)}"))
            continue
        try:
            info = entry.stat(follow_symlinks=False)
        except OSError as exc:
            rejected.append(Rejected(shown, f"cannot stat: {exc.strerror}"))
            continue
        if stat.S_ISLNK(info.st_mode):
            target = os.readlink(entry.path)
            rejected.append(Rejected(shown, f"symbolic link (to {describe(target)}) refused"))
        elif stat.S_ISDIR(info.st_mode):
            if depth + 1 >= MAX_DEPTH:
                rejected.append(Rejected(shown, f"nested deeper than {MAX_DEPTH} folders"))
            else:
                _walk(Path(entry.path), f"{shown}/", depth + 1, limit, files, rejected)
        elif not stat.S_ISREG(info.st_mode):
            rejected.append(Rejected(shown, "not a regular file"))
        elif info.st_size > limit:
            rejected.append(
                Rejected(shown, f"{info.st_size} bytes exceeds max_file_size ({limit} bytes)")
            )
        elif len(files) >= MAX_FILES:
            rejected.append(Rejected(shown, f"more than {MAX_FILES} files in the folder"))
        else:
            digest = _sha256(Path(entry.path), limit)
            if digest is None:
                rejected.append(Rejected(shown, "cannot read"))
            else:
                files.append(_file(shown, info.st_size, digest))


def _file(name: str, size: int, digest: str) -> EvidenceFile:
    return EvidenceFile(
        name, size, digest, classify(name), secdocs_written=is_secdocs_written(name)
    )


def _sha256(path: Path, limit: int) -> str | None:
    digest = hashlib.sha256()
    read = 0
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    try:
        while chunk := os.read(fd, 1 << 20):
            read += len(chunk)
            if read > limit:
                return None
            digest.update(chunk)
    finally:
        os.close(fd)
    return digest.hexdigest()


def is_secdocs_written(name: str) -> bool:
    """Whether an evidence file is the digest list secdocs wrote itself (never authenticity)."""
    return name.rsplit("/", 1)[-1] == DIGEST_LIST
