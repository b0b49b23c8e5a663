"""Reading a release's own text files (changelog, threat-model deltas, configuration files) from
its tag: size limits, decoding, the ``{tag}``/``{version}`` placeholders and version matching."""

from __future__ import annotations

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


def decode(data: bytes) -> tuple[str, bool]:
    """Text of a document and whether bytes had to be replaced (not UTF-8)."""
    try:
        text = data.decode("utf-8")
        ok = True
    except UnicodeDecodeError:
        text = data.decode("utf-8", errors="replace")
        ok = False
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n"), ok
