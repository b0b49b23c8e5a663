"""Which evidence files are provenance, and which artifact each one describes."""

from __future__ import annotations

from secdocs.kinds.containers.names import signature_stem

PROVENANCE_SUFFIXES = (".intoto.jsonl", ".intoto.json", ".intoto.sigstore", ".intoto.sigstore.json")


def is_provenance_name(name: str) -> bool:
    """Provenance of release files (attestations of images belong to the containers kind)."""
    return name.endswith(PROVENANCE_SUFFIXES) and signature_stem(name) is None


def subject_artifact(name: str) -> str | None:
    for suffix in (*PROVENANCE_SUFFIXES, ".sigstore.json", ".sigstore"):
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return None
