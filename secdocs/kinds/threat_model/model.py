"""What the threat-model kind finds: the release's deltas and the entries of the risk register (no
I/O)."""

from __future__ import annotations

from dataclasses import dataclass

from secdocs.kinds.threat_model.delta import Delta


@dataclass(frozen=True, slots=True)
class ThreatModelDetail:
    deltas: tuple[Delta, ...]
    #: what was looked for when nothing was found
    expected: str
    #: an error that kept the delta from being read at all (limit, git)
    unreadable: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class RegisterEntry:
    id: str
    title: str
    mitigation: str
    owner: str | None
    status: str
    introduced_in: str
    mitigated_in: str | None
    last_seen: str

    @property
    def still_open(self) -> bool:
        return self.status == "open"
