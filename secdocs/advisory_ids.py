"""Advisory ids (CVE, GHSA, PYSEC and other OSV prefixes): finding them in text and linking them to
their public records."""

from __future__ import annotations

import re

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
