"""A reader for the subset of CUE that the Security Insights v2 schema (schema.cue) uses.

It extracts, per definition, the fields with their required flag and type, and checks a YAML
document against them (closed definitions: unknown keys are errors, as in CUE). Enough to hold
secdocs' export to the same structure as the spec's own templates — no hand-copied key lists.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

_FIELD = re.compile(r'^\s*"?([A-Za-z0-9_-]+)"?(\?)?:\s*(.*?)\s*$')
_ATTR = re.compile(r"\s*@go\([^)]*\)")


@dataclass
class Field:
    required: bool
    type: Any  # str (a type expression) or dict[str, Field] (an inline struct)


class Schema:
    def __init__(self, text: str) -> None:
        lines = [line.split("//", 1)[0].rstrip() for line in text.splitlines()]
        self.patterns: dict[str, str] = {}
        self.structs: dict[str, dict[str, Field]] = {}
        index = 0
        while index < len(lines):
            line = lines[index]
            match = re.match(r"^#(\w+):\s*(.*)$", line)
            index += 1
            if not match:
                continue
            name, rest = match[1], match[2].strip()
            if rest == "{":
                fields, index = self._struct(lines, index)
                self.structs[name] = fields
            elif rest.startswith('=~"'):
                self.patterns[name] = rest[3:-1].replace("\\\\", "\\")
            elif rest.startswith("time.Format"):
                self.patterns[name] = r"^\d{4}-\d{2}-\d{2}$"

    def _struct(self, lines: list[str], index: int) -> tuple[dict[str, Field], int]:
        fields: dict[str, Field] = {}
        while index < len(lines):
            line = _ATTR.sub("", lines[index]).strip()
            index += 1
            if not line:
                continue
            if line == "}":
                return fields, index
            match = _FIELD.match(line)
            if not match:
                continue
            key, optional, kind = match[1], match[2], match[3].strip()
            if kind == "{":
                inner, index = self._struct(lines, index)
                fields[key] = Field(not optional, inner)
            else:
                fields[key] = Field(not optional, kind)
        return fields, index

    def check(self, value: Any, kind: Any = "#SecurityInsights", where: str = "") -> list[str]:
        if isinstance(kind, dict):
            return self._check_struct(value, kind, where)
        kind = kind.strip()
        if "|" in kind and kind.startswith('"'):
            options = [o.strip().strip('"') for o in kind.split("|")]
            return [] if value in options else [f"{where}: {value!r} not in {options}"]
        if kind.startswith("["):
            return self._check_list(value, kind, where)
        if kind == "string":
            return [] if isinstance(value, str) else [f"{where}: expected a string"]
        if kind == "bool":
            return [] if isinstance(value, bool) else [f"{where}: expected a bool"]
        name = kind.lstrip("#")
        if name in self.patterns:
            text = value.isoformat() if isinstance(value, date) else value
            ok = isinstance(text, str) and re.match(self.patterns[name], text)
            return [] if ok else [f"{where}: {value!r} does not match #{name}"]
        if name in self.structs:
            return self._check_struct(value, self.structs[name], where)
        return [f"{where}: unknown type {kind}"]

    def _check_struct(self, value: Any, fields: dict[str, Field], where: str) -> list[str]:
        if not isinstance(value, dict):
            return [f"{where}: expected a mapping"]
        errors = [f"{where}.{k}: not allowed" for k in value if k not in fields]
        for key, spec in fields.items():
            if key not in value:
                if spec.required:
                    errors.append(f"{where}.{key}: required")
                continue
            errors += self.check(value[key], spec.type, f"{where}.{key}")
        return errors

    def _check_list(self, value: Any, kind: str, where: str) -> list[str]:
        if not isinstance(value, list):
            return [f"{where}: expected a list"]
        if kind.startswith('["default"]'):
            return []
        inner = kind.strip("[]").replace("...", "").strip(", ")
        if kind.startswith("[#") and ", ..." in kind and not value:
            return [f"{where}: needs at least one entry"]
        errors = []
        for index, entry in enumerate(value):
            errors += self.check(entry, inner, f"{where}[{index}]")
        return errors
