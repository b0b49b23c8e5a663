"""What the ``sbom`` kind exports to other kinds, as typed values.

Other kinds (metrics, the changelog's consistency check) read these instead of digging in the
SBOM kind's published JSON. :func:`sbom_export` is the only way in.
"""

from __future__ import annotations

from dataclasses import dataclass

from secdocs.model import ReleaseReport

#: the name the SBOM kind publishes its findings under
KIND = "sbom"


@dataclass(frozen=True, slots=True)
class VulnerabilityRef:
    id: str
    #: ``critical`` | ``high`` | ``medium`` | ``low`` | ``info`` | ``none`` | ``unknown``
    severity: str
    #: the CycloneDX analysis state or VEX status, ``""`` when none was given
    state: str
    #: still affects the release (not resolved, not marked not-affected)
    open: bool
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SbomExport:
    #: an SBOM or a scanner report was read (absence of data is not evidence of a fix)
    has_data: bool
    vulnerabilities: tuple[VulnerabilityRef, ...] = ()
    #: vulnerability ids the diff against the previous release shows as resolved
    resolved: tuple[str, ...] = ()


def sbom_export(report: ReleaseReport) -> SbomExport | None:
    """The SBOM kind's export for one release (``None`` when the kind did not run)."""
    findings = report.findings_of(KIND)
    export = findings.export if findings is not None else None
    return export if isinstance(export, SbomExport) else None
