"""What the tag-signatures kind finds: the release tag's signature and who made it (no I/O)."""

from __future__ import annotations

from dataclasses import dataclass

from secdocs.model import (
    JSONValue,
    Status,
)


@dataclass(frozen=True)
class TagSignature:
    tag: str
    status: Status
    reason: str | None
    format: str | None
    signer: str | None
    key: str | None
    commands: tuple[str, ...]

    def as_json(self) -> dict[str, JSONValue]:
        return {
            "tag": self.tag,
            "status": self.status.value,
            "reason": self.reason,
            "format": self.format,
            "signer": self.signer,
            "key": self.key,
            "commands": list(self.commands),
        }
