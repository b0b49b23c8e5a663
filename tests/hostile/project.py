"""A real git project whose every rendered field is hostile, for the browser suite.

Payloads from :mod:`payloads` are planted in: the project name secdocs renders (the plugin's
``site_name``), tag messages, tagger names and e-mails, commit messages (the changelog's
fallback), refused tag names, refused evidence file names, names listed in checksum files, SBOMs
(CycloneDX JSON and XML, SPDX: component names, versions, groups, licences, descriptions, purls,
suppliers, authors, publishers, vulnerability ids and analyses), VEX documents, the changelog's
security section, threat-model deltas (front matter, sections, risk titles, mitigations, owners),
configuration keys and values (YAML and plain text), a Kubernetes manifest (object names and
images the least-privilege flags quote), an OCI image layout (reference names, base image name,
the configured user), a Trivy report (scanned artifact, targets, misconfiguration ids and titles),
provenance (builder, source, ref, build
type, trigger, subjects), a Sigstore bundle whose certificate identity and issuer are hostile, a
bundle-shaped file, the principal of an SSH-signed tag, JUnit and SARIF reports, advisories,
risk acceptances, the version index and the free text of the security policy.

MkDocs' own ``site_name`` stays plain: Material inserts it into its templates as HTML (MkDocs
renders themes without autoescaping), and ``mkdocs.yml`` is the site owner's trusted
configuration (it can run Python through hooks); see ``docs/threat-model/index.md``.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import yaml
from gitutil import Repo, git_env, new_repo

from secdocs.demo import signing

from .payloads import Registry

#: tags git accepts but secdocs must refuse (not safe path segments)
UNSAFE_TAGS = (
    "v9.0.0\"><svg/onload=alert('xss-tag')>",
    "v9.1.0'onmouseover='alert(1)'",
    "v9.2.0<script>alert(2)<",
    "v9.3.0/../../etc",  # git refuses this one; kept to show it never gets that far
)
SAFE_TAGS = ("v1.0.0", "v1.1.0", "v2.0.0-rc.1", "v2.0.0")
DELTA_DIR = "docs/threat-model/deltas"
SCRIPTABLE_FILES = (
    "report.html",
    "REPORT2.HTM",
    "diagram.svg",
    "page.xhtml",
    "feed.xml",
    "style.css",
    "app.js",
    "notes.md",
)
ADVISORY_DIR = "security/advisories"
SOURCE = "github.com/acme/widget"
BUILDER = "https://github.com/acme/builder"


def _tag_as(
    repo: Repo, name: str, message: str, tagger: str, email: str, ssh_key: Path | None = None
) -> None:
    env = git_env(repo.epoch)
    env["GIT_COMMITTER_NAME"] = tagger
    env["GIT_COMMITTER_EMAIL"] = email
    sign = (
        ["-c", "gpg.format=ssh", "-c", f"user.signingkey={ssh_key}", "tag", "-s"]
        if ssh_key
        else ["-c", "tag.gpgsign=false", "tag", "-a"]
    )
    subprocess.run(
        ["git", *sign, name, "-F", "-"],
        cwd=repo.root,
        env=env,
        input=message,
        text=True,
        check=True,
        capture_output=True,
    )


def _try_tag(repo: Repo, name: str) -> bool:
    result = subprocess.run(
        ["git", "tag", name],
        cwd=repo.root,
        env=git_env(repo.epoch),
        capture_output=True,
        check=False,
    )
    return result.returncode == 0


def changelog(reg: Registry) -> str:
    items = "\n".join(f"- {p.text}" for p in reg.for_field("changelog security entries"))
    return (
        "# Changelog\n\n"
        f"## [2.0.0-rc.1] - 2025-01-04\n\n### Security\n\n{items}\n\n"
        "## [1.0.0] - 2025-01-02\n\n### Security\n\n"
        + "\n".join(f"- **Security:** {p.text}" for p in reg.for_field("changelog bold entries"))
        + "\n"
    )


def delta(reg: Registry, version: str, nth: int) -> str:
    """A threat-model delta; renderers cut titles (200/300 characters), so titles carry a few
    payloads each (rotating over the classes by ``nth``) and the long fields carry them all."""
    front = reg.one_line(f"delta {version} front matter title", classes=slice(2 * nth, 2 * nth + 2))
    owner = reg.one_line(f"delta {version} front matter owner (not displayed)", shown=False)
    titles = reg.for_field(f"delta {version} risk titles", classes=slice(5 * nth, 5 * nth + 5))
    mitigation = reg.one_line(f"delta {version} risk mitigation")
    risk_owner = reg.one_line(f"delta {version} risk owner")
    risks = "\n\n".join(
        f"### R-{i}: {p.text}\n- Mitigation: {mitigation if i == 1 else 'none'}\n"
        f"- Status: open\n- Owner: {risk_owner if i == 2 else 'appsec'}"
        for i, p in enumerate(titles, start=1)
    )
    return (
        f"---\ntitle: {json.dumps(front)}\nowner: {json.dumps(owner)}\n---\n"
        f"# Threat-model delta for {version}\n\n"
        f"## What changes\n\n{reg.lines(f'delta {version} what changes')}\n\n"
        f"## Data touched\n\n{reg.lines(f'delta {version} data touched')}\n\n"
        f"## Trust boundaries\n\n{reg.lines(f'delta {version} trust boundaries')}\n\n"
        f"## Risks\n\n{risks}\n"
    )


def config_values(reg: Registry, field: str, version: str) -> str:
    # the data: URL's base64 is high-entropy: config diffs redact it as a likely secret
    payloads = reg.for_field(field, hidden=("markdown-data-url",))
    document: dict[str, Any] = {
        "image": f"ghcr.io/acme/widget:{version}",
        "tls": {"minVersion": "TLSv1.2"},
        "settings": {p.text: f"{p.text} ({version})" for p in payloads},
    }
    return yaml.safe_dump(document, sort_keys=True, allow_unicode=True)


def config_text(reg: Registry, field: str, version: str) -> str:
    return f"# app.conf {version}\n" + "".join(
        f"setting_{i} = {p.text} {version}\n" for i, p in enumerate(reg.for_field(field))
    )


def cyclonedx(reg: Registry, version: str) -> bytes:
    def comp(i: int, p: Any, q: Any, r: Any) -> dict[str, Any]:
        return {
            "type": "library",
            "bom-ref": f"ref-{i}-{p.marker}",
            "name": p.text,
            "version": q.text,
            "group": r.text,
            "description": p.text,
            "purl": f"pkg:pypi/xss-{i}@1.0?note={p.text}",
            "supplier": {"name": q.text, "url": ["javascript:alert('xss-supplier')"]},
            "author": r.text,
            "publisher": p.text,
            "licenses": [
                {"license": {"id": q.text}},
                {"license": {"name": r.text, "url": "javascript:alert('xss-licence')"}},
                {"expression": f"MIT OR {p.text}"},
            ],
            "externalReferences": [{"type": "website", "url": "javascript:alert('xss-ref')"}],
            "hashes": [{"alg": "SHA-256", "content": p.text}],
        }

    names = reg.for_field(f"cyclonedx {version} component name/description/purl/publisher")
    versions = reg.for_field(f"cyclonedx {version} component version/supplier/licence id")
    groups = reg.for_field(f"cyclonedx {version} component group/author/licence name")
    vulns = reg.for_field(f"cyclonedx {version} vulnerability fields")
    meta = reg.one_line(f"cyclonedx {version} metadata component")
    doc = {
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "serialNumber": "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79",
        "version": 1,
        "metadata": {
            "timestamp": "2025-01-02T00:00:00Z",
            "component": {"type": "application", "name": meta, "version": version},
            "supplier": {"name": meta},
            "authors": [{"name": meta, "email": "x@example.org"}],
        },
        "components": [comp(i, p, versions[i], groups[i]) for i, p in enumerate(names)],
        "dependencies": [
            {"ref": f"ref-0-{names[0].marker}", "dependsOn": [f"ref-1-{names[1].marker}"]}
        ],
        "vulnerabilities": [
            {
                "id": v.text,
                "bom-ref": f"vuln-{i}",
                "description": v.text,
                "detail": v.text,
                "recommendation": v.text,
                "source": {"name": v.text, "url": "javascript:alert('xss-vsrc')"},
                "ratings": [{"severity": "high", "method": "CVSSv31", "vector": v.text}],
                "analysis": {
                    "state": "not_affected",
                    "justification": "code_not_reachable",
                    "detail": v.text,
                },
                "affects": [{"ref": f"ref-0-{names[0].marker}"}],
                "advisories": [{"url": "javascript:alert('xss-adv')", "title": v.text}],
            }
            for i, v in enumerate(vulns)
        ],
    }
    return json.dumps(doc, indent=1).encode()


def cyclonedx_xml(reg: Registry) -> bytes:
    from xml.sax.saxutils import escape, quoteattr  # only to write the test input

    comps = "".join(
        f'<component type="library" bom-ref={quoteattr("x" + p.marker)}>'
        f"<name>{escape(p.text)}</name><version>{escape(p.text)}</version>"
        f"<description>{escape(p.text)}</description>"
        f"<licenses><license><name>{escape(p.text)}</name></license></licenses>"
        f"<purl>{escape('pkg:generic/x@1?q=' + p.text)}</purl></component>"
        for p in reg.for_field("cyclonedx xml component fields")
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<bom xmlns="http://cyclonedx.org/schema/bom/1.5" version="1">'
        f"<components>{comps}</components></bom>\n"
    ).encode()


def spdx(reg: Registry) -> bytes:
    pkgs = reg.for_field("spdx package fields")
    doc = {
        "spdxVersion": "SPDX-2.3",
        "dataLicense": "CC0-1.0",
        "SPDXID": "SPDXRef-DOCUMENT",
        "name": pkgs[0].text,
        "documentNamespace": "https://example.org/spdx/xss",
        "creationInfo": {"created": "2025-01-02T00:00:00Z", "creators": ["Tool: xss"]},
        "packages": [
            {
                "SPDXID": f"SPDXRef-P{i}",
                "name": p.text,
                "versionInfo": p.text,
                "supplier": f"Organization: {p.text}",
                "downloadLocation": "javascript:alert('xss-spdx')",
                "licenseConcluded": p.text,
                "licenseDeclared": f"MIT AND {p.text}",
                "description": p.text,
                "externalRefs": [
                    {
                        "referenceCategory": "PACKAGE-MANAGER",
                        "referenceType": "purl",
                        "referenceLocator": f"pkg:npm/x{i}@1?y={p.text}",
                    }
                ],
            }
            for i, p in enumerate(pkgs)
        ],
    }
    return json.dumps(doc, indent=1).encode()


def openvex(reg: Registry) -> bytes:
    doc = {
        "@context": "https://openvex.dev/ns/v0.2.0",
        "@id": "https://example.org/vex/xss",
        "author": reg.one_line("openvex author (not displayed)", shown=False),
        "timestamp": "2025-01-02T00:00:00Z",
        "version": 1,
        "statements": [
            {
                "vulnerability": {"name": p.text, "@id": p.text},
                "products": [{"@id": p.text}],
                "status": "not_affected",
                "justification": "vulnerable_code_not_in_execute_path",
                "impact_statement": p.text,
                "status_notes": p.text,
            }
            for p in reg.for_field("openvex statements")
        ],
    }
    return json.dumps(doc, indent=1).encode()


def provenance(reg: Registry, tag: str, commit: str, artifacts: dict[str, bytes]) -> bytes:
    builders = reg.for_field(f"provenance {tag} builder id")
    sources = reg.for_field(f"provenance {tag} source/ref/build type/trigger")
    subjects = reg.for_field(f"provenance {tag} subject names", slash=False)
    lines = []
    for i, (b, s) in enumerate(zip(builders, sources, strict=True)):
        statement = {
            "_type": "https://in-toto.io/Statement/v1",
            "subject": [
                {"name": name, "digest": {"sha256": hashlib.sha256(data).hexdigest()}}
                for name, data in sorted(artifacts.items())
            ]
            + (
                [{"name": subjects[i].text, "digest": {"sha256": "0" * 64}}]
                if i < len(subjects)
                else []
            ),
            "predicateType": "https://slsa.dev/provenance/v1",
            "predicate": {
                "buildDefinition": {
                    "buildType": s.text,
                    "externalParameters": {
                        "workflow": {"ref": s.text, "repository": s.text, "path": s.text}
                    },
                    "internalParameters": {"github": {"event_name": s.text}},
                    "resolvedDependencies": [
                        {"uri": f"git+{s.text}", "digest": {"gitCommit": s.text}},
                        {
                            "uri": f"git+https://{SOURCE}@refs/tags/{tag}",
                            "digest": {"gitCommit": commit},
                        },
                    ],
                },
                "runDetails": {"builder": {"id": b.text}, "metadata": {"invocationId": b.text}},
            },
        }
        lines.append(signing.envelope(statement))
    return b"".join(lines)


def bundle_like(reg: Registry) -> bytes:
    """A file shaped like a Sigstore bundle whose every string field is hostile."""
    p = reg.one_line("sigstore bundle-shaped file (refused, not displayed)", shown=False)
    doc = {
        "mediaType": "application/vnd.dev.sigstore.bundle.v0.3+json",
        "verificationMaterial": {
            "certificate": {"rawBytes": p},
            "tlogEntries": [{"logIndex": p, "kindVersion": {"kind": p, "version": p}}],
        },
        "messageSignature": {"messageDigest": {"algorithm": p, "digest": p}, "signature": p},
    }
    return json.dumps(doc).encode()


def bundle_with_hostile_certificate(reg: Registry, artifact: bytes) -> bytes:
    """A well-formed Sigstore bundle whose certificate (self-signed, never trusted) carries
    hostile SAN URI, SAN e-mail, subject and OIDC-issuer extension values. secdocs shows the
    certificate's identity next to the failed verification, so these fields are rendered."""
    import base64
    import datetime

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID, ObjectIdentifier

    def b64(data: bytes) -> str:
        return base64.b64encode(data).decode()

    def ascii_only(text: str) -> str:
        return text.encode("ascii", "ignore").decode()

    uri = ascii_only(reg.one_line("certificate SAN URI (signer identity)"))
    issuer = ascii_only(reg.one_line("certificate OIDC issuer extension"))
    key = ec.derive_private_key(424242, ec.SECP256R1())
    when = datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "<svg onload=alert(1)>")])
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(when)
        .not_valid_after(when + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.UniformResourceIdentifier(uri)]), True)
        .add_extension(
            x509.UnrecognizedExtension(ObjectIdentifier("1.3.6.1.4.1.57264.1.1"), issuer.encode()),
            False,
        )
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CODE_SIGNING]), False)
        .sign(key, hashes.SHA256())
    )
    digest = hashlib.sha256(artifact).digest()
    signature = key.sign(artifact, ec.ECDSA(hashes.SHA256()))
    pem = cert.public_bytes(serialization.Encoding.PEM)
    body = {
        "apiVersion": "0.0.1",
        "kind": "hashedrekord",
        "spec": {
            "data": {"hash": {"algorithm": "sha256", "value": digest.hex()}},
            "signature": {"content": b64(signature), "publicKey": {"content": b64(pem)}},
        },
    }
    checkpoint = "rekor.sigstore.dev - 1\n8\nAQEB\n\n\u2014 rekor.sigstore.dev abc=\n"
    doc = {
        "mediaType": "application/vnd.dev.sigstore.bundle.v0.3+json",
        "verificationMaterial": {
            "certificate": {"rawBytes": b64(cert.public_bytes(serialization.Encoding.DER))},
            "tlogEntries": [
                {
                    "logIndex": "7",
                    "logId": {"keyId": b64(bytes(32))},
                    "kindVersion": {"kind": "hashedrekord", "version": "0.0.1"},
                    "integratedTime": "1735689600",
                    "inclusionPromise": {"signedEntryTimestamp": b64(b"set")},
                    "inclusionProof": {
                        "logIndex": "7",
                        "rootHash": b64(b"\1" * 32),
                        "treeSize": "8",
                        "hashes": [b64(b"\2" * 32)],
                        "checkpoint": {"envelope": checkpoint},
                    },
                    "canonicalizedBody": b64(json.dumps(body).encode()),
                }
            ],
        },
        "messageSignature": {
            "messageDigest": {"algorithm": "SHA2_256", "digest": b64(digest)},
            "signature": b64(signature),
        },
    }
    return json.dumps(doc).encode()


def junit(reg: Registry) -> bytes:
    from xml.sax.saxutils import escape, quoteattr

    cases = "".join(
        f"<testcase name={quoteattr(p.text)} classname={quoteattr(p.text)}>"
        f"<failure message={quoteattr(p.text)}>{escape(p.text)}</failure></testcase>"
        for p in reg.for_field("junit test cases (only counts are displayed)", shown=False)
    )
    return (
        f'<testsuite name="xss" tests="3" failures="1" errors="0" skipped="0">{cases}</testsuite>'
    ).encode()


def advisory(reg: Registry, n: int) -> str:
    """An advisory file of the repository's advisories folder (front matter and Markdown)."""
    meta = {
        "id": reg.one_line(f"advisory {n} id"),
        "title": reg.one_line(f"advisory {n} title"),
        "severity": "high",
        "affected": ["v1.0.0", "v1.1.0"],
        "fixed_in": "v2.0.0",
        "published": "2025-01-05",
        "aliases": [p.text for p in reg.for_field(f"advisory {n} aliases")],
        "follow_ups": [
            {"action": p.text, "owner": p.text, "due": "2025-02-01", "done": False}
            for p in reg.for_field(f"advisory {n} follow-ups")
        ],
    }
    front = yaml.safe_dump(meta, sort_keys=True, allow_unicode=True)
    return f"---\n{front}---\n{reg.lines(f'advisory {n} Markdown body')}\n"


def risk_acceptances(reg: Registry) -> str:
    ids = reg.for_field("risk acceptance ids")
    risks = reg.for_field("risk acceptance risks")
    owners = reg.for_field("risk acceptance owners")
    entries = [
        {
            "id": i.text,
            "risk": r.text,
            "owner": o.text,
            "accepted_on": "2025-01-02",
            "expires_on": "2025-12-31",
        }
        for i, r, o in zip(ids, risks, owners, strict=True)
    ]
    return yaml.safe_dump(entries, sort_keys=True, allow_unicode=True)


def version_index(reg: Registry) -> str:
    names = reg.for_field("version index component names")
    versions = reg.for_field("version index versions")
    components = [
        {
            "name": n.text,
            "version": v.text,
            "released": "2025-01-01",
            "newest": f"{v.text} newer",
            "newest_released": "2025-03-01",
        }
        for n, v in zip(names, versions, strict=True)
    ]
    return json.dumps({"components": components}, indent=1)


def sarif(reg: Registry, field: str, classes: slice) -> bytes:
    """A SARIF log whose tool names are hostile (the practices page lists them)."""
    runs = [
        {
            "tool": {"driver": {"name": p.text, "rules": []}},
            "results": [{"message": {"text": p.text}}],
        }
        for p in reg.for_field(field, classes=classes)
    ]
    return json.dumps({"version": "2.1.0", "runs": runs}).encode()


def k8s_manifest(reg: Registry) -> str:
    """A Role and a Deployment whose names and image are hostile (the flags quote them). The
    data: URL's base64 is high-entropy: flags redact it as a likely secret."""
    hidden = ("markdown-data-url",)
    name = reg.one_line("kubernetes object name (flag location)", hidden=hidden)
    image = reg.one_line("kubernetes container image (flag value)", hidden=hidden)
    documents: list[dict[str, Any]] = [
        {
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": {"name": name},
            "spec": {"template": {"spec": {"containers": [{"name": "c", "image": image}]}}},
        },
        {
            "apiVersion": "rbac.authorization.k8s.io/v1",
            "kind": "Role",
            "metadata": {"name": name},
            "rules": [{"apiGroups": [""], "resources": ["*"], "verbs": ["*"]}],
        },
    ]
    return yaml.safe_dump_all(documents, sort_keys=True, allow_unicode=True)


def image_layout(reg: Registry) -> dict[str, bytes]:
    """An OCI layout whose reference names, base image name and user are hostile."""

    def blob(data: bytes) -> tuple[dict[str, Any], str]:
        digest = hashlib.sha256(data).hexdigest()
        return {"digest": f"sha256:{digest}", "size": len(data)}, f"blobs/sha256/{digest}"

    config = json.dumps(
        {
            "created": "2026-01-01T00:00:00Z",
            "os": "linux",
            "architecture": "amd64",
            "config": {"User": reg.one_line("image config user (hardened-image check reason)")},
        }
    ).encode()
    layer = b"layer"
    config_desc, config_path = blob(config)
    layer_desc, layer_path = blob(layer)
    manifest = json.dumps(
        {
            "schemaVersion": 2,
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "config": {"mediaType": "application/vnd.oci.image.config.v1+json", **config_desc},
            "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar", **layer_desc}],
            "annotations": {
                "org.opencontainers.image.base.name": reg.one_line("image base name (check)"),
            },
        }
    ).encode()
    manifest_desc, manifest_path = blob(manifest)
    index = {
        "schemaVersion": 2,
        "manifests": [
            {
                "mediaType": "application/vnd.oci.image.manifest.v1+json",
                **manifest_desc,
                "annotations": {
                    "org.opencontainers.image.ref.name": reg.one_line("image ref name (layout)"),
                },
            }
        ],
    }
    return {
        "oci-layout": b'{"imageLayoutVersion": "1.0.0"}',
        "index.json": json.dumps(index).encode(),
        config_path: config,
        layer_path: layer,
        manifest_path: manifest,
    }


def trivy_report(reg: Registry) -> bytes:
    """A Trivy report whose artifact, target and misconfigurations are hostile."""
    misconfigurations = [
        {
            "ID": reg.one_line("trivy misconfiguration id"),
            "Title": reg.one_line("trivy misconfiguration title"),
            "Severity": "HIGH",
            "Status": "FAIL",
        }
    ]
    report = {
        "SchemaVersion": 2,
        "ArtifactName": reg.one_line("trivy scanned artifact name"),
        "ArtifactType": "container_image",
        "Results": [
            {
                "Target": reg.one_line("trivy result target"),
                "Class": "config",
                "Misconfigurations": misconfigurations,
                "Vulnerabilities": [
                    {
                        "VulnerabilityID": "CVE-2024-0001",
                        "PkgName": "pkg",
                        "InstalledVersion": "1",
                        "Severity": "LOW",
                        "Title": reg.one_line(
                            "trivy vulnerability title (not displayed)", shown=False
                        ),
                    }
                ],
            }
        ],
    }
    return json.dumps(report).encode()


def ssh_signing_key(repo: Repo) -> Path:
    """An SSH key for signing tags, kept in ``.git`` (never committed, never published)."""
    key = repo.root / ".git" / "hostile-ssh-key"
    if not key.exists():
        subprocess.run(
            ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "hostile", "-f", str(key)],
            check=True,
            capture_output=True,
        )
    return key


def allowed_signers(reg: Registry, repo: Repo) -> str:
    """git's allowed_signers file; the principal (shown as the tag's signer) is hostile. SSH
    principals hold no spaces or quotes, which leaves the ``<script>`` and Markdown-link classes."""
    principals = [
        p.text.replace(" ", "") + "@example.org"
        for p in reg.for_field("tag signer principal (allowed_signers)", classes=slice(0, 1))
    ]
    public = ssh_signing_key(repo).with_suffix(".pub").read_text().split()[:2]
    return "".join(f"{principal} {' '.join(public)}\n" for principal in principals)


def hostile_file_names(reg: Registry) -> list[str]:
    """Evidence file names secdocs must refuse; each carries one payload (no ``/`` possible)."""
    return [
        p.text.replace("\u202e", "").replace("\u202c", "") + ".cdx.json"
        for p in reg.for_field("refused evidence file names", slash=False)
        if len(p.text.encode()) < 200
    ]


def build(root: Path, reg: Registry) -> Repo:
    """Write the hostile project into ``root`` and return it (``mkdocs.yml`` at its top)."""
    repo = new_repo(root)
    repo.write("keys/release.pub", signing.public_pem())
    ssh = shutil.which("ssh-keygen") is not None  # OpenSSH signs and checks the signed tag
    if ssh:
        repo.write("keys/allowed_signers", allowed_signers(reg, repo))
    repo.write("docs/index.md", "# Hostile evidence\n\nEvery field below is an attack.\n")
    for n in (1, 2):
        repo.write(f"{ADVISORY_DIR}/adv-{n}.md", advisory(reg, n))
    repo.write("risk-acceptances.yaml", risk_acceptances(reg))
    repo.write("version-index.json", version_index(reg))

    # --- v1.0.0: changelog section, first delta, first config --------------------------------
    repo.write("CHANGELOG.md", changelog(reg))
    repo.write(f"{DELTA_DIR}/1.0.0.md", delta(reg, "1.0.0", 0))
    repo.write("deploy/values.yaml", config_values(reg, "config 1.0.0 yaml keys/values", "1.0.0"))
    repo.write("deploy/app.conf", "# app.conf 1.0.0\nsetting = plain\n")
    repo.write("deploy/k8s.yaml", k8s_manifest(reg))
    repo.commit(reg.lines("commit message v1.0.0 (changelog has a section)", shown=False))
    _tag_as(
        repo,
        "v1.0.0",
        reg.lines("tag message v1.0.0"),
        reg.one_line("tagger name v1.0.0"),
        "x\"onfocus='alert(1)'@example.org",
    )

    # --- v1.1.0: no changelog section -> commits are read; new delta; config changes ------------
    for p in reg.for_field("commit subjects and trailers (changelog fallback)"):
        repo.write("src/change.txt", p.marker)
        repo.commit(f"security: {p.text}\n\nBody {p.text}\n\nSecurity: trailer {p.text}")
    repo.write(f"{DELTA_DIR}/1.1.0.md", delta(reg, "1.1.0", 1))
    repo.write("deploy/values.yaml", config_values(reg, "config 1.1.0 yaml keys/values", "1.1.0"))
    repo.write("deploy/app.conf", config_text(reg, "config 1.1.0 text lines", "1.1.0"))
    repo.commit("release 1.1.0")
    key = ssh_signing_key(repo) if ssh else None
    _tag_as(repo, "v1.1.0", reg.lines("tag message v1.1.0"), "Plain", "t@example.org", key)

    # --- v2.0.0-rc.1 --------------------------------------------------------------------------
    repo.write(f"{DELTA_DIR}/2.0.0rc1.md", delta(reg, "2.0.0rc1", 2))
    repo.write("deploy/values.yaml", config_values(reg, "config 2.0.0 yaml keys/values", "2.0.0"))
    repo.write("deploy/app.conf", config_text(reg, "config 2.0.0 text lines", "2.0.0"))
    repo.commit("release 2.0.0-rc.1")
    repo.tag("v2.0.0-rc.1", "rc")
    repo.commit("release 2.0.0")
    repo.tag("v2.0.0", "final")

    accepted_unsafe = [t for t in UNSAFE_TAGS if _try_tag(repo, t)]

    # --- evidence -----------------------------------------------------------------------------
    for tag in SAFE_TAGS:
        commit = repo_commit(repo, tag)
        artifact = f"widget-{tag}.tar.gz".encode()
        artifacts = {f"widget-{tag}.tar.gz": artifact}
        repo.evidence(tag, f"widget-{tag}.tar.gz", artifact)
        repo.evidence(tag, f"widget-{tag}.tar.gz.sig", _b64sig(artifact))
        repo.evidence(tag, "widget.intoto.jsonl", provenance(reg, tag, commit, artifacts))
        sums = [f"{hashlib.sha256(artifact).hexdigest()}  widget-{tag}.tar.gz"]
        sums += [f"{'a' * 64}  {p.text}" for p in reg.for_field(f"checksum names {tag}")]
        repo.evidence(tag, "SHA256SUMS", "\n".join(sums) + "\n")
    # one SBOM per release: only a release's primary SBOM has its components displayed
    first = SAFE_TAGS[0]
    repo.evidence(first, "widget.cdx.json", cyclonedx(reg, "1.0.0"))
    repo.evidence(SAFE_TAGS[2], "widget.spdx.json", spdx(reg))
    repo.evidence(SAFE_TAGS[3], "widget.cdx.xml", cyclonedx_xml(reg))
    repo.evidence(first, "widget.openvex.json", openvex(reg))
    repo.evidence(first, "widget.sigstore.json", bundle_like(reg))
    repo.evidence(
        first,
        f"widget-{first}.tar.gz.sigstore.json",
        bundle_with_hostile_certificate(reg, f"widget-{first}.tar.gz".encode()),
    )
    repo.evidence(first, "unit.junit.xml", junit(reg))
    for name, data in image_layout(reg).items():
        repo.evidence(first, f"hostile.oci/{name}", data)
    repo.evidence(first, "hostile.trivy.json", trivy_report(reg))
    repo.evidence(SAFE_TAGS[1], "widget.cdx.json", cyclonedx(reg, "1.1.0"))
    # the practices page reads at most 20 runs per SARIF log: the classes are split in two
    repo.evidence(first, "sast.sarif", sarif(reg, "SARIF tool names (part 1)", slice(0, 12)))
    repo.evidence(
        SAFE_TAGS[1], "sast.sarif.json", sarif(reg, "SARIF tool names (part 2)", slice(12, None))
    )
    # evidence a browser could render or run: published with .txt so it stays inert
    scriptable = reg.lines(
        "scriptable evidence file contents (published, not displayed)", shown=False
    )
    for name in SCRIPTABLE_FILES:
        repo.evidence(first, name, f"<html><body>{scriptable}</body></html>\n")
    for name in hostile_file_names(reg):
        repo.evidence(first, name, b"{}")
    # a safe name made of the characters the safe-name rule lets through
    repo.evidence(first, "x=alert,1@onerror~+.cdx.json", b"not json")

    repo.write("mkdocs.yml", mkdocs_yml(reg, ssh))
    repo.accepted_unsafe_tags = accepted_unsafe  # type: ignore[attr-defined]
    return repo


def repo_commit(repo: Repo, tag: str) -> str:
    from gitutil import git

    return git(repo.root, "rev-parse", f"{tag}^{{commit}}")


def _b64sig(data: bytes) -> bytes:
    import base64

    return base64.b64encode(signing.sign(data))


def mkdocs_yml(reg: Registry, ssh: bool = True) -> str:
    document = {
        # mkdocs.yml is the site owner's own (trusted) configuration and Material inserts
        # ``site_name`` into its templates as HTML; the project name secdocs renders itself is the
        # plugin's ``site_name``, which is hostile here.
        "site_name": "Hostile evidence",
        "theme": {"name": "material", "font": False},
        "plugins": [
            "search",
            {
                "secdocs": {
                    "tags": "v*",
                    "site_name": reg.one_line("secdocs site_name (project name)"),
                    "public_keys": ["keys/release.pub"],
                    **({"tag_signers": "keys/allowed_signers"} if ssh else {}),
                    "provenance": {"source_uri": SOURCE, "builders": [BUILDER]},
                    "threat_model": {"path": f"{DELTA_DIR}/{{version}}.md"},
                    "changelog": {"path": "CHANGELOG.md"},
                    "config_diff": {
                        "paths": ["deploy/values.yaml", "deploy/*.conf", "deploy/k8s.yaml"]
                    },
                    "collectors": ["junit"],
                    # the policy itself is the site owner's configuration; the files it names
                    # live in the analysed repository and are hostile
                    "security": {
                        "project": reg.one_line("security policy project (config)"),
                        "disclosure": {
                            "acknowledge_days": 3,
                            "credit": reg.one_line("security policy credit text (config)"),
                        },
                        "contacts": ["security@example.org"],
                        "advisories": ADVISORY_DIR,
                        "risk_acceptances": "risk-acceptances.yaml",
                        "version_index": "version-index.json",
                    },
                }
            },
        ],
    }
    return yaml.safe_dump(document, sort_keys=False, allow_unicode=True)
