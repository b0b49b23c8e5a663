"""What the signatures kind finds: one entry per signature file or unsigned artifact (no I/O)."""

from __future__ import annotations

from dataclasses import dataclass

from secdocs.model import (
    JSONValue,
    Status,
)


@dataclass(frozen=True)
class SignatureEntry:
    """One signature file (or one unsigned artifact) as shown on the page."""

    path: str
    artifact: str | None
    format: str
    status: Status
    reason: str | None
    identity: str | None
    issuer: str | None
    log_index: int | None
    time: str | None
    commands: tuple[str, ...]

    def as_json(self) -> dict[str, JSONValue]:
        return {
            "path": self.path,
            "artifact": self.artifact,
            "format": self.format,
            "status": self.status.value,
            "reason": self.reason,
            "signer": {"identity": self.identity, "issuer": self.issuer},
            "rekor_log_index": self.log_index,
            "time": self.time,
            "commands": list(self.commands),
        }


@dataclass(frozen=True)
class SignaturesDetail:
    entries: tuple[SignatureEntry, ...]
    checksum_commands: tuple[str, ...] = ()
