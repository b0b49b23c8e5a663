"""Demo inputs for the sbom feature: one CycloneDX 1.6 JSON SBOM per release, written with
cyclonedx-python-lib.

The SBOMs change between releases so the demo site shows a real diff: components are added
(click in 1.1.0), removed (six in 2.0.0), upgraded (requests, urllib3, jinja2), downgraded (idna in
2.0.0) and change licence (attrs in 2.0.0). jinja2 3.1.3 arrives in 1.1.0 with CVE-2024-34064 and
is fixed in 1.2.1 (jinja2 3.1.4); cryptography carries a ``not_affected`` VEX analysis. The licence
policy in the plugin options flags chardet (LGPL). Output is deterministic: the serial number is a
uuid5 of the version and the timestamp is the release date.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from cyclonedx.model import HashAlgorithm, HashType
from cyclonedx.model.bom import Bom
from cyclonedx.model.bom_ref import BomRef
from cyclonedx.model.component import Component, ComponentType
from cyclonedx.model.contact import OrganizationalEntity
from cyclonedx.model.impact_analysis import (
    ImpactAnalysisAffectedStatus,
    ImpactAnalysisJustification,
    ImpactAnalysisState,
)
from cyclonedx.model.license import DisjunctiveLicense, LicenseExpression
from cyclonedx.model.vulnerability import (
    BomTarget,
    BomTargetVersionRange,
    Vulnerability,
    VulnerabilityAnalysis,
    VulnerabilityRating,
    VulnerabilityScoreSource,
    VulnerabilitySeverity,
    VulnerabilitySource,
)
from cyclonedx.output.json import JsonV1Dot6
from packageurl import PackageURL

from secdocs.demo.releases import OWNER, PROJECT, DemoRelease, EvidenceDraft

NAMESPACE = uuid.UUID("6f1c9a52-3b8e-5d43-9a0e-1d2f7c4b8e10")

# name -> (licence, supplier, versions by release index; missing index = not in that release)
_PACKAGES: dict[str, tuple[str, str, dict[int, str]]] = {
    "requests": (
        "Apache-2.0",
        "Python Software Foundation",
        {1: "2.31.0", 2: "2.31.0", 3: "2.32.3", 4: "2.32.3", 5: "2.32.3", 6: "2.32.3"},
    ),
    "urllib3": (
        "MIT",
        "urllib3 maintainers",
        {1: "2.0.7", 2: "2.0.7", 3: "2.2.2", 4: "2.2.2", 5: "2.2.2", 6: "2.2.3"},
    ),
    "idna": (
        "BSD-3-Clause",
        "Kim Davies",
        {1: "3.6", 2: "3.6", 3: "3.7", 4: "3.7", 5: "3.7", 6: "3.6"},
    ),
    "certifi": ("MPL-2.0", "Kenneth Reitz", dict.fromkeys(range(1, 7), "2024.2.2")),
    "pyyaml": ("MIT", "YAML", dict.fromkeys(range(1, 7), "6.0.1")),
    "cryptography": (
        "Apache-2.0 OR BSD-3-Clause",
        "Python Cryptographic Authority",
        {1: "41.0.7", 2: "41.0.7", 3: "42.0.5", 4: "42.0.5", 5: "42.0.5", 6: "43.0.1"},
    ),
    "six": ("MIT", "Benjamin Peterson", dict.fromkeys(range(1, 6), "1.16.0")),
    "click": ("BSD-3-Clause", "Pallets", dict.fromkeys(range(2, 7), "8.1.7")),
    "jinja2": (
        "BSD-3-Clause",
        "Pallets",
        {2: "3.1.3", 3: "3.1.3", 4: "3.1.3", 5: "3.1.4", 6: "3.1.4"},
    ),
    "markupsafe": ("BSD-3-Clause", "Pallets", dict.fromkeys(range(2, 7), "2.1.5")),
    "chardet": ("LGPL-2.1-or-later", "Dan Blanchard", dict.fromkeys(range(1, 7), "5.2.0")),
    "attrs": (
        "MIT",
        "Hynek Schlawack",
        {1: "23.2.0", 2: "23.2.0", 3: "23.2.0", 4: "23.2.0", 5: "23.2.0", 6: "24.2.0"},
    ),
}
_LICENCE_CHANGES = {("attrs", "24.2.0"): "MIT OR Apache-2.0"}
# direct dependencies of widget; the rest hang below them
_DIRECT = ("requests", "pyyaml", "cryptography", "click", "jinja2", "chardet", "attrs", "six")
_CHILDREN = {"requests": ("urllib3", "idna", "certifi", "chardet"), "jinja2": ("markupsafe",)}


def _component(name: str, version: str) -> Component:
    licence_text = _LICENCE_CHANGES.get((name, version), _PACKAGES[name][0])
    licence: Any
    if " " in licence_text:
        licence = LicenseExpression(licence_text)
    else:
        licence = DisjunctiveLicense(id=licence_text)
    digest = hashlib.sha256(f"{name}-{version}".encode()).hexdigest()
    purl = PackageURL(type="pypi", name=name, version=version)
    return Component(
        name=name,
        version=version,
        type=ComponentType.LIBRARY,
        purl=purl,
        bom_ref=BomRef(str(purl)),
        licenses=[licence],
        hashes=[HashType(alg=HashAlgorithm.SHA_256, content=digest)],
        supplier=OrganizationalEntity(name=_PACKAGES[name][1]),
    )


def build_bom(release: DemoRelease) -> Bom:
    serial = uuid.uuid5(NAMESPACE, f"{PROJECT}-{release.version}")
    bom = Bom(serial_number=serial)
    bom.metadata.timestamp = release.date
    root = Component(
        name=PROJECT,
        version=release.version,
        type=ComponentType.APPLICATION,
        bom_ref=BomRef(f"pkg:pypi/{PROJECT}@{release.version}"),
        purl=PackageURL(type="pypi", name=PROJECT, version=release.version),
        supplier=OrganizationalEntity(name=OWNER),
    )
    bom.metadata.component = root
    bom.metadata.tools.components.add(
        Component(name="secdocs-demo", version="1", type=ComponentType.APPLICATION)
    )
    components: dict[str, Component] = {}
    for name, (_, _, versions) in sorted(_PACKAGES.items()):
        version = versions.get(release.index)
        if version is not None:
            components[name] = _component(name, version)
            bom.components.add(components[name])
    bom.register_dependency(root, [components[n] for n in _DIRECT if n in components])
    for parent, children in _CHILDREN.items():
        if parent in components:
            bom.register_dependency(
                components[parent], [components[c] for c in children if c in components]
            )
    for component in components.values():
        if component.name not in _CHILDREN:
            bom.register_dependency(component, [])

    jinja = components.get("jinja2")
    if jinja is not None and jinja.version == "3.1.3":
        bom.vulnerabilities.add(
            Vulnerability(
                bom_ref="vuln-CVE-2024-34064",
                id="CVE-2024-34064",
                source=VulnerabilitySource(name="NVD"),
                description="The xmlattr filter accepts keys containing non-attribute characters.",
                ratings=[
                    VulnerabilityRating(
                        score=Decimal("5.4"),
                        severity=VulnerabilitySeverity.MEDIUM,
                        method=VulnerabilityScoreSource.CVSS_V3_1,
                    )
                ],
                affects=[
                    BomTarget(
                        ref=str(jinja.bom_ref),
                        versions=[
                            BomTargetVersionRange(
                                version="3.1.3", status=ImpactAnalysisAffectedStatus.AFFECTED
                            ),
                            BomTargetVersionRange(
                                version="3.1.4", status=ImpactAnalysisAffectedStatus.UNAFFECTED
                            ),
                        ],
                    )
                ],
            )
        )
    crypto = components["cryptography"]
    bom.vulnerabilities.add(
        Vulnerability(
            bom_ref="vuln-CVE-2023-50782",
            id="CVE-2023-50782",
            source=VulnerabilitySource(name="NVD"),
            ratings=[
                VulnerabilityRating(
                    score=Decimal("7.5"),
                    severity=VulnerabilitySeverity.HIGH,
                    method=VulnerabilityScoreSource.CVSS_V3_1,
                )
            ],
            analysis=VulnerabilityAnalysis(
                state=ImpactAnalysisState.NOT_AFFECTED,
                justification=ImpactAnalysisJustification.CODE_NOT_REACHABLE,
                detail="widget never decrypts RSA PKCS#1 v1.5 ciphertexts.",
            ),
            affects=[BomTarget(ref=str(crypto.bom_ref))],
        )
    )
    return bom


def sbom_json(release: DemoRelease) -> bytes:
    return JsonV1Dot6(build_bom(release)).output_as_string(indent=2).encode() + b"\n"


class _Contributor:
    def tree_files(self, release: DemoRelease, previous: DemoRelease | None) -> Mapping[str, bytes]:
        return {}

    def evidence_files(self, draft: EvidenceDraft) -> Mapping[str, bytes]:
        return {f"{PROJECT}-{draft.release.version}.cdx.json": sbom_json(draft.release)}

    def plugin_options(self) -> Mapping[str, Any]:
        return {
            "sbom": {
                "licenses": {
                    "allow": ["MIT", "Apache-2.0", "BSD-3-Clause", "MPL-2.0", "ISC"],
                    "deny": ["GPL-3.0-only", "AGPL-3.0-only"],
                }
            }
        }


CONTRIBUTOR = _Contributor()
