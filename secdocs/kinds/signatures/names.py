"""Which evidence files are signatures, and which artifact each one signs."""

from __future__ import annotations

from secdocs.kinds.containers.names import signature_stem

BUNDLE_SUFFIXES = (".sigstore.json", ".sigstore")


SIG_SUFFIX = ".sig"


CERT_SUFFIXES = (".crt", ".pem", ".cert")


def paired_artifact(name: str) -> str | None:
    for suffix in (*BUNDLE_SUFFIXES, SIG_SUFFIX):
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return None


def is_signature_name(name: str) -> bool:
    """A signature of a release file (image signatures belong to the containers kind)."""
    return (
        ".intoto." not in name
        and paired_artifact(name) is not None
        and signature_stem(name) is None
    )
