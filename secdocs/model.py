"""The evidence model: frozen dataclasses shared by every pipeline stage.

Nothing here does I/O. Collectors build these objects, verifiers decide their :class:`Status`,
renderers turn them into pages and JSON.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TypeAlias

JSONValue: TypeAlias = (
    bool | int | float | str | Sequence["JSONValue"] | Mapping[str, "JSONValue"] | None
)


class Status(enum.StrEnum):
    """Outcome of checking one piece of evidence.

    ``verified`` only ever means a real check passed. ``present`` is informational: the file is
    there and nothing about it can or needs to be verified. The other three always carry a reason.
    """

    VERIFIED = "verified"
    PRESENT = "present"
    MISSING = "missing"
    UNVERIFIABLE = "unverifiable"
    FAILED = "failed"

    @property
    def needs_reason(self) -> bool:
        return self in (Status.MISSING, Status.UNVERIFIABLE, Status.FAILED)

    @property
    def rank(self) -> int:
        """Severity for aggregation: the worst status of a set has the highest rank."""
        return _RANK[self]


_RANK = {
    Status.VERIFIED: 0,
    Status.PRESENT: 1,
    Status.MISSING: 2,
    Status.UNVERIFIABLE: 3,
    Status.FAILED: 4,
}


class Assurance(enum.StrEnum):
    """What a ``verified`` item's passed check established. One word, one meaning:

    * ``authenticity`` — a signature or attestation checked against a pinned identity or key: who
      made it is established;
    * ``integrity`` — a checksum matched: the bytes are those the checksum file lists, and no
      more (who wrote the checksum file, and whether it is signed, is in the item's details);
    * ``validity`` — a document parses and conforms to its schema.
    """

    AUTHENTICITY = "authenticity"
    INTEGRITY = "integrity"
    VALIDITY = "validity"


def worst(statuses: Sequence[Status] | frozenset[Status] | set[Status]) -> Status | None:
    """The most severe status in ``statuses`` (``None`` for an empty collection)."""
    return max(statuses, key=lambda s: s.rank, default=None)


class Kind:
    """Evidence kinds known to the core. Collectors may use other strings for new kinds."""

    ARTIFACT = "artifact"
    SBOM = "sbom"
    SIGNATURE = "signature"
    SIGNATURE_MATERIAL = "signature-material"
    PROVENANCE = "provenance"
    #: a signed statement that is not SLSA provenance (npm's publish attestation)
    ATTESTATION = "attestation"
    CHECKSUMS = "checksums"
    VEX = "vex"
    SCAN = "scan"
    REPORT = "report"
    TAG_SIGNATURE = "tag-signature"
    THREAT_MODEL = "threat-model"
    CHANGELOG = "changelog"
    CONFIG_DIFF = "config-diff"
    EVIDENCE_FOLDER = "evidence-folder"
    #: container images (OCI layouts, references) and their signatures and attestations
    IMAGE = "image"
    IMAGE_SIGNATURE = "image-signature"


@dataclass(frozen=True, slots=True)
class Release:
    """One release, discovered from a git tag."""

    tag: str
    version: str
    commit: str
    date: datetime
    annotated: bool
    prerelease: bool
    tagger: str | None = None
    message: str = ""
    previous: str | None = None
    next: str | None = None
    #: the tag object's id for annotated tags (changes when a tag is re-signed), else the commit
    tag_object: str = ""


@dataclass(frozen=True, slots=True)
class EvidenceFile:
    """A regular file inside a release's evidence folder.

    ``name`` is a POSIX path relative to the folder, already checked to be a safe name.
    """

    name: str
    size: int
    sha256: str
    role: str
    #: written by secdocs itself (the digest list of ``secdocs collect``): a record of what was
    #: collected, never evidence of authenticity
    secdocs_written: bool = False


@dataclass(frozen=True, slots=True)
class Signer:
    identity: str
    issuer: str | None = None


@dataclass(frozen=True, slots=True)
class EvidenceItem:
    """One checked piece of evidence, shown as one row on the release page and in the JSON."""

    kind: str
    path: str | None
    status: Status
    reason: str | None = None
    collector: str = ""
    signer: Signer | None = None
    details: Mapping[str, JSONValue] = field(default_factory=dict)
    #: what the check establishes (required when ``verified``)
    assurance: Assurance | None = None

    def __post_init__(self) -> None:
        if self.status.needs_reason and not self.reason:
            raise ValueError(
                f"evidence {self.kind} {self.path!r}: status {self.status} needs a reason"
            )
        if self.status is Status.VERIFIED and self.assurance is None:
            raise ValueError(
                f"evidence {self.kind} {self.path!r}: verified needs an assurance "
                "(authenticity, integrity or validity)"
            )


@dataclass(frozen=True, slots=True)
class Problem:
    """Input that could not be used: shown on the page and in the JSON, never silently dropped."""

    message: str
    path: str | None = None
    line: int | None = None
    severity: str = "error"  # "error" | "warning"

    def __str__(self) -> str:
        where = self.path or ""
        if self.path and self.line is not None:
            where = f"{self.path}:{self.line}"
        return f"{where}: {self.message}" if where else self.message


@dataclass(frozen=True, slots=True)
class Findings:
    """What one collector found for one release.

    ``data`` is published under ``collectors.<name>`` in ``evidence.json`` and must be JSON-able.
    ``detail`` is the collector's own typed payload for rendering and comparing; it must be
    picklable and is never serialised. ``export`` is what the kind offers other kinds.
    """

    collector: str
    items: tuple[EvidenceItem, ...] = ()
    problems: tuple[Problem, ...] = ()
    data: Mapping[str, JSONValue] = field(default_factory=dict)
    detail: object | None = None
    #: typed values other kinds may read (never serialised); each kind documents its type and
    #: offers a typed accessor (for example :func:`secdocs.kinds.sbom.export.sbom_export`)
    export: object | None = None


@dataclass(frozen=True, slots=True)
class ReleaseReport:
    """Everything known about one release after collection and verification."""

    release: Release
    evidence_dir: str | None
    files: tuple[EvidenceFile, ...]
    findings: tuple[Findings, ...]

    @property
    def items(self) -> tuple[EvidenceItem, ...]:
        return tuple(item for f in self.findings for item in f.items)

    @property
    def problems(self) -> tuple[Problem, ...]:
        return tuple(p for f in self.findings for p in f.problems)

    def findings_of(self, collector: str) -> Findings | None:
        return next((f for f in self.findings if f.collector == collector), None)

    def status_counts(self) -> dict[str, int]:
        counts = {s.value: 0 for s in Status}
        for item in self.items:
            counts[item.status.value] += 1
        return counts

    def assurance_counts(self) -> dict[str, int]:
        """Verified items by what their check established."""
        counts = {a.value: 0 for a in Assurance}
        for item in self.items:
            if item.status is Status.VERIFIED and item.assurance is not None:
                counts[item.assurance.value] += 1
        return counts

    def verified(self, kind: str, assurance: Assurance) -> bool:
        """Whether an item of ``kind`` is verified with ``assurance``."""
        return any(
            i.kind == kind and i.status is Status.VERIFIED and i.assurance is assurance
            for i in self.items
        )

    def has(self, kind: str, *statuses: Status) -> bool:
        """Whether an item of ``kind`` exists (with one of ``statuses``, when given)."""
        return any(
            item.kind == kind and (not statuses or item.status in statuses) for item in self.items
        )

    @property
    def status(self) -> Status | None:
        return worst({item.status for item in self.items})


@dataclass(frozen=True, slots=True)
class Section:
    """A block of a release page contributed by a collector's renderer.

    ``body`` is Markdown in which every piece of evidence-derived text has been escaped with
    :mod:`secdocs.render.html`; raw HTML in it must come from those helpers only.
    """

    id: str
    title: str
    body: str
    order: int = 100


@dataclass(frozen=True, slots=True)
class Page:
    """A generated page. ``path`` is relative to the docs root and ends in ``.md``."""

    path: str
    title: str
    body: str
    nav: bool = False
