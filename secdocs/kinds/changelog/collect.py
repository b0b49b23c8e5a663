"""The ``changelog`` collector: the security part of each release's changelog section.

``CHANGELOG.md`` (configurable) is read at the release's tag. The release's section is found by
its version (with or without a leading ``v``; Keep a Changelog's ``## [1.2.0] - 2026-06-15``,
plain ``## 1.2.0``, ``# v1.2.0`` …) and its security part taken from

* a heading that names security (``### Security``, ``## Security Fixes``, git-cliff's
  ``### <!-- 8 -->🛡️ Security`` group),
* list items that start with a bold ``**Security:**``,
* list items elsewhere in the section that cite an advisory id (CVE, GHSA, PYSEC, OSV).

Without a section for the release, the commits between the previous tag and this one are read
instead: conventional ``security:`` / ``fix(security):`` subjects and ``Security:`` trailers.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Sequence
from dataclasses import replace

from markdown_it import MarkdownIt
from markdown_it.token import Token

from secdocs.advisory_ids import advisory_ids
from secdocs.collectors import Collector, Coverage, PageContext, ReleaseContext
from secdocs.errors import SecdocsError
from secdocs.git import CommitInfo
from secdocs.kinds.changelog.consistency import inconsistencies
from secdocs.kinds.changelog.model import ChangelogDetail, ChangelogSection, Entry
from secdocs.kinds.changelog.options import ChangelogOptions
from secdocs.kinds.changelog.render import section
from secdocs.model import (
    EvidenceItem,
    Findings,
    JSONValue,
    Kind,
    Problem,
    Release,
    ReleaseReport,
    Section,
    Status,
)
from secdocs.release_files import MAX_DOCUMENT, decode, expand, release_versions, version_key
from secdocs.render.html import html_block

KEY = "changelog"
DEFAULT_PATH = "CHANGELOG.md"
MAX_ENTRY = 4000
MAX_COMMITS = 5000

_MD = MarkdownIt("commonmark", {"html": False})
_VERSION = re.compile(r"\[?\b[vV]?(\d+(?:\.\d+)+(?:[-.+]?[0-9A-Za-z][0-9A-Za-z.+-]*)?)\]?")
_BOLD_SECURITY = re.compile(r"^\s*(?:(\*\*|__)security(?::\1|\1\s*:)|security:)\s*", re.I)
_MARKER = re.compile(r"^\s*(?:[-*+]|\d{1,9}[.)])\s?")
_CONVENTIONAL = re.compile(r"^(?:security|sec|[a-z]+\(security\))!?:\s*(\S.*)$", re.I)
_TRAILER = re.compile(r"^Security:\s*(\S.*)$", re.I | re.M)
_VULNERABILITY = re.compile(r"\bvulnerabilit(?:y|ies)\b", re.I)


# --- parsing --------------------------------------------------------------------------------


def find_section(text: str, versions: frozenset[str]) -> ChangelogSection | None:
    """The section of ``text`` whose heading names one of ``versions`` (see :func:`version_key`).

    The section is first located with a cheap scan of ATX headings and only that slice is
    parsed; when the scan finds nothing (setext headings, odd nesting) the whole text is parsed.
    """
    located = _locate(text, versions)
    if located is not None:
        piece, offset = located
        found = _parse_section(piece, versions, first_only=True)
        if found is not None:
            return _shifted(found, offset)
    return _parse_section(text, versions, first_only=False)


_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?[ \t#]*$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_SETEXT = re.compile(r"^ {0,3}(?:=+|-+)[ \t]*$")


def _locate(text: str, versions: frozenset[str]) -> tuple[str, int] | None:
    lines = text.split("\n")
    fence: str | None = None
    start: int | None = None
    start_level = 0
    for index, line in enumerate(lines):
        opened = _FENCE.match(line)
        if opened is not None:
            marker = opened.group(1)
            if fence is None:
                fence = marker
            elif marker[0] == fence[0] and len(marker) >= len(fence):
                fence = None
            continue
        if fence is not None:
            continue
        if start is None and _SETEXT.match(line) and index and lines[index - 1].strip():
            return None  # a setext heading may come first: let the full parse decide
        heading = _ATX.match(line)
        if heading is None:
            continue
        level = len(heading.group(1))
        if start is None:
            if _names_version(heading.group(2) or "", versions):
                start, start_level = index, level
        elif level <= start_level:
            return "\n".join(lines[start:index]), start
    if start is None:
        return None
    return "\n".join(lines[start:]), start


def _shifted(section: ChangelogSection, offset: int) -> ChangelogSection:
    return replace(
        section,
        line=section.line + offset,
        entries=tuple(
            replace(e, line=e.line + offset if e.line is not None else None)
            for e in section.entries
        ),
    )


def _parse_section(
    text: str, versions: frozenset[str], first_only: bool
) -> ChangelogSection | None:
    try:
        tokens = _MD.parse(text)
    except RecursionError:
        return None
    lines = text.split("\n")
    heads = _headings(tokens)
    for index, (level, heading, start, end) in enumerate(heads):
        if not _names_version(heading, versions):
            if first_only:
                return None
            continue
        stop = next((h[2] for h in heads[index + 1 :] if h[0] <= level), len(lines))
        return _security_part(tokens, heads, level, heading, start, end, stop, lines)
    return None


def _headings(tokens: list[Token]) -> list[tuple[int, str, int, int]]:
    found = []
    for index, token in enumerate(tokens):
        if token.type == "heading_open" and token.map is not None and token.level == 0:
            inline = tokens[index + 1]
            found.append((int(token.tag[1]), inline.content.strip(), token.map[0], token.map[1]))
    return found


def _names_version(heading: str, versions: frozenset[str]) -> bool:
    match = _VERSION.search(heading[:200])
    return match is not None and version_key(match.group(1)) in versions


def _security_part(
    tokens: list[Token],
    heads: list[tuple[int, str, int, int]],
    level: int,
    heading: str,
    start: int,
    end: int,
    stop: int,
    lines: list[str],
) -> ChangelogSection:
    inner = [h for h in heads if start < h[2] < stop]
    ranges: list[tuple[int, int]] = []
    names: list[str] = []
    for index, (sub_level, text, _sub_start, sub_end) in enumerate(inner):
        if sub_level > level and "security" in text.lower():
            sub_stop = next((h[2] for h in inner[index + 1 :] if h[0] <= sub_level), stop)
            ranges.append((sub_end, sub_stop))
            names.append(text[:200])

    def in_security(line: int) -> bool:
        return any(a <= line < b for a, b in ranges)

    entries: list[Entry] = []
    depth = 0
    for token in tokens:
        if token.type in ("bullet_list_open", "ordered_list_open"):
            depth += 1
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            depth -= 1
        if token.map is None or not end <= token.map[0] < stop:
            continue
        top_item = token.type == "list_item_open" and depth == 1
        loose_paragraph = token.type == "paragraph_open" and depth == 0
        if not (top_item or loose_paragraph):
            continue
        source = _item_source(lines, token.map[0], token.map[1])
        if not source:
            continue
        line = token.map[0] + 1
        if in_security(token.map[0]):
            entries.append(_entry(source, "heading", line))
        elif top_item and _BOLD_SECURITY.match(source):
            entries.append(_entry(_BOLD_SECURITY.sub("", source, count=1), "bold", line))
        elif top_item and (advisory_ids(source) or _VULNERABILITY.search(source)):
            entries.append(_entry(source, "advisory", line))
    return ChangelogSection(heading[:200], start + 1, tuple(names), tuple(entries))


def _item_source(lines: list[str], first: int, last: int) -> str:
    chunk = lines[first:last]
    if not chunk:
        return ""
    head = _MARKER.sub("", chunk[0], count=1)
    rest = textwrap.dedent("\n".join(chunk[1:]))
    text = f"{head}\n{rest}".strip()
    return text[:MAX_ENTRY]


def _entry(source: str, origin: str, line: int) -> Entry:
    return Entry(source.strip(), tuple(advisory_ids(source)), origin, line)


def commit_entries(commits: Sequence[CommitInfo]) -> list[Entry]:
    """Security entries from commit messages: conventional prefixes and ``Security:`` trailers."""
    entries = []
    for commit in commits:
        subject = commit.subject.strip()[:MAX_ENTRY]
        conventional = _CONVENTIONAL.match(subject)
        trailer = _TRAILER.search(commit.body[: MAX_ENTRY * 4])
        if conventional is None and trailer is None:
            continue
        text = conventional.group(1) if conventional else subject
        if trailer is not None and trailer.group(1).strip() not in text:
            text = f"{text} (Security: {trailer.group(1).strip()[:MAX_ENTRY]})"
        ids = advisory_ids(f"{subject}\n{commit.body[: MAX_ENTRY * 4]}")
        entries.append(Entry(text, tuple(ids), "commit", None, commit.sha))
    return entries


# --- the collector --------------------------------------------------------------------------


class ChangelogCollector(Collector):
    name = "changelog"
    order = 61
    options_class = ChangelogOptions
    coverage = Coverage(Kind.CHANGELOG, "Security changelog", position=60)
    reads_tag_tree = True

    def cross_check(self, report: ReleaseReport) -> Sequence[Problem]:
        """The SBOM diff resolved vulnerabilities but the changelog says nothing about security."""
        return inconsistencies(report)

    def collect(self, ctx: ReleaseContext) -> Findings:
        path = expand(ctx.config.options.changelog.path, ctx.release)
        problems: list[Problem] = []
        try:
            data = ctx.read_at_tag(path)
        except SecdocsError as exc:
            return self._failed(path, f"cannot read the changelog: {exc}")
        section = None
        if data is not None:
            if len(data) > MAX_DOCUMENT:
                return self._failed(path, f"the changelog is larger than {MAX_DOCUMENT} bytes")
            text, utf8 = decode(data)
            if not utf8:
                problems.append(
                    Problem(
                        "not valid UTF-8; undecodable bytes were replaced", path, None, "warning"
                    )
                )
            section = find_section(text, release_versions(ctx.release))

        if section is not None:
            detail = ChangelogDetail(
                path, "changelog", section, section.entries, _section_note(section, ctx.release)
            )
            item = EvidenceItem(
                Kind.CHANGELOG,
                path,
                Status.PRESENT,
                None,
                self.name,
                None,
                {"source": "changelog", "security_entries": len(section.entries)},
            )
        else:
            try:
                commits = ctx.repo.commits_between(
                    ctx.previous.commit if ctx.previous else None, ctx.release.commit, MAX_COMMITS
                )
            except SecdocsError as exc:
                commits = []
                problems.append(
                    Problem(f"cannot list the release's commits: {exc}", path, None, "warning")
                )
            entries = tuple(commit_entries(commits))
            why = (
                f"{path} has no section for {ctx.release.version}"
                if data is not None
                else f"no {path} at {ctx.release.tag}"
            )
            note = (
                f"{why}; {len(entries)} security entr{'y' if len(entries) == 1 else 'ies'} "
                f"taken from {len(commits)} commit{'' if len(commits) == 1 else 's'} since "
                f"{ctx.previous.tag if ctx.previous else 'the first commit'}"
            )
            detail = ChangelogDetail(path, "commits", None, entries, note)
            item = EvidenceItem(
                Kind.CHANGELOG,
                path,
                Status.MISSING,
                note,
                self.name,
                None,
                {"source": "commits", "security_entries": len(entries)},
            )
        return Findings(self.name, (item,), tuple(problems), _data(detail), detail)

    def _failed(self, path: str, reason: str) -> Findings:
        detail = ChangelogDetail(path, "none", None, (), reason)
        item = EvidenceItem(Kind.CHANGELOG, path, Status.FAILED, reason, self.name)
        return Findings(self.name, (item,), (Problem(reason, path),), _data(detail), detail)

    def render(self, findings: Findings, page: PageContext) -> Sequence[Section]:
        detail = findings.detail
        if not isinstance(detail, ChangelogDetail):
            return ()
        body = section(detail)
        return (Section("security-changelog", "Security changelog", html_block(body), 61),)


def _section_note(section: ChangelogSection, release: Release) -> str:
    count = len(section.entries)
    where = f"section “{section.heading}” (line {section.line})"
    if not count:
        return f"The changelog's {where} says nothing about security."
    return f"From the changelog's {where}: {count} security entr{'y' if count == 1 else 'ies'}."


def _data(detail: ChangelogDetail) -> dict[str, JSONValue]:
    entries: list[JSONValue] = [
        {"text": e.text, "ids": list(e.ids), "origin": e.origin, "line": e.line, "commit": e.commit}
        for e in detail.entries
    ]
    return {
        "path": detail.path,
        "source": detail.source,
        "section": detail.section.heading if detail.section else None,
        "line": detail.section.line if detail.section else None,
        "security_headings": list(detail.section.security_headings) if detail.section else [],
        "security": entries,
        "ids": sorted({i for e in detail.entries for i in e.ids}),
        "note": detail.note,
    }
