"""Demo inputs for container images: an OCI layout per release, signed and scanned, and a
Kubernetes manifest whose RBAC widens in one release and is narrowed again later.

* ``widget.oci/`` — an OCI image layout written byte for byte the same on every run (fixed
  timestamps, sorted JSON, gzip without a name or time). v1.0.0's image sets no ``User`` (runs as
  root, flagged); later images run as 65532. The base image is named and pinned in the manifest
  annotations and in the provenance; it is rebuilt for v1.2.0.
* ``widget.oci.sig`` + ``widget.oci.payload.json`` — a cosign key signature over the simple-signing
  payload, with the demo's release key (the release candidate's image is left unsigned).
* ``widget.oci.intoto.jsonl`` — SLSA provenance whose subject is the image digest.
* ``widget.trivy.json`` — a Trivy image report tied to the image by ``RepoDigests``.
* ``deploy/k8s/widget.yaml`` — a hardened Deployment and a Role: v1.1.0 widens the Role to
  wildcard verbs and resources, v1.2.0 narrows it again.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import io
import json
import tarfile
from collections.abc import Mapping
from datetime import UTC
from typing import Any

import secdocs.demo.signing as signing
from secdocs.demo.releases import OWNER, PROJECT, SOURCE_URI, DemoRelease, EvidenceDraft

REPOSITORY = f"ghcr.io/{OWNER}/{PROJECT}"
LAYOUT = "widget.oci"
MANIFEST_PATH = "deploy/k8s/widget.yaml"
BASE_NAME = "gcr.io/distroless/static-debian12"
#: (created, digest) of the base image before and after its rebuild at v1.2.0
_BASES = (
    ("2025-11-03T00:00:00Z", "sha256:" + hashlib.sha256(b"demo base image 2025-11").hexdigest()),
    ("2026-06-01T00:00:00Z", "sha256:" + hashlib.sha256(b"demo base image 2026-06").hexdigest()),
)
_GLIBC_FIXED_AT = 4  # the rebuilt base no longer has the vulnerable libc


def _json(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":")).encode()


def _digest(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def _stamp(release: DemoRelease) -> str:
    return release.date.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _base(release: DemoRelease) -> tuple[str, str]:
    return _BASES[1] if release.index >= 4 else _BASES[0]


def _layer(release: DemoRelease) -> tuple[bytes, bytes]:
    """(gzip layer, uncompressed tar) holding the widget binary."""
    payload = f"#!/bin/widget\nversion={release.version}\n".encode()
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as tar:
        info = tarfile.TarInfo("app/widget")
        info.size = len(payload)
        info.mtime = int(release.date.timestamp())
        info.mode = 0o755
        info.uname = info.gname = "root"
        tar.addfile(info, io.BytesIO(payload))
    raw = buffer.getvalue()
    return gzip.compress(raw, mtime=0), raw


def image_config(release: DemoRelease) -> dict[str, Any]:
    created, _ = _base(release)
    inner: dict[str, Any] = {
        "Entrypoint": ["/app/widget"],
        "Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
        "Labels": {
            "org.opencontainers.image.source": f"https://{SOURCE_URI}",
            "org.opencontainers.image.version": release.version,
        },
    }
    if release.index >= 2:
        inner["User"] = "65532:65532"
    _, raw = _layer(release)
    return {
        "architecture": "amd64",
        "config": inner,
        "created": _stamp(release),
        "history": [
            {"created": created, "created_by": f"FROM {BASE_NAME}"},
            {"created": _stamp(release), "created_by": "COPY widget /app/widget"},
        ],
        "os": "linux",
        "rootfs": {"type": "layers", "diff_ids": [_digest(raw)]},
    }


def layout(release: DemoRelease) -> tuple[dict[str, bytes], str]:
    """The image's OCI layout (paths relative to the layout folder) and its manifest digest."""
    layer, _ = _layer(release)
    config = _json(image_config(release))
    _, base_digest = _base(release)
    manifest = _json(
        {
            "annotations": {
                "org.opencontainers.image.base.digest": base_digest,
                "org.opencontainers.image.base.name": f"{BASE_NAME}:nonroot",
                "org.opencontainers.image.created": _stamp(release),
            },
            "config": {
                "digest": _digest(config),
                "mediaType": "application/vnd.oci.image.config.v1+json",
                "size": len(config),
            },
            "layers": [
                {
                    "digest": _digest(layer),
                    "mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
                    "size": len(layer),
                }
            ],
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "schemaVersion": 2,
        }
    )
    digest = _digest(manifest)
    index = _json(
        {
            "manifests": [
                {
                    "annotations": {
                        "io.containerd.image.name": f"{REPOSITORY}:{release.version}",
                        "org.opencontainers.image.ref.name": release.version,
                    },
                    "digest": digest,
                    "mediaType": "application/vnd.oci.image.manifest.v1+json",
                    "size": len(manifest),
                }
            ],
            "mediaType": "application/vnd.oci.image.index.v1+json",
            "schemaVersion": 2,
        }
    )
    files = {
        "oci-layout": _json({"imageLayoutVersion": "1.0.0"}),
        "index.json": index,
    }
    for blob in (layer, config, manifest):
        files[f"blobs/sha256/{hashlib.sha256(blob).hexdigest()}"] = blob
    return files, digest


def simple_signing_payload(digest: str) -> bytes:
    return _json(
        {
            "critical": {
                "identity": {"docker-reference": REPOSITORY},
                "image": {"docker-manifest-digest": digest},
                "type": "cosign container image signature",
            },
            "optional": None,
        }
    )


def provenance(release: DemoRelease, commit: str, digest: str) -> bytes:
    _, base_digest = _base(release)
    statement = {
        "_type": "https://in-toto.io/Statement/v1",
        "subject": [{"name": REPOSITORY, "digest": {"sha256": digest.split(":", 1)[1]}}],
        "predicateType": "https://slsa.dev/provenance/v1",
        "predicate": {
            "buildDefinition": {
                "buildType": "https://actions.github.io/buildtypes/workflow/v1",
                "externalParameters": {
                    "workflow": {
                        "ref": f"refs/tags/{release.tag}",
                        "repository": f"https://{SOURCE_URI}",
                        "path": signing.WORKFLOW,
                    }
                },
                "resolvedDependencies": [
                    {
                        "uri": f"git+https://{SOURCE_URI}@refs/tags/{release.tag}",
                        "digest": {"gitCommit": commit},
                    },
                    {
                        "uri": f"pkg:docker/{BASE_NAME}@nonroot",
                        "digest": {"sha256": base_digest.split(":", 1)[1]},
                    },
                ],
            },
            "runDetails": {"builder": {"id": signing.BUILDER + "@" + signing.BUILDER_REF}},
        },
    }
    payload = _json(statement)
    envelope = {
        "payloadType": signing.PAYLOAD_TYPE,
        "payload": base64.b64encode(payload).decode(),
        "signatures": [
            {
                "keyid": signing.key_id(),
                "sig": base64.b64encode(
                    signing.sign(signing.pae(signing.PAYLOAD_TYPE, payload))
                ).decode(),
            }
        ],
    }
    return _json(envelope) + b"\n"


def trivy_report(release: DemoRelease, digest: str, config_digest: str) -> bytes:
    vulnerabilities = []
    if release.index < _GLIBC_FIXED_AT:
        vulnerabilities.append(
            {
                "VulnerabilityID": "CVE-2024-2961",
                "PkgName": "libc6",
                "PkgIdentifier": {
                    "PURL": "pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64&distro=debian-12"
                },
                "InstalledVersion": "2.36-9+deb12u4",
                "FixedVersion": "2.36-9+deb12u7",
                "Status": "fixed",
                "Severity": "HIGH",
                "Title": "glibc: Out of bounds write in iconv may lead to remote code execution",
            }
        )
    report = {
        "SchemaVersion": 2,
        "CreatedAt": _stamp(release),
        "ArtifactName": f"{REPOSITORY}:{release.version}",
        "ArtifactType": "container_image",
        "Metadata": {
            "ImageID": config_digest,
            "RepoDigests": [f"{REPOSITORY}@{digest}"],
            "RepoTags": [f"{REPOSITORY}:{release.version}"],
            "ImageConfig": image_config(release),
        },
        "Results": [
            {
                "Target": f"{REPOSITORY}:{release.version} (debian 12.5)",
                "Class": "os-pkgs",
                "Type": "debian",
                "Vulnerabilities": vulnerabilities,
            }
        ],
    }
    return (json.dumps(report, indent=2, sort_keys=True) + "\n").encode()


def k8s_manifest(release: DemoRelease) -> str:
    _, digest = layout(release)
    wide = release.index in (2, 3)  # v1.1.0 widens the Role, v1.2.0 narrows it
    verbs = '["*"]' if wide else "[get, list, watch]"
    resources = '["*"]' if wide else "[configmaps]"
    return f"""\
# widget on Kubernetes
apiVersion: apps/v1
kind: Deployment
metadata:
  name: widget
  namespace: widget
spec:
  replicas: 2
  selector:
    matchLabels: {{app: widget}}
  template:
    metadata:
      labels: {{app: widget}}
    spec:
      serviceAccountName: widget
      automountServiceAccountToken: false
      securityContext:
        runAsNonRoot: true
      containers:
        - name: widget
          image: {REPOSITORY}@{digest}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities: {{drop: [ALL]}}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: widget
  namespace: widget
rules:
  - apiGroups: [""]
    resources: {resources}
    verbs: {verbs}
"""


class _Contributor:
    def tree_files(self, release: DemoRelease, previous: DemoRelease | None) -> Mapping[str, bytes]:
        if release.index < 1:
            return {}
        return {MANIFEST_PATH: k8s_manifest(release).encode()}

    def evidence_files(self, draft: EvidenceDraft) -> Mapping[str, bytes]:
        release = draft.release
        files, digest = layout(release)
        out = {f"{LAYOUT}/{name}": data for name, data in files.items()}
        config_digest = _digest(_json(image_config(release)))
        if not release.prerelease:
            payload = simple_signing_payload(digest)
            out[f"{LAYOUT}.payload.json"] = payload
            out[f"{LAYOUT}.sig"] = base64.b64encode(signing.sign(payload)) + b"\n"
        out[f"{LAYOUT}.intoto.jsonl"] = provenance(release, draft.commit, digest)
        out["widget.trivy.json"] = trivy_report(release, digest, config_digest)
        return out

    def plugin_options(self) -> Mapping[str, Any]:
        return {"containers": {"max_base_age_days": 180}}


CONTRIBUTOR = _Contributor()

__all__ = ["CONTRIBUTOR"]
