"""Helpers shared by the history collectors: options, versions, advisory ids, markdown sources."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from packaging.version import InvalidVersion, Version

from secdocs.errors import ConfigError
from secdocs.model import Release

#: largest Markdown or config document the history collectors parse (the core limit still applies)
MAX_DOCUMENT = 2 * 1024 * 1024
#: largest YAML front matter of a threat-model delta
MAX_FRONT_MATTER = 64 * 1024


def option_block(value: Any, key: str, known: Sequence[str]) -> Mapping[str, Any]:
    """Validate a feature block: ``None`` or a mapping with only ``known`` keys."""
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise ConfigError(key, "expected a mapping of options")
    unknown = sorted(str(k) for k in value if k not in known)
    if unknown:
        raise ConfigError(f"{key}.{unknown[0]}", f"unknown option (known: {', '.join(known)})")
    return value


def option_str(block: Mapping[str, Any], key: str, name: str, default: str | None) -> str | None:
    value = block.get(name, default)
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{key}.{name}", "expected a non-empty string")
    return value


def option_strings(block: Mapping[str, Any], key: str, name: str) -> tuple[str, ...] | None:
    value = block.get(name)
    if value is None:
        return None
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ConfigError(f"{key}.{name}", "expected a list of non-empty strings")
    return tuple(value)


def check_repo_path(path: str, key: str) -> str:
    """A repository-relative POSIX path (or glob) without ``..`` or a leading slash."""
    if path.startswith("/") or "\\" in path or any(ord(c) < 32 for c in path):
        raise ConfigError(key, f"{path!r} must be a relative POSIX path")
    if ".." in path.split("/"):
        raise ConfigError(key, f"{path!r} must not contain '..'")
    return path.strip("/") if path.endswith("/") else path


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
