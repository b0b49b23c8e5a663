"""``secdocs collect --tag vX.Y.Z FILES…``: copy release outputs into the evidence folder.

Evidence is immutable: the command refuses to write into a release's folder when any file it
would write already exists, and it writes nothing at all in that case. It records the SHA-256 of
every file it copies in ``SHA256SUMS`` (sorted, ``sha256sum`` format).
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from secdocs.config import Config
from secdocs.discover import parse_version
from secdocs.errors import EvidenceError, SecdocsError
from secdocs.safety import check_relative, check_segment, read_limited

SUMS = "SHA256SUMS"


@dataclass(frozen=True)
class Collected:
    folder: Path
    files: tuple[str, ...]


def evidence_folder(config: Config, tag: str) -> Path:
    check_segment(tag, "tag")
    version = parse_version(tag)
    relative = config.evidence_path(tag, str(version) if version else tag.lstrip("v"))
    check_relative(relative, "evidence folder")
    return config.repo / relative


def collect(config: Config, tag: str, sources: Sequence[Path]) -> Collected:
    """Copy ``sources`` into the tag's evidence folder and write ``SHA256SUMS``.

    Raises :class:`SecdocsError` (nothing written) when a name is unsafe or repeated, a source is
    not a regular file or is too large, or any destination already exists.
    """
    if not sources:
        raise SecdocsError("collect: no files given")
    folder = evidence_folder(config, tag)
    if folder.is_symlink():
        raise SecdocsError(f"collect: {folder} is a symbolic link")
    payload: dict[str, bytes] = {}
    for source in sources:
        name = check_segment(source.name, "file name")
        if name == SUMS:
            raise SecdocsError(f"collect: {source}: {SUMS} is written by secdocs itself")
        if name in payload:
            raise SecdocsError(f"collect: two files are named {name!r}")
        try:
            mode = os.lstat(source).st_mode
        except OSError as exc:
            raise EvidenceError(str(source), f"cannot read: {exc.strerror}") from exc
        if not stat.S_ISREG(mode):
            raise EvidenceError(str(source), "not a regular file")
        payload[name] = read_limited(source, config.max_file_size, str(source))
    targets = [*sorted(payload), SUMS]
    existing = [n for n in targets if (folder / n).exists() or (folder / n).is_symlink()]
    if existing:
        raise SecdocsError(
            f"collect: evidence is immutable and {folder} already has {', '.join(existing)}; "
            "nothing was written"
        )
    folder.mkdir(parents=True, exist_ok=True)
    for name in sorted(payload):
        with (folder / name).open("xb") as handle:
            handle.write(payload[name])
    sums = "".join(
        f"{hashlib.sha256(data).hexdigest()}  {name}\n" for name, data in sorted(payload.items())
    )
    with (folder / SUMS).open("x", encoding="utf-8") as handle:
        handle.write(sums)
    return Collected(folder, tuple(targets))
