"""npm's publish attestation and the npm package an attestation is about.

The npm registry signs, with its own key, a publish attestation for every package version published
with provenance (predicate ``https://github.com/npm/attestation/tree/main/specs/publish/v0.1``):
"the registry published package *name* at *version*, whose tarball has this sha512". It is not
SLSA provenance: it says who published what, not how it was built.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from packageurl import PackageURL

NPM_PUBLISH_V01 = "https://github.com/npm/attestation/tree/main/specs/publish/v0.1"
NPM_REGISTRY = "https://registry.npmjs.org"


@dataclass(frozen=True)
class NpmPackage:
    name: str
    version: str

    def __str__(self) -> str:
        return f"{self.name}@{self.version}"

    @property
    def tarball(self) -> str:
        """The file ``npm pack`` writes (``@scope/name`` 1.0.0 → ``scope-name-1.0.0.tgz``)."""
        return f"{self.name.removeprefix('@').replace('/', '-')}-{self.version}.tgz"


@dataclass(frozen=True)
class NpmPublish:
    """What a publish attestation says: the registry published ``package``."""

    package: NpmPackage | None
    registry: str | None
    #: the package named by the statement's ``pkg:npm`` subject
    subject: NpmPackage | None


def package_of_purl(text: object) -> NpmPackage | None:
    """``pkg:npm/%40scope/name@1.0.0`` → ``@scope/name`` 1.0.0 (``None`` if not an npm purl)."""
    if not isinstance(text, str) or not text.startswith("pkg:npm/"):
        return None
    try:
        purl = PackageURL.from_string(text)
    except ValueError:
        return None
    if not purl.version:
        return None
    name = f"{purl.namespace}/{purl.name}" if purl.namespace else purl.name
    return NpmPackage(name, purl.version)


def subject_package(statement: Mapping[str, Any]) -> NpmPackage | None:
    """The npm package of the statement's first ``pkg:npm`` subject."""
    subjects = statement.get("subject")
    for subject in subjects if isinstance(subjects, list) else []:
        if isinstance(subject, Mapping):
            package = package_of_purl(subject.get("name"))
            if package is not None:
                return package
    return None


def publish_of(statement: Mapping[str, Any]) -> NpmPublish | None:
    """The publish attestation's content (``None`` for any other predicate)."""
    if statement.get("predicateType") != NPM_PUBLISH_V01:
        return None
    predicate = statement.get("predicate")
    predicate = predicate if isinstance(predicate, Mapping) else {}
    name, version = predicate.get("name"), predicate.get("version")
    package = (
        NpmPackage(name, version)
        if isinstance(name, str) and name and isinstance(version, str) and version
        else None
    )
    registry = predicate.get("registry")
    return NpmPublish(
        package=package,
        registry=registry if isinstance(registry, str) and registry else None,
        subject=subject_package(statement),
    )
