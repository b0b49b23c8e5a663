"""secdocs' own model of an SBOM: small, frozen, picklable, independent of the input format.

The records are ``msgspec.Struct`` s with ``frozen=True`` (immutable, hashable) and ``gc=False``
(they never form reference cycles, so the cyclic garbage collector need not track the tens of
thousands of them a large SBOM produces). CycloneDX JSON/XML and SPDX JSON readers all produce
:class:`Sbom`; scanners and VEX documents produce :class:`Vulnerability` records.
"""

from __future__ import annotations

import msgspec

#: Severity levels, most severe first. ``unknown`` sorts last.
SEVERITIES = ("critical", "high", "medium", "low", "info", "none", "unknown")
SEVERITY_RANK = {name: index for index, name in enumerate(SEVERITIES)}

#: Analysis states (CycloneDX vocabulary) that mean "nothing left to do".
CLOSED_STATES = frozenset({"not_affected", "resolved", "resolved_with_pedigree", "false_positive"})


class Licence(msgspec.Struct, frozen=True, gc=False):
    """One licence of a component: an SPDX id, an SPDX expression or a free-text name."""

    kind: str  # "id" | "expression" | "name"
    value: str


class Hash(msgspec.Struct, frozen=True, gc=False):
    alg: str
    content: str


class Component(msgspec.Struct, frozen=True, gc=False):
    name: str
    version: str = ""
    type: str = "library"
    purl: str = ""
    group: str = ""
    ref: str = ""
    licences: tuple[Licence, ...] = ()
    hashes: tuple[Hash, ...] = ()
    supplier: str = ""
    scope: str = ""
    #: where this instance is installed, when the SBOM says (``cdx:npm:package:path``)
    path: str = ""

    @property
    def display_name(self) -> str:
        return f"{self.group}/{self.name}" if self.group else self.name

    @property
    def key(self) -> str:
        """Identity across releases: the package URL without version, else group/name/type."""
        if self.purl:
            base = self.purl.split("#", 1)[0].split("?", 1)[0]
            at = base.rfind("@")
            slash = base.rfind("/")
            return base[:at] if at > slash else base
        return f"{self.type}:{self.display_name}"

    @property
    def licence_text(self) -> str:
        """All licences as one string (expressions joined with AND when there are several)."""
        values = [lic.value for lic in self.licences]
        if len(values) > 1:
            return " AND ".join(
                f"({v})" if " " in v and lic.kind == "expression" else v
                for v, lic in zip(values, self.licences, strict=True)
            )
        return values[0] if values else ""


class Dependency(msgspec.Struct, frozen=True, gc=False):
    ref: str
    depends_on: tuple[str, ...] = ()


class Rating(msgspec.Struct, frozen=True, gc=False):
    severity: str = "unknown"
    score: float | None = None
    method: str = ""
    source: str = ""


class Vulnerability(msgspec.Struct, frozen=True, gc=False):
    """A vulnerability as reported for one or more affected components.

    ``affects`` holds component references (bom-refs, bom-links, purls or ``name@version``);
    ``state``/``justification`` are the analysis (CycloneDX vocabulary, ``""`` when none);
    ``origin`` names the document it came from.
    """

    id: str
    source: str = ""
    severity: str = "unknown"
    score: float | None = None
    ratings: tuple[Rating, ...] = ()
    affects: tuple[str, ...] = ()
    state: str = ""
    justification: str = ""
    response: tuple[str, ...] = ()
    detail: str = ""
    fixed_in: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    origin: str = ""

    @property
    def open(self) -> bool:
        return self.state not in CLOSED_STATES


class Sbom(msgspec.Struct, frozen=True, gc=False):
    """One parsed SBOM document."""

    path: str
    format: str  # "CycloneDX" | "SPDX"
    encoding: str  # "json" | "xml"
    spec_version: str
    serial: str = ""
    tools: tuple[str, ...] = ()
    subject: Component | None = None
    components: tuple[Component, ...] = ()
    dependencies: tuple[Dependency, ...] = ()
    vulnerabilities: tuple[Vulnerability, ...] = ()
    #: where the document was embedded, e.g. an in-toto statement's predicate
    container: str = ""

    @property
    def label(self) -> str:
        return f"{self.format} {self.spec_version} ({self.encoding.upper()})"


def severity_from_score(score: float | None) -> str:
    """CVSS v3 qualitative rating of a base score."""
    if score is None:
        return "unknown"
    if score >= 9.0:
        return "critical"
    if score >= 7.0:
        return "high"
    if score >= 4.0:
        return "medium"
    if score > 0.0:
        return "low"
    return "none"


def normalise_severity(value: str | None) -> str:
    text = (value or "").strip().lower()
    if text in ("moderate",):
        return "medium"
    if text in ("informational", "negligible"):
        return "info"
    return text if text in SEVERITY_RANK else "unknown"


def worst_severity(values: list[str] | tuple[str, ...]) -> str:
    return min(values, key=lambda s: SEVERITY_RANK.get(s, len(SEVERITIES)), default="unknown")
