"""File-name conventions of image evidence in a release's evidence folder.

* ``NAME.oci/`` — an OCI image layout folder; ``NAME.oci.tar`` — the same as a tar;
* ``images.txt`` — image references ``name@sha256:…``, one a line (``#`` starts a comment);
* ``STEM.sigstore.json``, ``STEM.sig`` + ``STEM.payload.json``, ``STEM.intoto.jsonl`` — signatures
  and attestations of an image, where ``STEM`` is a layout (``NAME.oci``, ``NAME.oci.tar``) or
  ``NAME.image`` for an image named only by reference;
* ``*trivy*.json`` / ``*trivy*.sarif`` — Trivy reports (``*.cdx.json`` written by Trivy is an SBOM).
"""

from __future__ import annotations

IMAGE = "image"
IMAGE_SIGNATURE = "image-signature"
SCAN = "scan"  # secdocs.model.Kind.SCAN

REFERENCES_FILE = "images.txt"
LAYOUT_DIR = ".oci"
LAYOUT_TAR = ".oci.tar"
STEMS = (".oci", ".oci.tar", ".image")
SIGNATURE_SUFFIXES = (
    ".sigstore.json",
    ".sigstore",
    ".sig",
    ".payload.json",
    ".intoto.jsonl",
    ".intoto.json",
)
_NOT_SCANS = (".cdx.json", ".spdx.json", ".sigstore.json", ".intoto.json", ".vex.json")


def signature_stem(name: str) -> str | None:
    """``app.oci`` for ``app.oci.sigstore.json``; ``None`` when not an image signature name."""
    for suffix in SIGNATURE_SUFFIXES:
        if name.endswith(suffix):
            stem = name[: -len(suffix)]
            if stem.endswith(STEMS) and stem.rsplit("/", 1)[-1] not in STEMS:
                return stem
    return None


def layout_root(name: str) -> str | None:
    """The layout a file belongs to: ``images/app.oci`` for ``images/app.oci/index.json``, the
    tar itself for ``app.oci.tar``."""
    if name.endswith(LAYOUT_TAR) and name.rsplit("/", 1)[-1] != LAYOUT_TAR:
        return name
    parts = name.split("/")
    for depth, part in enumerate(parts[:-1]):
        if part.endswith(LAYOUT_DIR) and part != LAYOUT_DIR:
            return "/".join(parts[: depth + 1])
    return None


def role(name: str) -> str | None:
    """The role of an image evidence file, ``None`` for other files."""
    if layout_root(name) is not None:
        return IMAGE
    base = name.rsplit("/", 1)[-1].lower()
    if base == REFERENCES_FILE:
        return IMAGE
    if signature_stem(name) is not None:
        return IMAGE_SIGNATURE
    if "trivy" in base and base.endswith((".json", ".sarif")) and not base.endswith(_NOT_SCANS):
        return SCAN
    return None
