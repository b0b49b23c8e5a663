"""Demo inputs for the history feature: changelog, threat-model deltas and deployment config.

The sample exercises every path of the three history collectors:

* ``CHANGELOG.md`` grows with each release; ``### Security`` entries cite CVE, GHSA and PYSEC
  ids. 0.9.0 has no section of its own (the entries come from commits), 2.0.0 has a section
  that says nothing about security.
* Threat-model deltas: 1.0.0 and 1.1.0 add risks, 1.2.0rc1 says "nothing changes", 1.2.0 and
  2.0.0 mitigate risks, and 1.2.1 is INVALID (six risks) — the site flags it and
  ``secdocs verify --strict`` fails on it, naming the file and line.
* ``deploy/values.yaml`` and ``deploy/nginx.conf`` change between releases: TLS settings
  (1.2.1 brings back TLS 1.0 and a 3DES suite for a legacy client), a database password and an
  API token that must never appear on the site (they are fake, and redacted).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from secdocs.demo.releases import DemoRelease, EvidenceDraft

DELTA_DIR = "docs/threat-model/deltas"

# --- the changelog --------------------------------------------------------------------------

_SECTIONS: dict[str, str] = {
    "1.0.0": """## [1.0.0] - 2026-03-02

### Added

- Stable widget API.
- Login with username and password.

### Security

- Session cookies are now sent with `Secure`, `HttpOnly` and `SameSite=Lax`.
""",
    "1.1.0": """## [1.1.0] - 2026-04-20

### Added

- Export API (`/api/export`) with CSV and JSON output.

### Security

- Fixed a path traversal in export file names (CVE-2026-31337).
- Export links are signed and expire after 15 minutes.
""",
    "1.2.0rc1": """## [1.2.0-rc.1] - 2026-06-01

### Changed

- Release candidate for 1.2 with the new auth backend.

### Security

- **Security:** TLS 1.3 is enabled next to TLS 1.2.
""",
    "1.2.0": """## [1.2.0] - 2026-06-15

### Added

- OIDC authentication backend.

### Security

- Updated the bundled OpenSSL to fix CVE-2026-40211 and GHSA-2c8m-q5xf-7hgr.
- The export API rejects unsigned requests (PYSEC-2026-118).
""",
    "1.2.1": """## [1.2.1] - 2026-08-03

### Security

- Fixed an authentication bypass in the OIDC callback (CVE-2026-45520).

### Changed

- Legacy clients can connect again (see the configuration changes).
""",
    "2.0.0": """## [2.0.0] - 2026-10-12

### Changed

- New major version: the v1 API is removed.
- Configuration keys were renamed.
""",
}

_HEADER = """# Changelog

All notable changes to widget are documented in this file.
The format is based on [Keep a Changelog](https://keepachangelog.com/en/1.1.0/).

## [Unreleased]

"""


def changelog(release: DemoRelease) -> bytes:
    """The changelog as of ``release``: every section up to it, newest first."""
    from secdocs.demo.releases import RELEASES

    sections = [
        _SECTIONS[r.version] for r in RELEASES[: release.index + 1] if r.version in _SECTIONS
    ]
    return (_HEADER + "\n".join(reversed(sections))).encode()


# --- threat-model deltas --------------------------------------------------------------------

_DELTAS: dict[str, str] = {
    "1.0.0": """---
title: First stable release
owner: appsec
---
# Threat-model delta for 1.0.0

## What changes

Widget becomes a stable, internet-facing service with password login.

## Data touched

- User accounts: e-mail address and password hash.
- Session cookies.

## Trust boundaries

- Internet → widget web tier (TLS terminated at nginx).
- Widget → PostgreSQL (internal network).

## Risks

### AUTH-1: Credential stuffing against the login form
- Mitigation: rate limiting per account and per IP, breached-password check
- Status: open
- Owner: @identity-team

### SESS-1: Session theft over plain HTTP
- Mitigation: cookies are Secure and HttpOnly; HSTS on the web tier
- Status: mitigated
- Owner: @web-team
""",
    "1.1.0": """---
title: Export API
owner: appsec
---
# Threat-model delta for 1.1.0

## What changes

A new export API lets users download their records as CSV or JSON.

## Data touched

- Customer records (personal data) leave the service as files.

## Trust boundaries

- Internet → export API (new entry point).

## Risks

### EXP-1: Guessable export links expose the data of other users
- Mitigation: links are signed (HMAC) and expire after 15 minutes
- Status: open
- Owner: @alice

### EXP-2: Large exports exhaust memory
- Mitigation: exports are streamed and capped at 100 000 rows
- Status: mitigated
- Owner: @bob
""",
    "1.2.0rc1": """---
title: Release candidate for 1.2
changes: none
---
# Threat-model delta for 1.2.0-rc.1

Nothing changes: this candidate only packages what 1.2.0 will contain.
""",
    "1.2.0": """---
title: TLS hardening and the OIDC backend
owner: appsec
---
# Threat-model delta for 1.2.0

## What changes

Login moves to an OIDC identity provider; TLS 1.3 is enabled.

## Data touched

- ID tokens from the identity provider (not stored).

## Trust boundaries

- Widget → identity provider (new outbound trust).

## Risks

### EXP-1: Guessable export links expose the data of other users
- Mitigation: signed links, verified on every request since 1.2.0
- Status: mitigated
- Owner: @alice

### OIDC-1: Forged ID tokens accepted
- Mitigation: signature, issuer, audience and nonce are verified
- Status: open
- Owner: @identity-team
""",
    # INVALID on purpose: six risks (at most five are allowed).
    "1.2.1": """---
title: Security fix release
owner: appsec
---
# Threat-model delta for 1.2.1

## What changes

Fixes the OIDC callback and re-enables legacy TLS for old clients.

## Data touched

None.

## Trust boundaries

None.

## Risks

### OIDC-1: Forged ID tokens accepted
- Mitigation: the callback checks the state parameter
- Status: mitigated

### TLS-1: Downgrade to TLS 1.0 for legacy clients
- Mitigation: legacy listener only on the partner VPN
- Status: open

### TLS-2: 3DES suite enables Sweet32
- Mitigation: connection lifetime limits
- Status: open

### LOG-1: Tokens in debug logs
- Mitigation: log scrubbing
- Status: open

### DOS-1: Callback flood
- Mitigation: rate limits
- Status: open

### SUP-1: Unpinned OpenSSL build
- Mitigation: pinned base image
- Status: open
""",
    "2.0.0": """---
title: New major version
owner: appsec
---
# Threat-model delta for 2.0.0

## What changes

The v1 API is removed and legacy TLS is switched off again.

## Data touched

None.

## Trust boundaries

- The legacy partner listener is removed.

## Risks

### TLS-1: Downgrade to TLS 1.0 for legacy clients
- Mitigation: TLS 1.0 and 3DES removed; only TLS 1.2 and 1.3 remain
- Status: mitigated
- Owner: @web-team

### AUTH-1: Credential stuffing against the login form
- Mitigation: password login removed; OIDC only
- Status: mitigated
- Owner: @identity-team
""",
}

# --- deployment configuration ---------------------------------------------------------------

#: fake credentials that the site must never show (tests search the built site for them)
FAKE_SECRETS = (
    "widget-Db-Passw0rd-2026",
    "widget-Db-Passw0rd-rotated-77",
    "ghp_Dm0WdgT0kN4cMe5rL9qP2xV7bY3sK8fJ1hZ6",
    "ghp_R0t4t3dT0kN9cMe2rL5qP8xV1bY4sK7fJ0hW3",
)

_STRONG_SUITES = (
    "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
    "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
)


def _values(release: DemoRelease) -> str:
    version = release.version
    index = release.index
    password = FAKE_SECRETS[0] if index < 4 else FAKE_SECRETS[1]
    token = _token(release)
    if version == "1.2.1":
        min_version, suites = "TLSv1.0", [*_STRONG_SUITES, "DES-CBC3-SHA"]
    else:
        min_version, suites = "TLSv1.2", list(_STRONG_SUITES)
    lines = [
        "# Helm values for widget",
        f"image: ghcr.io/acme/widget:{version}",
        f"replicas: {2 if index < 4 else 3}",
        "ingress:",
        "  host: widget.acme.example",
        "  tls:",
        f"    minVersion: {min_version}",
        "    cipherSuites:",
        *[f"      - {suite}" for suite in suites],
        "database:",
        "  host: db.internal",
        "  user: widget",
        f"  password: {password}",
        "integrations:",
        f"  githubToken: {token}",
    ]
    if index >= 2:
        lines += ["export:", "  maxRows: 100000", "  linkTtlSeconds: 900"]
    if index >= 4:
        lines += ["auth:", "  backend: oidc", "  issuer: https://login.acme.example/"]
    if version == "1.2.1":
        lines += ["legacy:", "  partnerListener: true"]
    return "\n".join(lines) + "\n"


def _nginx(release: DemoRelease) -> str:
    protocols = (
        "TLSv1 TLSv1.2 TLSv1.3"
        if release.version == "1.2.1"
        else ("TLSv1.2 TLSv1.3" if release.index >= 3 else "TLSv1.2")
    )
    return (
        "server {\n"
        "    listen 443 ssl;\n"
        "    server_name widget.acme.example;\n"
        f"    ssl_protocols {protocols};\n"
        "    location /api/ {\n"
        "        proxy_pass http://widget:8080;\n"
        f"        proxy_set_header X-Upstream-Token {_token(release)};\n"
        "    }\n"
        "}\n"
    )


class _Contributor:
    def tree_files(self, release: DemoRelease, previous: DemoRelease | None) -> Mapping[str, bytes]:
        files: dict[str, bytes] = {"CHANGELOG.md": changelog(release)}
        delta = _DELTAS.get(release.version)
        if delta is not None:
            files[f"{DELTA_DIR}/{release.version}.md"] = delta.encode()
        if release.index >= 1:
            files["deploy/values.yaml"] = _values(release).encode()
            files["deploy/nginx.conf"] = _nginx(release).encode()
        return files

    def evidence_files(self, draft: EvidenceDraft) -> Mapping[str, bytes]:
        return {}

    def plugin_options(self) -> Mapping[str, Any]:
        return {
            "threat_model": {"path": f"{DELTA_DIR}/{{version}}.md"},
            "changelog": {"path": "CHANGELOG.md"},
            "config_diff": {"paths": ["deploy/values.yaml", "deploy/*.conf", "deploy/k8s/*.yaml"]},
        }


CONTRIBUTOR = _Contributor()


def _token(release: DemoRelease) -> str:
    return FAKE_SECRETS[2] if release.index < 5 else FAKE_SECRETS[3]
