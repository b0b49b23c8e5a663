"""What the provenance kind finds: each attestation, its checks and its summary (no I/O)."""

from __future__ import annotations

from dataclasses import dataclass

from secdocs.kinds.provenance.npm import NpmPublish
from secdocs.kinds.provenance.slsa import (
    ProvenanceSummary,
)
from secdocs.model import (
    JSONValue,
    Status,
)

PASS, FAIL, UNKNOWN = "pass", "fail", "unknown"


@dataclass(frozen=True)
class Check:
    name: str
    result: str  # pass | fail | unknown
    detail: str


@dataclass(frozen=True)
class Attestation:
    path: str
    line: int | None
    status: Status
    reason: str | None
    format: str
    predicate_type: str | None
    summary: ProvenanceSummary | None
    checks: tuple[Check, ...]
    signer: str | None
    issuer: str | None
    log_index: int | None
    subjects: tuple[str, ...]
    commands: tuple[str, ...]
    #: position (1-based) inside a file holding several attestations as a JSON list
    entry: int | None = None
    publish: NpmPublish | None = None

    @property
    def item_path(self) -> str:
        """The file, and which attestation in it: ``file#L3`` (JSON Lines) or ``file#2``."""
        if self.line is not None:
            return f"{self.path}#L{self.line}"
        if self.entry is not None:
            return f"{self.path}#{self.entry}"
        return self.path

    def as_json(self) -> dict[str, JSONValue]:
        s = self.summary
        publish = self.publish
        return {
            "path": self.path,
            "line": self.line,
            "entry": self.entry,
            "npm_publish": (
                {
                    "package": str(publish.package) if publish.package else None,
                    "registry": publish.registry,
                }
                if publish is not None
                else None
            ),
            "status": self.status.value,
            "reason": self.reason,
            "format": self.format,
            "predicate_type": self.predicate_type,
            "builder": s.builder if s else None,
            "build_type": s.build_type if s else None,
            "source_uri": s.source_uri if s else None,
            "source_ref": s.source_ref if s else None,
            "source_commit": s.source_commit if s else None,
            "trigger": s.trigger if s else None,
            "signer": {"identity": self.signer, "issuer": self.issuer},
            "rekor_log_index": self.log_index,
            "subjects": list(self.subjects),
            "checks": [
                {"name": c.name, "result": c.result, "detail": c.detail} for c in self.checks
            ],
            "commands": list(self.commands),
        }


@dataclass(frozen=True)
class ProvenanceDetail:
    attestations: tuple[Attestation, ...]
