"""Read an OCI image layout offline: ``oci-layout`` → ``index.json`` → manifest → config.

A layout is a folder (as ``skopeo copy … oci:DIR``, ``oras copy --to-oci-layout`` write it) or a
tar of that folder (``docker buildx build --output type=oci,dest=…``). Every blob is found only at
``blobs/<alg>/<hex>`` from its descriptor's digest, read within a size limit, re-hashed and compared
with the digest and size its descriptor claims. Tar members must be regular files or folders with
plain relative names. Anything else makes the layout a failed item with the reason.
"""

from __future__ import annotations

import hashlib
import io
import tarfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from secdocs.errors import SecdocsError
from secdocs.kinds.containers.model import Image, ImageConfig, is_digest
from secdocs.model import Status
from secdocs.safety import describe, is_safe_segment, load_json

#: index, manifest and config blobs are JSON: anything larger is refused
MAX_JSON_BLOB = 4 * 1024 * 1024
MAX_MANIFESTS = 64
MAX_TAR_MEMBERS = 10_000
MAX_HISTORY = 1_000

INDEX_TYPES = (
    "application/vnd.oci.image.index.v1+json",
    "application/vnd.docker.distribution.manifest.list.v2+json",
)
MANIFEST_TYPES = (
    "application/vnd.oci.image.manifest.v1+json",
    "application/vnd.docker.distribution.manifest.v2+json",
)
REF_NAME = "org.opencontainers.image.ref.name"
IMAGE_NAME = "io.containerd.image.name"
BASE_NAME = "org.opencontainers.image.base.name"
BASE_DIGEST = "org.opencontainers.image.base.digest"
#: descriptors of these artifact types are attestations or signatures, not the image
_NOT_IMAGES = (
    "application/vnd.dev.cosign",
    "application/vnd.in-toto",
    "application/vnd.dev.sigstore",
)


class LayoutError(Exception):
    """Why a layout is broken (shown as the failed item's reason)."""


@dataclass(frozen=True)
class Source:
    """Where a layout's files come from: names relative to the layout root, a reader bounded
    by a size limit, and (for folders) the SHA-256 already computed when listing the folder."""

    names: frozenset[str]
    read: Callable[[str, int], bytes]
    sha256: Mapping[str, str]
    sizes: Mapping[str, int]


def folder_source(
    prefix: str,
    files: Mapping[str, tuple[int, str]],
    read: Callable[[str], bytes],
) -> Source:
    """A layout folder inside the evidence folder. ``files`` maps evidence-folder names to
    (size, sha256); ``read`` reads an evidence-folder name (bounded by ``max_file_size``)."""
    inside = {name[len(prefix) :]: meta for name, meta in files.items() if name.startswith(prefix)}

    def reader(name: str, limit: int) -> bytes:
        size = inside[name][0]
        if size > limit:
            raise LayoutError(f"{name}: {size} bytes exceeds the limit of {limit} bytes")
        return read(prefix + name)

    return Source(
        frozenset(inside),
        reader,
        {k: v[1] for k, v in inside.items()},
        {k: v[0] for k, v in inside.items()},
    )


def tar_source(data: bytes) -> Source:
    """A layout tar (already read within ``max_file_size``); every member is checked first."""
    try:
        archive = tarfile.open(fileobj=io.BytesIO(data), mode="r:*")  # noqa: SIM115
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise LayoutError(f"not a readable tar archive ({exc})") from exc
    members: dict[str, tarfile.TarInfo] = {}
    try:
        for count, member in enumerate(archive):
            if count >= MAX_TAR_MEMBERS:
                raise LayoutError(f"more than {MAX_TAR_MEMBERS} tar members")
            name = _member_name(member.name)
            if member.isdir():
                continue
            if not member.isfile():
                what = "link" if member.issym() or member.islnk() else "special file"
                raise LayoutError(f"tar member {describe(member.name)} is a {what}")
            if name in members:
                raise LayoutError(f"tar member {describe(member.name)} appears twice")
            members[name] = member
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise LayoutError(f"corrupt tar archive ({exc})") from exc

    def reader(name: str, limit: int) -> bytes:
        member = members[name]
        if member.size > limit:
            raise LayoutError(f"{name}: {member.size} bytes exceeds the limit of {limit} bytes")
        handle = archive.extractfile(member)
        if handle is None:  # pragma: no cover - regular files always have data
            raise LayoutError(f"{name}: cannot read")
        return handle.read(limit + 1)

    return Source(frozenset(members), reader, {}, {k: m.size for k, m in members.items()})


def _member_name(raw: str) -> str:
    name = raw[2:] if raw.startswith("./") else raw
    name = name.rstrip("/")
    parts = name.split("/")
    if not name or name.startswith("/") or not all(is_safe_segment(p) for p in parts):
        raise LayoutError(f"tar member {describe(raw)} has an unsafe path")
    return name


def read_layout(source: Source, label: str, kind: str, max_blob: int) -> Image:
    """The image of one layout, or a failed :class:`Image` saying why."""
    try:
        return _read(source, label, kind, max_blob)
    except LayoutError as exc:
        return Image(label, kind, Status.FAILED, f"{label}: {exc}")
    except SecdocsError as exc:
        return Image(label, kind, Status.FAILED, f"{label}: {exc}")


def _json(source: Source, name: str, what: str) -> dict[str, Any]:
    if name not in source.names:
        raise LayoutError(f"no {name} ({what})")
    data = source.read(name, MAX_JSON_BLOB)
    try:
        value = load_json(data, name)
    except SecdocsError as exc:
        raise LayoutError(f"{what} is not valid JSON ({getattr(exc, 'message', exc)})") from exc
    if not isinstance(value, dict):
        raise LayoutError(f"{what} is not a JSON object")
    return value


def _blob(source: Source, descriptor: object, what: str, max_size: int) -> tuple[str, bytes | None]:
    """Check a descriptor and its blob; the bytes when the blob is at most ``max_size``."""
    if not isinstance(descriptor, Mapping):
        raise LayoutError(f"{what}: descriptor is not an object")
    digest = descriptor.get("digest")
    size = descriptor.get("size")
    if not is_digest(digest) or not isinstance(digest, str):
        raise LayoutError(f"{what}: digest {describe(str(digest))[:80]} is not sha256:<64 hex>")
    if not isinstance(size, int) or isinstance(size, bool) or size < 0:
        raise LayoutError(f"{what} {digest}: size is not a non-negative integer")
    alg, _, hexpart = digest.partition(":")
    name = f"blobs/{alg}/{hexpart}"
    if name not in source.names:
        raise LayoutError(f"{what} {digest}: blob {name} is not in the layout")
    actual = source.sizes.get(name)
    if actual is not None and actual != size:
        raise LayoutError(f"{what} {digest}: blob has {actual} bytes, descriptor says {size}")
    if size > max_size:
        known = source.sha256.get(name)
        if alg == "sha256" and known is not None:
            if known != hexpart:
                raise LayoutError(f"{what} {digest}: blob content does not match its digest")
            return digest, None
        raise LayoutError(f"{what} {digest}: {size} bytes exceeds the limit of {max_size} bytes")
    data = source.read(name, max_size)
    if len(data) != size:
        raise LayoutError(f"{what} {digest}: blob has {len(data)} bytes, descriptor says {size}")
    if hashlib.new(alg, data).hexdigest() != hexpart:
        raise LayoutError(f"{what} {digest}: blob content does not match its digest")
    return digest, data


def _object(data: bytes | None, what: str) -> dict[str, Any]:
    try:
        value = load_json(data or b"", what)
    except SecdocsError as exc:
        raise LayoutError(f"{what} is not valid JSON") from exc
    if not isinstance(value, dict):
        raise LayoutError(f"{what} is not a JSON object")
    return value


def _read(source: Source, label: str, kind: str, max_blob: int) -> Image:
    marker = _json(source, "oci-layout", "the oci-layout marker file")
    version = marker.get("imageLayoutVersion")
    if not isinstance(version, str) or not version.startswith("1."):
        raise LayoutError(f"oci-layout: imageLayoutVersion {describe(str(version))} is not 1.x")
    index = _json(source, "index.json", "index.json")
    manifests = index.get("manifests")
    if index.get("schemaVersion") != 2 or not isinstance(manifests, list):
        raise LayoutError("index.json is not an OCI image index (schemaVersion 2, manifests)")
    names: list[str] = []
    chosen: tuple[Mapping[str, Any], dict[str, Any], str] | None = None
    for descriptor in _images(manifests):
        annotations = descriptor.get("annotations")
        if isinstance(annotations, Mapping):
            names += [
                v
                for k, v in sorted(annotations.items())
                if k in (REF_NAME, IMAGE_NAME) and isinstance(v, str)
            ]
        digest, data = _blob(source, descriptor, "manifest", MAX_JSON_BLOB)
        manifest = _object(data, f"manifest {digest}")
        media = manifest.get("mediaType") or descriptor.get("mediaType")
        if media in INDEX_TYPES:
            nested = manifest.get("manifests")
            if not isinstance(nested, list) or not nested:
                raise LayoutError(f"image index {digest} lists no manifests")
            # a multi-platform image: its digest is the index's; the first platform is read
            first = next(iter(_images(nested)), None)
            if first is None:
                raise LayoutError(f"image index {digest} lists no image manifests")
            _, inner = _blob(source, first, "manifest", MAX_JSON_BLOB)
            platform = first.get("platform")
            chosen = (descriptor, _object(inner, "manifest"), digest)
            if isinstance(platform, Mapping):
                chosen[1].setdefault(
                    "_platform", f"{platform.get('os')}/{platform.get('architecture')}"
                )
        elif chosen is None:
            chosen = (descriptor, manifest, digest)
    if chosen is None:
        raise LayoutError("index.json lists no image manifest")
    _, manifest, digest = chosen
    if manifest.get("schemaVersion") != 2:
        raise LayoutError(f"manifest {digest} is not schemaVersion 2")
    config_digest, config_data = _blob(source, manifest.get("config"), "config", MAX_JSON_BLOB)
    config = _object(config_data, f"config {config_digest}")
    layers = manifest.get("layers")
    if not isinstance(layers, list):
        raise LayoutError(f"manifest {digest} has no layers list")
    absent = 0
    size = 0
    for layer in layers:
        if not isinstance(layer, Mapping):
            raise LayoutError(f"manifest {digest}: a layer descriptor is not an object")
        layer_digest = layer.get("digest")
        if isinstance(layer_digest, str) and is_digest(layer_digest):
            alg, _, hexpart = layer_digest.partition(":")
            if f"blobs/{alg}/{hexpart}" not in source.names:
                absent += 1
                continue
        _blob(source, layer, "layer", max_blob)
        layer_size = layer.get("size")
        size += layer_size if isinstance(layer_size, int) else 0
    annotations = manifest.get("annotations")
    annotations = annotations if isinstance(annotations, Mapping) else {}
    base_name = annotations.get(BASE_NAME)
    base_digest = annotations.get(BASE_DIGEST)
    platform = str(
        manifest.get("_platform") or f"{config.get('os', '')}/{config.get('architecture', '')}"
    )
    return Image(
        label=label,
        source=kind,
        status=Status.VERIFIED,
        digest=digest,
        config_digest=config_digest,
        names=tuple(dict.fromkeys(names)),
        config=image_config(config),
        base_name=base_name if isinstance(base_name, str) else None,
        base_digest=base_digest if is_digest(base_digest) else None,
        layers=len(layers),
        layers_absent=absent,
        size=size,
        platform=platform.strip("/"),
    )


def _images(descriptors: list[Any]) -> list[Mapping[str, Any]]:
    """Descriptors of images (manifests and indexes), not of signatures or attestations."""
    found: list[Mapping[str, Any]] = []
    for descriptor in descriptors[: MAX_MANIFESTS + 1]:
        if len(found) >= MAX_MANIFESTS:
            raise LayoutError(f"more than {MAX_MANIFESTS} manifests")
        if not isinstance(descriptor, Mapping):
            raise LayoutError("a manifest descriptor is not an object")
        artifact = str(descriptor.get("artifactType") or "")
        media = str(descriptor.get("mediaType") or "")
        if artifact.startswith(_NOT_IMAGES) or media.startswith(_NOT_IMAGES):
            continue
        if media and media not in (*MANIFEST_TYPES, *INDEX_TYPES):
            continue
        found.append(descriptor)
    return found


def image_config(config: Mapping[str, Any]) -> ImageConfig:
    """The checked fields of an image configuration (OCI config or Trivy's ``ImageConfig``)."""
    inner = config.get("config")
    inner = inner if isinstance(inner, Mapping) else {}
    user = inner.get("User")
    labels = inner.get("Labels")
    history = config.get("history")
    created = config.get("created")
    return ImageConfig(
        user=user if isinstance(user, str) else None,
        created=created if isinstance(created, str) else None,
        os=str(config.get("os") or ""),
        architecture=str(config.get("architecture") or ""),
        labels=tuple(
            sorted((str(k), str(v)) for k, v in labels.items())[:200]
            if isinstance(labels, Mapping)
            else ()
        ),
        history=tuple(
            str(h.get("created") or "") if isinstance(h, Mapping) else ""
            for h in (history if isinstance(history, list) else [])[:MAX_HISTORY]
        ),
    )
