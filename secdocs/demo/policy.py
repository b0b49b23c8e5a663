"""Demo inputs for the security policy, advisories, metrics and practice coverage.

The sample project gets a ``security:`` block, a committed ``SECURITY.md`` generated from it (so
``secdocs policy --check`` passes on the demo), an advisory and a post-incident review, a risk
register, a version index for dependency freshness, and tool reports (SARIF, a pen-test report,
a fuzzing summary) in some evidence folders.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import yaml

from secdocs.demo.releases import OWNER, PROJECT, RELEASES, DemoRelease, EvidenceDraft
from secdocs.kinds.security_policy import securitymd
from secdocs.kinds.security_policy.model import parse
from secdocs.model import Release

SITE_URL = "https://acme.example/widget/"
ADVISORY_DIR = "security/advisories"

SECURITY_BLOCK: dict[str, Any] = {
    "project": PROJECT,
    "site_url": SITE_URL,
    "contacts": [
        "security@acme.example",
        f"https://github.com/{OWNER}/{PROJECT}/security/advisories/new",
    ],
    "encryption": "https://acme.example/widget/pgp-key.txt",
    "preferred_languages": ["en", "de"],
    "acknowledgments": "https://acme.example/widget/hall-of-fame/",
    "expires_days": 180,
    "disclosure": {
        "acknowledge_days": 3,
        "triage_days": 10,
        "fix_days": {"critical": 7, "high": 30, "medium": 90, "low": 180},
        "embargo_days": 90,
        "credit": "Reporters are credited in the advisory unless they ask not to be.",
    },
    "support": {"majors": 2, "minors": 1, "end_of_life": {"1": "2027-06-30"}},
    "advisories": ADVISORY_DIR,
    "risk_acceptances": "risk-acceptances.yaml",
    "version_index": "version-index.json",
    "insights": {
        "repository_url": f"https://github.com/{OWNER}/{PROJECT}",
        "administrators": [{"name": "Ada Maintainer", "email": "ada@acme.example"}],
        "license_url": f"https://github.com/{OWNER}/{PROJECT}/blob/main/LICENSE",
        "license_expression": "Apache-2.0",
    },
}

ADVISORY = """---
id: WIDGET-2026-001
title: Export API leaks session tokens in error messages
severity: high
affected: ">=1.1.0,<1.2.1"
fixed_in: v1.2.1
reported: 2026-07-10
published: 2026-08-03
aliases: [CVE-2026-40001]
follow_ups:
  - action: Add a regression test for token redaction in errors
    owner: ada
    due: 2026-08-31
    done: true
  - action: Scan logs of hosted instances for leaked tokens
    owner: ops-team
    due: 2026-09-30
    done: false
---
The export API included the caller's session token in some error messages. Upgrade to
**1.2.1** or later. Rotate tokens that may have been logged.
"""

REVIEW = """---
id: PIR-2026-01
kind: review
title: Post-incident review of WIDGET-2026-001
severity: high
fixed_in: v1.2.1
published: 2026-10-01
follow_ups:
  - action: Add secret redaction to the shared error formatter
    owner: ada
    due: 2026-12-15
    done: false
---
What happened, why our tests missed it, and what changes in the release process.
"""

RISKS = [
    {
        "id": "RA-1",
        "risk": "TLS 1.2 still accepted for legacy clients",
        "owner": "ops-team",
        "accepted_on": "2026-04-20",
        "expires_on": "2026-12-31",
    },
    {
        "id": "RA-2",
        "risk": "Unpinned base image in the test container",
        "owner": "ada",
        "accepted_on": "2026-03-02",
        "expires_on": "2026-09-01",
    },
]

VERSION_INDEX = {
    "components": [
        {"name": "cryptography", "version": "46.0.1", "newest": "46.0.1"},
        {
            "name": "pyyaml",
            "version": "6.0.2",
            "released": "2024-08-06",
            "newest": "6.0.3",
            "newest_released": "2025-09-25",
        },
        {
            "name": "requests",
            "version": "2.32.4",
            "released": "2025-06-09",
            "newest": "2.32.5",
            "newest_released": "2025-08-18",
        },
        {
            "name": "urllib3",
            "version": "2.5.0",
            "released": "2025-06-18",
            "newest": "2.5.1",
            "newest_released": "2025-07-10",
        },
    ]
}

SARIF = {
    "version": "2.1.0",
    "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
    "runs": [{"tool": {"driver": {"name": "bandit", "rules": []}}, "results": []}],
}


def _releases_until(release: DemoRelease) -> list[Release]:
    return [
        Release(r.tag, r.version, "", r.date, r.annotated, r.prerelease)
        for r in RELEASES
        if r.index <= release.index
    ]


class _Contributor:
    def tree_files(self, release: DemoRelease, previous: DemoRelease | None) -> Mapping[str, bytes]:
        files: dict[str, bytes] = {}
        if release.index >= 1:
            policy = parse(SECURITY_BLOCK, "widget security evidence")
            text = securitymd.render(policy, _releases_until(release), release.date)
            files["SECURITY.md"] = text.encode()
        if release.index >= 2:
            files["risk-acceptances.yaml"] = yaml.safe_dump(RISKS, sort_keys=False).encode()
        if release.index >= 5:
            files[f"{ADVISORY_DIR}/WIDGET-2026-001.md"] = ADVISORY.encode()
        if release.index >= 6:
            files[f"{ADVISORY_DIR}/PIR-2026-01.md"] = REVIEW.encode()
            files["version-index.json"] = (json.dumps(VERSION_INDEX, indent=2) + "\n").encode()
        return files

    def evidence_files(self, draft: EvidenceDraft) -> Mapping[str, bytes]:
        files: dict[str, bytes] = {}
        if draft.release.index >= 4:
            files["bandit.sarif"] = (json.dumps(SARIF, indent=2) + "\n").encode()
        if draft.release.index == 6:
            files["pentest-report-2026.txt"] = (
                b"Penetration test of widget 2.0.0 by an external team: no critical findings.\n"
            )
            files["fuzzing-summary.txt"] = b"atheris: 72 CPU hours on the parsers, no crashes.\n"
        return files

    def plugin_options(self) -> Mapping[str, Any]:
        return {"security": SECURITY_BLOCK}


CONTRIBUTOR = _Contributor()
