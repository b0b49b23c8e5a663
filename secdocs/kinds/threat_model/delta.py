"""The threat-model delta format: Markdown with YAML front matter, parsed with markdown-it-py.

A delta looks like this (see ``docs/history.md`` for the full description)::

    ---
    title: Export API
    owner: appsec
    ---
    # Threat-model delta for 1.1.0

    ## What changes
    A new export endpoint ...

    ## Data touched
    Customer records (PII) ...

    ## Trust boundaries
    Internet → API gateway ...

    ## Risks
    ### EXP-1: Guessable export links
    - Mitigation: signed URLs that expire after 15 minutes
    - Status: open
    - Owner: @alice

"Nothing changes" is said explicitly: ``changes: none`` in the front matter, or a "What changes"
section that reads "Nothing changes." Every problem carries the file and the 1-based line.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token

from secdocs.frontmatter import UnclosedFrontMatter, split_front_matter
from secdocs.model import Problem
from secdocs.release_files import MAX_FRONT_MATTER, decode
from secdocs.safety import safe_yaml_load

MAX_RISKS = 5
#: largest delta parsed (a delta is a page or two; this bounds the parse time of hostile input)
MAX_DELTA = 256 * 1024
RISK_STATUSES = ("open", "mitigated", "accepted", "transferred")
FRONT_MATTER_KEYS = ("title", "version", "changes", "owner", "summary", "date", "reviewers")
NOTHING = frozenset({"nothing changes", "none", "nothing", "no changes"})

_SECTIONS = {
    "what changes": "changes",
    "changes": "changes",
    "data touched": "data",
    "data": "data",
    "trust boundaries": "boundaries",
    "trust boundary": "boundaries",
    "risks": "risks",
}
SECTION_TITLES = {
    "changes": "What changes",
    "data": "Data touched",
    "boundaries": "Trust boundaries",
    "risks": "Risks",
}
_RISK_HEADING = re.compile(r"^([A-Za-z][A-Za-z0-9._-]{0,39})\s*[:\u2014\u2013]\s*(\S.*)$")
_FIELD = re.compile(
    r"^\s*(?:\*\*|__)?([A-Za-z]+)(?:\*\*|__)?\s*:\s*(?:\*\*|__)?\s*(.*)$", re.DOTALL
)
_FIELDS = ("mitigation", "status", "owner")
_MAX_FIELD = 2000

_MD = MarkdownIt("commonmark", {"html": False})


@dataclass(frozen=True, slots=True)
class Risk:
    id: str
    title: str
    mitigation: str
    status: str
    owner: str | None
    line: int


@dataclass(frozen=True, slots=True)
class Delta:
    """One parsed delta. ``problems`` holds errors and warnings; errors make it invalid."""

    path: str
    title: str | None
    nothing_changes: bool
    #: Markdown source of each known section, keyed by ``changes``/``data``/``boundaries``/``risks``
    sections: tuple[tuple[str, str], ...]
    risks: tuple[Risk, ...]
    problems: tuple[Problem, ...]

    @property
    def valid(self) -> bool:
        return not any(p.severity == "error" for p in self.problems)

    def section(self, key: str) -> str:
        return dict(self.sections).get(key, "")


@dataclass
class _Heading:
    level: int
    text: str
    line: int  # 1-based line in the file
    start: int  # 0-based body line of the heading
    end: int  # 0-based body line after the heading


def parse_delta(data: bytes, path: str) -> Delta:
    """Parse and validate one delta. Never raises for bad input: problems say what is wrong."""
    problems: list[Problem] = []

    def error(message: str, line: int | None, severity: str = "error") -> None:
        problems.append(Problem(message, path=path, line=line, severity=severity))

    def fail(message: str, line: int | None = 1) -> Delta:
        error(message, line)
        return Delta(path, None, False, (), (), tuple(problems))

    if len(data) > MAX_DELTA:
        return fail(f"larger than {MAX_DELTA} bytes (a delta is a short document)")
    text, utf8 = decode(data)
    if not utf8:
        error("not valid UTF-8; undecodable bytes were replaced", 1, "warning")
    try:
        front, body, offset = split_front_matter(text)
    except UnclosedFrontMatter:
        return fail("the YAML front matter opened on line 1 is never closed with “---”")

    meta: Mapping[str, Any] = {}
    if front is not None:
        if len(front.encode()) > MAX_FRONT_MATTER:
            return fail(f"the front matter is larger than {MAX_FRONT_MATTER} bytes")
        try:
            loaded = safe_yaml_load(front)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = 2 + mark.line if mark is not None else 1
            return fail(f"invalid YAML front matter: {exc.problem or exc}", line)
        except (yaml.YAMLError, RecursionError, ValueError) as exc:
            return fail(f"invalid YAML front matter: {type(exc).__name__}")
        if loaded is None:
            loaded = {}
        if not isinstance(loaded, Mapping):
            return fail("the front matter must be a mapping of keys to values")
        meta = loaded
        for key in sorted(str(k) for k in meta if k not in FRONT_MATTER_KEYS):
            error(
                f"unknown front matter key “{key}” (known: {', '.join(FRONT_MATTER_KEYS)})",
                _key_line(front, key),
                "warning",
            )

    try:
        tokens = _MD.parse(body)
    except RecursionError:
        return fail("the Markdown is nested too deeply to parse")
    body_lines = body.split("\n")
    headings = _headings(tokens, offset)

    title = meta.get("title")
    if title is not None and not isinstance(title, str | int | float):
        error("front matter 'title' must be text", 1)
        title = None
    title = str(title)[:200] if title is not None else None
    sections: dict[str, str] = {}
    section_lines: dict[str, int] = {}
    risk_heads: list[tuple[_Heading, int]] = []  # heading, end line (0-based body, exclusive)
    current: str | None = None
    for index, head in enumerate(headings):
        following = headings[index + 1 :]
        if head.level == 1:
            if title is None:
                title = head.text[:200]
            current = None
            continue
        if head.level == 2:
            section_key = _SECTIONS.get(_norm(head.text))
            current = section_key
            if section_key is None:
                error(
                    f"unknown section “{head.text[:80]}” (expected: "
                    f"{', '.join(SECTION_TITLES.values())})",
                    head.line,
                    "warning",
                )
                continue
            if section_key in sections:
                error(f"section “{SECTION_TITLES[section_key]}” appears twice", head.line)
                continue
            stop = next((h.start for h in following if h.level <= 2), len(body_lines))
            sections[section_key] = "\n".join(body_lines[head.end : stop]).strip()
            section_lines[section_key] = head.line
            continue
        if current == "risks" and head.level == 3:
            stop = next((h.start for h in following if h.level <= 3), len(body_lines))
            risk_heads.append((head, stop))

    nothing = _declares_nothing(meta.get("changes"), sections.get("changes", ""))
    if "changes" in meta and meta.get("changes") is not None and not nothing:
        error(
            "front matter key “changes” only accepts “none” (say what changes in the text)",
            _key_line(front or "", "changes"),
        )

    risks: list[Risk] = []
    seen: dict[str, int] = {}
    for number, (head, stop) in enumerate(risk_heads, start=1):
        if number > MAX_RISKS:
            error(
                f"risk {number}: a delta lists at most {MAX_RISKS} risks; split the change "
                "or merge related risks",
                head.line,
            )
            continue
        risk = _risk(tokens, head, stop, offset, error)
        if risk is None:
            continue
        folded = risk.id.casefold()
        if folded in seen:
            error(f"risk id “{risk.id}” is used twice (first on line {seen[folded]})", head.line)
            continue
        seen[folded] = head.line
        risks.append(risk)

    first_line = offset + 1
    if nothing:
        if risk_heads:
            error("the delta says nothing changes but lists risks", risk_heads[0][0].line)
    else:
        for key in ("changes", "data", "boundaries", "risks"):
            name = SECTION_TITLES[key]
            if key not in sections:
                error(f"missing section “## {name}” (or declare “changes: none”)", first_line)
            elif key != "risks" and not sections[key]:
                error(
                    f"section “## {name}” is empty; say “None” explicitly if nothing applies",
                    section_lines[key],
                )
        if "risks" in sections and not risk_heads and not _risk_free_text(sections["risks"]):
            error(
                "section “## Risks” lists no risk; add “### ID: risk” entries or say "
                "“No new risks.”",
                section_lines["risks"],
            )

    return Delta(
        path=path,
        title=title,
        nothing_changes=nothing,
        sections=tuple(sorted(sections.items())),
        risks=tuple(risks),
        problems=tuple(problems),
    )


def _headings(tokens: list[Token], offset: int) -> list[_Heading]:
    found = []
    for index, token in enumerate(tokens):
        if token.type != "heading_open" or token.map is None:
            continue
        inline = tokens[index + 1] if index + 1 < len(tokens) else None
        text = inline.content.strip() if inline is not None and inline.type == "inline" else ""
        found.append(
            _Heading(int(token.tag[1]), text, token.map[0] + 1 + offset, token.map[0], token.map[1])
        )
    return found


def _risk(tokens: list[Token], head: _Heading, stop: int, offset: int, error: Any) -> Risk | None:
    match = _RISK_HEADING.match(head.text)
    if match is None:
        error(
            "a risk heading reads “### ID: short description” (for example “### R1: "
            "Guessable export links”)",
            head.line,
        )
        return None
    fields: dict[str, str] = {}
    for token in tokens:
        if token.type != "inline" or token.map is None:
            continue
        if not head.end <= token.map[0] < stop:
            continue
        line = token.map[0] + 1 + offset
        field = _FIELD.match(token.content)
        if field is None:
            continue
        name = field.group(1).lower()
        value = " ".join(field.group(2).split())
        if name not in _FIELDS:
            error(
                f"unknown risk field “{field.group(1)[:40]}” (known: Mitigation, Status, Owner)",
                line,
                "warning",
            )
            continue
        if name in fields:
            error(f"risk {match.group(1)}: field “{name}” given twice", line)
            continue
        if len(value) > _MAX_FIELD:
            error(f"risk {match.group(1)}: {name} is longer than {_MAX_FIELD} characters", line)
            continue
        fields[name] = value
        if name == "status" and value.lower() not in RISK_STATUSES:
            error(
                f"risk {match.group(1)}: status “{value[:40]}” is not one of "
                f"{', '.join(RISK_STATUSES)}",
                line,
            )
            return None
    if not fields.get("mitigation"):
        error(f"risk {match.group(1)}: every risk needs a “Mitigation:” line", head.line)
        return None
    return Risk(
        id=match.group(1),
        title=match.group(2).strip()[:300],
        mitigation=fields["mitigation"],
        status=fields.get("status", "open").lower(),
        owner=fields.get("owner") or None,
        line=head.line,
    )


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[^a-z ]", " ", text.lower()).split())


def _declares_nothing(flag: object, changes: str) -> bool:
    if isinstance(flag, str) and _norm(flag) in NOTHING:
        return True
    return _norm(changes) in NOTHING


def _risk_free_text(text: str) -> bool:
    return bool(re.search(r"\bno\b.*\brisks?\b|^none\b", text.strip(), re.IGNORECASE))


def _key_line(front: str, key: str) -> int:
    """The file line of a top-level front matter key (front matter starts on line 2)."""
    for index, line in enumerate(front.split("\n")):
        if line.startswith(f"{key}:"):
            return index + 2
    return 1
