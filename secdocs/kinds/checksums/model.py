"""What the checksums kind finds: the entries of a checksum file and each file's result."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Entry:
    algorithm: str
    digest: str
    name: str
    line: int


@dataclass(frozen=True, slots=True)
class ChecksumFileResult:
    file: str
    entries: int
    verified: tuple[str, ...]
    failed: tuple[str, ...]
    missing: tuple[str, ...]
    #: listed files not kept in the evidence (binaries known by digest only)
    digest_only: tuple[str, ...] = ()


#: why the digest list ``secdocs collect`` writes is never shown as verified
SECDOCS_WRITTEN_REASON = (
    "written by secdocs collect: a record of the files it was given; it shows the evidence is "
    "unchanged since collection, not who made the files"
)
