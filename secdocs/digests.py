"""Artifacts known by name and digest, so release binaries are optional evidence.

An artifact is known by its SHA-256 from the file itself when it is kept, else from the checksum
files of the release (upstream ``SHA256SUMS``, ``*.sha256`` and the digest list ``secdocs collect``
writes). Signatures, bundles and provenance subjects are then checked against that digest.
The first source that names a file wins; a checksum file that disagrees with it fails in the
``checksums`` collector.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from secdocs.errors import SecdocsError
from secdocs.evidence import DIGEST_LIST, is_secdocs_written
from secdocs.kinds.checksums.parse import parse
from secdocs.model import EvidenceFile, Kind
from secdocs.safety import is_safe_segment

__all__ = ["DIGEST_LIST", "is_secdocs_written", "known_digests"]


def known_digests(
    files: Iterable[EvidenceFile], read: Callable[[EvidenceFile], bytes]
) -> dict[str, str]:
    """Name → SHA-256 hex of every file present and every artifact a checksum file lists."""
    present = list(files)
    digests = {f.name: f.sha256 for f in present}
    # upstream checksum files first, the secdocs-written list last
    sums = sorted(
        (f for f in present if f.role == Kind.CHECKSUMS),
        key=lambda f: (is_secdocs_written(f.name), f.name),
    )
    for file in sums:
        try:
            text = read(file).decode("utf-8")
        except (SecdocsError, UnicodeDecodeError):
            continue
        folder = file.name.rpartition("/")[0]
        entries, _problems = parse(text, file.name)
        for entry in entries:
            if entry.algorithm != "sha256" or not all(
                is_safe_segment(p) for p in entry.name.split("/")
            ):
                continue
            name = f"{folder}/{entry.name}" if folder else entry.name
            digests.setdefault(name, entry.digest)
    return dict(sorted(digests.items()))
