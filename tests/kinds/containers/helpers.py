"""Helpers for the containers tests: a real git repository per release, OCI layouts and tars."""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from kindproject import KindProject

from secdocs.kinds.containers.collect import ContainersCollector


class Project(KindProject):
    """A git repository with one tag per release and an evidence folder for each, and the
    containers kind."""

    def __init__(
        self,
        root: Path,
        releases: Mapping[str, Mapping[str, bytes]],
        sections: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(root, releases, ContainersCollector, sections)


def corpus_layout(corpus: Path, name: str, prefix: str | None = None) -> dict[str, bytes]:
    """The files of a corpus layout folder, keyed by their path under ``prefix``."""
    root = corpus / "oci-layout" / name
    out = prefix if prefix is not None else name
    return {
        f"{out}/{p.relative_to(root).as_posix()}": p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def blob(data: bytes) -> tuple[str, str]:
    hexdigest = hashlib.sha256(data).hexdigest()
    return f"sha256:{hexdigest}", f"blobs/sha256/{hexdigest}"


def make_layout(
    config: Mapping[str, Any],
    layer: bytes = b"layer",
    annotations: Mapping[str, str] | None = None,
    ref_name: str | None = None,
) -> tuple[dict[str, bytes], str]:
    """A minimal, valid OCI layout (relative paths → bytes) and its manifest digest."""
    files: dict[str, bytes] = {"oci-layout": b'{"imageLayoutVersion": "1.0.0"}'}
    config_bytes = json.dumps(config, sort_keys=True).encode()
    config_digest, config_path = blob(config_bytes)
    layer_digest, layer_path = blob(layer)
    manifest: dict[str, Any] = {
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {
            "mediaType": "application/vnd.oci.image.config.v1+json",
            "digest": config_digest,
            "size": len(config_bytes),
        },
        "layers": [
            {
                "mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
                "digest": layer_digest,
                "size": len(layer),
            }
        ],
    }
    if annotations:
        manifest["annotations"] = dict(annotations)
    manifest_bytes = json.dumps(manifest, sort_keys=True).encode()
    manifest_digest, manifest_path = blob(manifest_bytes)
    descriptor: dict[str, Any] = {
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "digest": manifest_digest,
        "size": len(manifest_bytes),
    }
    if ref_name:
        descriptor["annotations"] = {"org.opencontainers.image.ref.name": ref_name}
    files["index.json"] = json.dumps({"schemaVersion": 2, "manifests": [descriptor]}).encode()
    files[config_path] = config_bytes
    files[layer_path] = layer
    files[manifest_path] = manifest_bytes
    return files, manifest_digest


def tar_of(files: Mapping[str, bytes], extra: list[tarfile.TarInfo] | None = None) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as archive:
        for name, data in sorted(files.items()):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mtime = 0
            archive.addfile(info, io.BytesIO(data))
        for info in extra or []:
            archive.addfile(info, io.BytesIO(b"x" * info.size) if info.isfile() else None)
    return buffer.getvalue()


def prefixed(prefix: str, files: Mapping[str, bytes]) -> dict[str, bytes]:
    return {f"{prefix}/{name}": data for name, data in files.items()}
