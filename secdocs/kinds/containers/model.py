"""What the containers kind found for one release: frozen, picklable, no I/O."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from secdocs.model import JSONValue, Status
from secdocs.sbom.model import SEVERITIES, Vulnerability

DIGEST_RE = re.compile(r"^(sha256:[0-9a-f]{64}|sha512:[0-9a-f]{128})$")
#: ``name@sha256:…`` (the name is anything without whitespace; the digest is strict)
REFERENCE_RE = re.compile(r"^(?P<name>[^\s@]{1,255})@(?P<digest>sha256:[0-9a-f]{64})$")

#: outcome words of a hardened-image check (not evidence statuses: a check passes or fails)
PASS = "pass"  # noqa: S105  # nosec B105 - a check result, not a password
FAIL = "fail"
UNKNOWN = "unknown"


def is_digest(value: object) -> bool:
    return isinstance(value, str) and DIGEST_RE.match(value) is not None


def short(digest: str) -> str:
    """``sha256:0123456789ab`` (12 hex digits), for tables."""
    alg, _, hexpart = digest.partition(":")
    return f"{alg}:{hexpart[:12]}" if hexpart else digest


@dataclass(frozen=True, slots=True)
class ImageConfig:
    """The parts of an OCI/Docker image configuration the checks use."""

    user: str | None = None
    created: str | None = None
    os: str = ""
    architecture: str = ""
    labels: tuple[tuple[str, str], ...] = ()
    #: ``created`` of each history step, oldest first (empty strings where absent)
    history: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Image:
    """One image of a release, known by its manifest digest."""

    label: str  # the layout's path in the evidence folder, or the reference
    source: str  # "oci-layout" | "oci-tar" | "reference" | "scan"
    status: Status
    reason: str | None = None
    digest: str | None = None  # manifest digest
    config_digest: str | None = None
    names: tuple[str, ...] = ()  # ref names / repositories
    config: ImageConfig | None = None
    base_name: str | None = None
    base_digest: str | None = None
    layers: int = 0
    layers_absent: int = 0
    size: int = 0
    platform: str = ""


@dataclass(frozen=True, slots=True)
class Misconfiguration:
    id: str
    title: str
    severity: str
    target: str
    message: str = ""
    resolution: str = ""


@dataclass(frozen=True, slots=True)
class Scan:
    """One Trivy report."""

    path: str
    format: str  # "trivy-json" | "trivy-sarif" | "trivy-k8s-summary" | "trivy-cyclonedx"
    artifact: str = ""
    artifact_type: str = ""
    #: manifest digests the report names (``RepoDigests``), config digest (``ImageID``)
    repo_digests: tuple[str, ...] = ()
    image_id: str | None = None
    vulnerabilities: tuple[Vulnerability, ...] = ()
    misconfigurations: tuple[Misconfiguration, ...] = ()
    config: ImageConfig | None = None

    def vulnerability_counts(self) -> dict[str, int]:
        return severity_counts(v.severity for v in self.vulnerabilities)

    def misconfiguration_counts(self) -> dict[str, int]:
        return severity_counts(m.severity for m in self.misconfigurations)


def severity_counts(severities: Iterable[str]) -> dict[str, int]:
    counts = Counter(severities)
    return {s: counts[s] for s in SEVERITIES if counts[s]}


@dataclass(frozen=True, slots=True)
class Check:
    """One hardened-image check of one image."""

    name: str  # "non-root user" | "base image pinned" | "base image age"
    result: str  # PASS | FAIL | UNKNOWN
    reason: str


@dataclass(frozen=True, slots=True)
class ImageSignature:
    """A signature or attestation over an image digest."""

    path: str
    format: str
    status: Status
    reason: str | None
    image: str | None  # label of the image it covers
    digest: str | None  # the digest it signs
    identity: str | None = None
    issuer: str | None = None
    predicate_type: str | None = None
    commands: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ContainersDetail:
    images: tuple[Image, ...] = ()
    scans: tuple[Scan, ...] = ()
    signatures: tuple[ImageSignature, ...] = ()
    #: image label → its hardened-image checks
    checks: tuple[tuple[str, tuple[Check, ...]], ...] = ()
    #: scan path → (image label or None, warning or None)
    ties: tuple[tuple[str, str | None, str | None], ...] = ()
    commands: tuple[tuple[str, tuple[str, ...]], ...] = ()
    extra: dict[str, JSONValue] = field(default_factory=dict)

    def checks_of(self, label: str) -> tuple[Check, ...]:
        return next((c for name, c in self.checks if name == label), ())
