"""Structural and textual diffs of configuration files, redacted as they are made.

Nothing that leaves this module holds a raw value that the :class:`~secdocs.redact.Redactor`
considers secret: structural changes carry display strings already redacted, text diffs carry
redacted lines.
"""

from __future__ import annotations

import difflib
import json
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

import yaml

from secdocs.errors import EvidenceError
from secdocs.kinds.config_diff.tls import TlsFinding, TlsPolicy, check_value
from secdocs.redact import REDACTED, Redactor, key_words, redact_message
from secdocs.safety import YAMLExpansionError, load_json, safe_yaml_load_all

MAX_LEAVES = 20_000
MAX_SHOWN = 300
MAX_DIFF_LINES = 2_000

DEFAULT_SECURITY_KEYS = (
    "tls",
    "ssl",
    "auth",
    "rbac",
    "cipher",
    "admin",
    "cors",
    "csrf",
    "hsts",
    "cert",
    "oauth",
    "oidc",
    "saml",
    "jwt",
    "mtls",
    "security",
    "permission",
    "role",
    "polic",
    "firewall",
    "encrypt",
    "insecure",
    "verify",
    "trust",
    "allow",
    "deny",
    "csp",
    "session",
    "cookie",
    "privileg",
    "capabilit",
    "network",
    "ingress",
    "expose",
)


class ParseError(Exception):
    """A configuration file could not be parsed; message and line are safe to show."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


@dataclass(frozen=True, slots=True)
class Change:
    path: str
    kind: str  # "added" | "removed" | "changed"
    old: str | None
    new: str | None
    redacted: bool
    security: bool


@dataclass(frozen=True, slots=True)
class Leaf:
    """A flattened value: its path, display string (redacted when secret) and raw comparand."""

    path: str
    shown: str
    secret: bool
    security: bool
    raw: str  # never rendered: only compared; kept in memory for the length of one diff


def file_format(path: str) -> str:
    lowered = path.lower()
    if lowered.endswith((".yaml", ".yml")):
        return "yaml"
    if lowered.endswith(".json"):
        return "json"
    if lowered.endswith(".toml"):
        return "toml"
    return "text"


def parse(data: str, fmt: str, display: str) -> Any:
    """Parse a YAML/JSON/TOML document; :class:`ParseError` names the line, never the content."""
    try:
        if fmt == "json":
            return load_json(data.encode(), display)
        if fmt == "toml":
            return tomllib.loads(data)
        # PyYAML's pure-Python safe loader: libyaml's C composer recurses without a limit
        # (a segfault on deeply nested input) and has been seen to resolve tags wrongly
        # under coverage tracing; the Python loader stops at the recursion limit instead
        documents = safe_yaml_load_all(data)
    except EvidenceError as exc:
        raise ParseError(f"invalid JSON: {_generic(exc.message)}", exc.line) from None
    except tomllib.TOMLDecodeError as exc:
        text = str(exc)
        match = re.search(r"\(at line (\d+)", text)
        raise ParseError(
            f"invalid TOML: {_generic(text.split(' (at ')[0])}",
            int(match.group(1)) if match else None,
        ) from None
    except YAMLExpansionError as exc:
        raise ParseError(f"invalid YAML: {exc}") from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise ParseError(
            f"invalid YAML: {_generic(exc.problem or 'syntax error')}",
            mark.line + 1 if mark is not None else None,
        ) from None
    except (yaml.YAMLError, RecursionError, ValueError, TypeError) as exc:
        raise ParseError(f"cannot parse as {fmt.upper()}: {type(exc).__name__}") from None
    if not documents:
        return None
    return documents[0] if len(documents) == 1 else documents


def _generic(message: str) -> str:
    # Parser messages may quote the offending text: keep them short and redact anything secret.
    return redact_message(message.replace("\n", " ")[:160])


class Flattener:
    def __init__(self, redactor: Redactor, security_terms: tuple[str, ...]) -> None:
        self.redactor = redactor
        self.security_terms = security_terms

    def is_security(self, path: str) -> bool:
        return any(w.startswith(self.security_terms) for w in key_words(path))

    def flatten(self, document: Any) -> dict[str, Leaf]:
        leaves: dict[str, Leaf] = {}
        stack: list[tuple[str, Any, bool]] = [("", document, False)]
        visited = 0
        while stack:
            path, value, secret = stack.pop()
            visited += 1
            if visited > MAX_LEAVES:
                raise ParseError(f"more than {MAX_LEAVES} values (aliases or a huge document)")
            if isinstance(value, Mapping) and value:
                for key, child in value.items():
                    name = str(key)
                    shown_key = name
                    if self.redactor.value_is_secret(name):
                        shown_key = REDACTED
                    child_secret = (
                        secret or self.redactor.key_is_secret(name) or shown_key == REDACTED
                    )
                    stack.append((_join(path, shown_key, name), child, child_secret))
            elif isinstance(value, list | tuple) and value:
                for index, child in enumerate(value):
                    stack.append((f"{path}[{index}]", child, secret))
            else:
                raw = _scalar(value)
                is_secret = secret or self.redactor.value_is_secret(raw)
                shown = REDACTED if is_secret else _shorten(raw)
                key = path or "(document)"
                if key in leaves:  # two keys that print alike (e.g. 1 and "1")
                    key = f"{key}#{visited}"
                leaves[key] = Leaf(key, shown, is_secret, self.is_security(key), raw)
        return leaves


def _join(path: str, shown: str, raw: str) -> str:
    plain = re.fullmatch(r"[A-Za-z0-9_\-]+", raw) is not None and shown == raw
    segment = shown if plain else json.dumps(shown, ensure_ascii=False)
    if not plain:
        return f"{path}[{segment}]"
    return f"{path}.{segment}" if path else segment


def _scalar(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Mapping):
        return "{}"
    if isinstance(value, list | tuple):
        return "[]"
    try:
        return json.dumps(value)
    except (TypeError, ValueError):
        return str(value)


def _shorten(text: str) -> str:
    text = text if len(text) <= MAX_SHOWN else text[: MAX_SHOWN - 1] + "…"
    return json.dumps(text, ensure_ascii=False) if "\n" in text else text


def structural_diff(old: dict[str, Leaf], new: dict[str, Leaf]) -> list[Change]:
    changes: list[Change] = []
    for path in sorted(set(old) | set(new)):
        before, after = old.get(path), new.get(path)
        if before is not None and after is not None:
            if before.raw == after.raw:
                continue
            secret = before.secret or after.secret
            changes.append(
                Change(
                    path,
                    "changed",
                    REDACTED if secret else before.shown,
                    REDACTED if secret else after.shown,
                    secret,
                    before.security or after.security,
                )
            )
        elif after is not None:
            changes.append(Change(path, "added", None, after.shown, after.secret, after.security))
        elif before is not None:
            changes.append(
                Change(path, "removed", before.shown, None, before.secret, before.security)
            )
    return changes


def tls_findings(leaves: dict[str, Leaf], policy: TlsPolicy) -> list[TlsFinding]:
    found: list[TlsFinding] = []
    for path in sorted(leaves):
        leaf = leaves[path]
        if leaf.secret:
            continue
        for finding in check_value(path, leaf.raw, policy):
            if finding.kind == "cipher" and REDACTED in redact_message(finding.value):
                continue
            found.append(finding)
    return found


def text_tls_findings(lines: list[str], policy: TlsPolicy) -> list[TlsFinding]:
    """TLS settings in (already redacted) lines of a text file, located by line number."""
    found: list[TlsFinding] = []
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if REDACTED in stripped or not stripped or stripped.startswith(("#", ";", "//")):
            continue
        cut = min((i for i in (stripped.find(c) for c in "=: \t") if i > 0), default=-1)
        key, value = (stripped[:cut], stripped[cut + 1 :]) if cut > 0 else ("", stripped)
        key = key.strip()[:60]
        for finding in check_value(key, value or stripped, policy):
            where = f"line {number} ({key})" if key else f"line {number}"
            found.append(TlsFinding(where, finding.kind, finding.value, finding.approved))
    return found


def unified_diff(
    old_lines: list[str],
    new_lines: list[str],
    old_shown: list[str],
    new_shown: list[str],
    old_name: str,
    new_name: str,
) -> list[str]:
    """A unified diff computed on the raw lines but printed with the redacted ones.

    A secret that changed therefore still shows as a changed (redacted) line.
    """
    out = [f"--- {old_name}", f"+++ {new_name}"]
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    for group in matcher.get_grouped_opcodes(3):
        first, last = group[0], group[-1]
        out.append(f"@@ -{_range(first[1], last[2])} +{_range(first[3], last[4])} @@")
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                out.extend(" " + line for line in old_shown[i1:i2])
                continue
            if tag in ("replace", "delete"):
                out.extend("-" + line for line in old_shown[i1:i2])
            if tag in ("replace", "insert"):
                out.extend("+" + line for line in new_shown[j1:j2])
        if len(out) > MAX_DIFF_LINES:
            out = out[:MAX_DIFF_LINES]
            out.append(f"… diff truncated at {MAX_DIFF_LINES} lines")
            break
    return out if len(out) > 2 else []


def _range(start: int, stop: int) -> str:
    length = stop - start
    beginning = start + 1
    if length == 1:
        return f"{beginning}"
    if not length:
        beginning -= 1
    return f"{beginning},{length}"
