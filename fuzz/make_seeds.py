"""Write the fuzzers' seed inputs into ``fuzz/corpus/<target>/`` (small, deterministic).

    python fuzz/make_seeds.py

Seeds are well-formed samples of each input format, so libFuzzer starts from inputs that get
past the first syntax checks. They are written by this script (from secdocs' own demo generators
and the hostile payloads of the test suite), never copied from the shared test corpus.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

CDX = {
    "bomFormat": "CycloneDX",
    "specVersion": "1.6",
    "version": 1,
    "metadata": {"component": {"type": "application", "name": "widget", "version": "1.0.0"}},
    "components": [
        {
            "type": "library",
            "bom-ref": "pkg:pypi/requests@2.32.4",
            "name": "requests",
            "version": "2.32.4",
            "purl": "pkg:pypi/requests@2.32.4",
            "licenses": [{"license": {"id": "Apache-2.0"}}, {"expression": "MIT OR BSD-3-Clause"}],
            "hashes": [{"alg": "SHA-256", "content": "0" * 64}],
            "components": [{"type": "library", "name": "inner", "version": "1"}],
        }
    ],
    "dependencies": [{"ref": "pkg:pypi/requests@2.32.4", "dependsOn": []}],
    "vulnerabilities": [
        {
            "id": "CVE-2024-35195",
            "ratings": [{"severity": "medium", "score": 5.6, "method": "CVSSv31"}],
            "affects": [{"ref": "pkg:pypi/requests@2.32.4"}],
            "analysis": {"state": "not_affected", "justification": "code_not_reachable"},
        }
    ],
}
CDX_XML = """<?xml version="1.0" encoding="UTF-8"?>
<bom xmlns="http://cyclonedx.org/schema/bom/1.5" version="1"><metadata>
<component type="application"><name>widget</name><version>1.0.0</version></component>
</metadata><components>
<component type="library" bom-ref="a"><name>requests</name><version>2.32.4</version>
<licenses><license><id>Apache-2.0</id></license></licenses><purl>pkg:pypi/requests@2.32.4</purl>
</component></components></bom>
"""
SPDX = {
    "spdxVersion": "SPDX-2.3",
    "SPDXID": "SPDXRef-DOCUMENT",
    "name": "widget",
    "packages": [
        {
            "SPDXID": "SPDXRef-P1",
            "name": "requests",
            "versionInfo": "2.32.4",
            "licenseConcluded": "Apache-2.0",
            "externalRefs": [
                {
                    "referenceCategory": "PACKAGE-MANAGER",
                    "referenceType": "purl",
                    "referenceLocator": "pkg:pypi/requests@2.32.4",
                }
            ],
        }
    ],
    "relationships": [
        {
            "spdxElementId": "SPDXRef-DOCUMENT",
            "relationshipType": "DESCRIBES",
            "relatedSpdxElement": "SPDXRef-P1",
        }
    ],
}
OPENVEX = {
    "@context": "https://openvex.dev/ns/v0.2.0",
    "@id": "https://example.org/vex/1",
    "author": "acme",
    "timestamp": "2025-01-02T00:00:00Z",
    "version": 1,
    "statements": [
        {
            "vulnerability": {"name": "CVE-2024-35195"},
            "products": [{"@id": "pkg:pypi/requests@2.32.4"}],
            "status": "not_affected",
            "justification": "vulnerable_code_not_in_execute_path",
        }
    ],
}
PIP_AUDIT = {
    "dependencies": [
        {
            "name": "requests",
            "version": "2.32.4",
            "vulns": [{"id": "PYSEC-2024-1", "fix_versions": ["2.32.5"], "aliases": ["CVE-1"]}],
        }
    ]
}
CHANGELOG = """# Changelog

## [1.0.0] - 2025-01-02

### Security

- Fixed a path traversal (CVE-2025-1234, GHSA-2c8m-q5xf-7hgr).
- **Security:** TLS 1.3 enabled.

### Added

- Export API (PYSEC-2025-1).
"""
ADVISORY = """---
id: WIDGET-2025-001
title: Token leak
severity: high
affected: ">=1.0,<1.2"
fixed_in: v1.2.0
published: 2025-02-01
aliases: [CVE-2025-1]
follow_ups:
  - action: add a test
    owner: ada
    due: 2025-03-01
    done: false
---
Upgrade to **1.2.0**.
"""
SECURITY_TXT = """Contact: mailto:security@example.org
Expires: 2026-01-01T00:00:00Z
Preferred-Languages: en, de
Canonical: https://example.org/.well-known/security.txt
"""
POLICY = """project: widget
contacts: [security@example.org]
expires_days: 180
disclosure: {acknowledge_days: 3, triage_days: 10, fix_days: {critical: 7}, embargo_days: 90}
support: {majors: 2, minors: 1, end_of_life: {"1": 2027-06-30}}
advisories: security/advisories
"""
CONFIG = """tags: "v*"
evidence: evidence/{tag}
max_file_size: 1000000
collectors: [junit]
changelog: {path: CHANGELOG.md}
"""
RISKS = """- id: RA-1
  risk: TLS 1.2 accepted
  owner: ops
  accepted_on: 2025-01-02
  expires_on: 2025-12-31
"""
VALUES = """image: ghcr.io/acme/widget:1.0.0
tls:
  minVersion: TLSv1.2
  cipherSuites: [TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, DES-CBC3-SHA]
database:
  password: hunter2-Passw0rd-2025
---
image: ghcr.io/acme/widget:1.1.0
tls: {minVersion: TLSv1.0}
"""


TRIVY_SARIF = {
    "version": "2.1.0",
    "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
    "runs": [
        {
            "tool": {
                "driver": {
                    "name": "Trivy",
                    "rules": [
                        {
                            "id": "CVE-2024-2961",
                            "name": "OsPackageVulnerability",
                            "shortDescription": {"text": "glibc iconv"},
                            "properties": {"tags": ["vulnerability", "HIGH"]},
                        }
                    ],
                }
            },
            "results": [
                {
                    "ruleId": "CVE-2024-2961",
                    "message": {"text": "Package: libc6\nInstalled Version: 2.36\nSeverity: HIGH"},
                }
            ],
            "properties": {"imageID": "sha256:" + "2" * 64, "repoDigests": []},
        }
    ],
}


def seeds() -> dict[str, dict[str, bytes]]:
    from hostile.payloads import CLASSES
    from kinds.containers.helpers import tar_of

    from secdocs.demo import RELEASES, artifact_bytes, containers, history, signing

    release = RELEASES[1]
    artifacts = artifact_bytes(release)
    statement = signing.provenance_statement(release, "0" * 40, artifacts)
    envelope = signing.envelope(statement)
    payloads = "\n".join(t.format(n="0_0") for _, t in CLASSES).encode()
    sums = "".join(f"{hashlib.sha256(d).hexdigest()}  {n}\n" for n, d in sorted(artifacts.items()))
    out: dict[str, dict[str, bytes]] = {
        "json": {"cdx.json": json.dumps(CDX).encode(), "deep.json": b"[" * 70 + b"]" * 70},
        "checksums": {
            "gnu": sums.encode(),
            "bsd": f"SHA512 (a.tar.gz) = {'ab' * 64}\nMD5 (b) = {'0' * 32}\n".encode(),
        },
        "names": {"tag": b"v1.2.0-rc.1", "name": b"widget-1.0.0.tar.gz.sigstore.json"},
        "html": {"payloads.md": payloads, "md": CHANGELOG.encode()},
        "sbom": {
            "cdx.json": json.dumps(CDX).encode(),
            "spdx.json": json.dumps(SPDX).encode(),
            "cdx.xml": CDX_XML.encode(),
        },
        "sbom-cyclonedx-xml": {"cdx.xml": CDX_XML.encode()},
        "sbom-licences-validation": {
            "cdx.json": json.dumps(CDX).encode(),
            "cdx.xml": CDX_XML.encode(),
        },
        "sbom-spdx": {"spdx.json": json.dumps(SPDX).encode()},
        "vex": {
            "openvex.json": json.dumps(OPENVEX).encode(),
            "pip-audit.json": json.dumps(PIP_AUDIT).encode(),
        },
        "provenance": {
            "envelope.jsonl": envelope,
            "statement.json": json.dumps(statement).encode(),
        },
        "keys": {"release.pub": signing.public_pem(), "sig": signing.sign(b"x").hex().encode()},
        "changelog": {"CHANGELOG.md": CHANGELOG.encode(), "demo.md": history.changelog(release)},
        "delta": {f"{v}.md": d.encode() for v, d in history._DELTAS.items()},
        "config-diff": {
            "values.yaml": VALUES.encode(),
            "nginx.conf": history._nginx(release).encode(),
        },
        "redaction": {
            "secrets": "\n".join(history.FAKE_SECRETS).encode(),
            "values": VALUES.encode(),
        },
        "advisory": {"adv.md": ADVISORY.encode()},
        "security-txt": {"security.txt": SECURITY_TXT.encode()},
        "policy": {"policy.yaml": POLICY.encode()},
        "config": {"config.yaml": CONFIG.encode()},
        "oci-layout": {
            "layout.oci.tar": tar_of(containers.layout(release)[0]),
            "index.json": containers.layout(release)[0]["index.json"],
        },
        "trivy": {
            "image.json": containers.trivy_report(
                release, "sha256:" + "0" * 64, "sha256:" + "1" * 64
            ),
            "k8s-summary.json": b'{"vulnerabilities": ["CVE-1"], "misconfigurations": ["KSV001"]}',
            "alpine.sarif": json.dumps(TRIVY_SARIF).encode(),
        },
        "kubernetes": {
            "k8s.yaml": containers.k8s_manifest(RELEASES[2]).encode(),
            "values.yaml": VALUES.encode(),
        },
        "metrics-registers": {
            "risks.yaml": RISKS.encode(),
            "index.json": b'{"components": [{"name": "a", "version": "1"}]}',
        },
    }
    return out


def main() -> None:
    for target, files in seeds().items():
        folder = HERE / "corpus" / target
        folder.mkdir(parents=True, exist_ok=True)
        for name, data in files.items():
            (folder / name).write_bytes(data)
    print(f"seeds written to {HERE / 'corpus'}")


if __name__ == "__main__":
    main()
