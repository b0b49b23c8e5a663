"""Helpers shared by the history collectors: options, versions, advisory ids, markdown sources."""

from __future__ import annotations

import re

from packaging.version import InvalidVersion, Version

from secdocs.model import Release

#: largest Markdown or config document the history collectors parse (the core limit still applies)
MAX_DOCUMENT = 2 * 1024 * 1024
#: largest YAML front matter of a threat-model delta
MAX_FRONT_MATTER = 64 * 1024


def expand(template: str, release: Release) -> str:
    return template.replace("{version}", release.version).replace("{tag}", release.tag)


def version_key(text: str) -> str:
    """A comparable form of a version string: PEP 440 normalised when possible."""
    stripped = text.strip().lstrip("vV")
    try:
        return str(Version(stripped))
    except InvalidVersion:
        return stripped.lower()


def release_versions(release: Release) -> frozenset[str]:
    return frozenset({version_key(release.version), version_key(release.tag)})


# --- advisory ids ---------------------------------------------------------------------------

_ADVISORY = re.compile(
    r"(?<![A-Za-z0-9-])("
    r"CVE-\d{4}-\d{4,7}"
    r"|GHSA(?:-[23456789cfghjmpqrvwx]{4}){3}"
    r"|PYSEC-\d{4}-\d{1,7}"
    r"|(?:GO|RUSTSEC|OSV|GSD|MAL|BIT|RSEC|UVI|CURL|PSF|HSEC)-\d{4}-\d{1,7}"
    r")(?![A-Za-z0-9-])",
)


def advisory_ids(text: str) -> list[str]:
    """Advisory ids in ``text`` (CVE, GHSA, PYSEC and other OSV prefixes), sorted, unique."""
    return sorted({m.group(1) for m in _ADVISORY.finditer(text)})


def advisory_url(advisory: str) -> str:
    if advisory.startswith("CVE-"):
        return f"https://nvd.nist.gov/vuln/detail/{advisory}"
    if advisory.startswith("GHSA-"):
        return f"https://github.com/advisories/{advisory}"
    return f"https://osv.dev/vulnerability/{advisory}"


# Markdown constructs left alone when ids are linked: links, code spans, autolinks/HTML.
_SKIP_OR_ID = re.compile(
    r"(\[[^\]\n]*\]\([^)\n]*\)|\[[^\]\n]*\]\[[^\]\n]*\]|`[^`\n]*`|<[^>\n]*>)|" + _ADVISORY.pattern
)


def link_advisories(markdown: str) -> str:
    """Markdown with bare advisory ids turned into links to their public records."""

    def replace(match: re.Match[str]) -> str:
        if match.group(1) is not None:
            return match.group(0)
        advisory = match.group(2)
        return f"[{advisory}]({advisory_url(advisory)})"

    return _SKIP_OR_ID.sub(replace, markdown)


def decode(data: bytes) -> tuple[str, bool]:
    """Text of a document and whether bytes had to be replaced (not UTF-8)."""
    try:
        text = data.decode("utf-8")
        ok = True
    except UnicodeDecodeError:
        text = data.decode("utf-8", errors="replace")
        ok = False
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n"), ok
