"""Options of the ``security:`` block (SECURITY.md, security.txt, the policy pages).

The block may live in ``mkdocs.yml`` or in a YAML file of the repository it names
(``security: {file: security.yml}``); keys written in ``mkdocs.yml`` win over the file's.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any

import yaml
from mkdocs.config.base import BaseConfigOption, ValidationError

from secdocs.errors import ConfigError, SecdocsError, printable
from secdocs.options import (
    Block,
    Checked,
    Flag,
    Https,
    ListOf,
    Nested,
    Number,
    OneOf,
    Options,
    RepoFile,
    TagPath,
    Text,
    current_root,
)
from secdocs.safety import confined, read_limited, safe_yaml_load

SEVERITIES = ("critical", "high", "medium", "low")
MAX_LIFETIME_DAYS = 365
DEFAULT_LIFETIME_DAYS = 180
MAX_POLICY_FILE = 256 * 1024
NO_ASSESSMENT = "No self assessment has been published yet."
STATUSES = (
    "active",
    "abandoned",
    "concept",
    "inactive",
    "moved",
    "suspended",
    "unsupported",
    "WIP",
)
_CONTACT_SCHEMES = ("mailto:", "https://", "tel:")
_ENCRYPTION_SCHEMES = ("https://", "openpgp4fpr:", "dns:")
_MD_PATH_SEGMENT = re.compile(r"^\.?[A-Za-z0-9_][A-Za-z0-9._-]{0,100}$")


def as_date(value: Any, key: str = "") -> date:
    """A calendar date from YAML (a date, or an ISO 8601 string)."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).date() if value.tzinfo else value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ConfigError(key, f"expected a date (YYYY-MM-DD), got {value!r}")


def _contact(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError("expected an email, mailto:, https:// or tel: URI")
    value = value.strip()
    if "@" in value and ":" not in value:
        return f"mailto:{value}"
    if not value.startswith(_CONTACT_SCHEMES):
        raise ValueError(f"expected an email, mailto:, https:// or tel: URI, got {value!r}")
    return value


def _encryption(value: object) -> str:
    if not isinstance(value, str) or not value.strip().startswith(_ENCRYPTION_SCHEMES):
        raise ValueError("expected an https://, openpgp4fpr: or dns: URI")
    return value.strip()


def _languages(value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        value = value.split(",")
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise ValueError("expected a list of language tags (en, de, pt-BR)")
    languages = tuple(v.strip() for v in value if v.strip())
    for lang in languages:
        if not lang.replace("-", "").isalnum() or len(lang) > 35:
            raise ValueError(f"not a language tag: {lang!r}")
    return languages


def _security_md(value: object) -> str:
    """GitHub also reads ``.github/`` and ``docs/``: a leading dot is allowed (never ``..``)."""
    parts = value.split("/") if isinstance(value, str) else [""]
    if not all(_MD_PATH_SEGMENT.match(p) and p not in (".", "..") for p in parts):
        raise ValueError("expected a relative path such as .github/SECURITY.md")
    return str(value)


class _Days(BaseConfigOption[dict[str, int]]):
    """``severity: days`` for the known severities, in severity order."""

    def run_validation(self, value: object) -> dict[str, int]:
        if value is None:
            return {}
        if not isinstance(value, Mapping):
            raise ValidationError("expected severity: days, for example {critical: 7, high: 30}")
        errors = [
            (str(k), f"unknown severity (known: {', '.join(SEVERITIES)})")
            for k in value
            if k not in SEVERITIES
        ]
        days = Number(None, minimum=0, meaning="a number of days")
        result: dict[str, int] = {}
        for severity in SEVERITIES:
            if severity in value:
                try:
                    result[severity] = days.validate(value[severity])
                except ValidationError as exc:
                    errors.append((severity, str(exc)))
        if errors:
            raise Nested(errors)
        return result


class _EndOfLife(BaseConfigOption[dict[str, date]]):
    def run_validation(self, value: object) -> dict[str, date]:
        if value is None:
            return {}
        if not isinstance(value, Mapping):
            raise ValidationError("expected series: date, for example {'1': 2027-06-30}")
        result: dict[str, date] = {}
        errors: list[tuple[str, str]] = []
        for series, when in value.items():
            key = str(series)
            parts = key.split(".")
            if not (1 <= len(parts) <= 2 and all(p.isdigit() for p in parts)):
                errors.append((key, "expected a major (1) or minor (1.2) series"))
                continue
            try:
                result[key] = as_date(when)
            except SecdocsError:
                errors.append((key, f"expected a date (YYYY-MM-DD), got {when!r}"))
        if errors:
            raise Nested(errors)
        return result


class _Person(BaseConfigOption[dict[str, str | None]]):
    def run_validation(self, value: object) -> dict[str, str | None]:
        if isinstance(value, str):
            value = {"name": value}
        if not isinstance(value, Mapping) or not isinstance(value.get("name"), str):
            raise ValidationError("expected a name or {name, email, affiliation}")
        unknown = sorted(str(k) for k in value if k not in ("name", "email", "affiliation"))
        if unknown:
            raise ValidationError(f"unknown key {unknown[0]!r} (known: name, email, affiliation)")
        email, affiliation = value.get("email"), value.get("affiliation")
        errors = []
        if email is not None and (not isinstance(email, str) or "@" not in email):
            errors.append(("email", "expected an email address"))
        if affiliation is not None and not isinstance(affiliation, str):
            errors.append(("affiliation", "expected text"))
        if errors:
            raise Nested(errors)
        return {"name": value["name"], "email": email, "affiliation": affiliation}


class DisclosureBlock(Options):
    acknowledge_days = Number(None, minimum=0, meaning="a number of days")
    triage_days = Number(None, minimum=0, meaning="a number of days")
    fix_days = _Days()
    embargo_days = Number(None, minimum=0, meaning="a number of days")
    credit = Text("", blank=True)
    bug_bounty = Flag(False)


class SupportBlock(Options):
    majors = Number(1, minimum=1, meaning="a number of major versions, at least 1")
    minors = Number(1, minimum=1, meaning="a number of minor series, at least 1")
    end_of_life = _EndOfLife()
    note = Text("", blank=True)


class InsightsBlock(Options):
    repository_url = Https()
    status = OneOf(STATUSES, "active")
    administrators = ListOf(_Person(), single=False)
    core_team = ListOf(_Person(), single=False)
    license_url = Https()
    license_expression = Text(blank=True)
    accepts_change_request = Flag(True)
    accepts_automated_change_request = Flag(True)
    self_assessment = Text(NO_ASSESSMENT)


class SecurityBlock(Options):
    file = RepoFile("security policy file")
    project = Text(blank=True)
    site_url = Https()
    contacts = ListOf(Checked(_contact))
    encryption = Checked(_encryption)
    preferred_languages: Checked[tuple[str, ...]] = Checked(_languages, ())
    acknowledgments = Https()
    policy_url = Https()
    hiring = Https()
    canonical = Https()
    expires_days = Number(
        DEFAULT_LIFETIME_DAYS,
        minimum=1,
        maximum=MAX_LIFETIME_DAYS,
        meaning=f"1 to {MAX_LIFETIME_DAYS} days (RFC 9116: less than a year)",
    )
    signing_key = Text(blank=True)
    gnupg_home = Text(blank=True)
    disclosure = Block(
        DisclosureBlock, example="disclosure: {acknowledge_days: 3, fix_days: {...}}"
    )
    support = Block(SupportBlock, example="support: {majors: 2, minors: 1}")
    advisories = TagPath(what="the advisories folder")
    risk_acceptances = TagPath(what="the risk acceptances file")
    version_index = TagPath(what="the version index file")
    security_md = Checked(_security_md, "SECURITY.md")
    insights = Block(InsightsBlock, example="insights: {repository_url: https://…}")


class _SecurityBlockOption(Block[SecurityBlock]):
    """The ``security:`` block, with the keys of the file it names merged in."""

    def prepare(self, value: Mapping[str, Any]) -> Mapping[str, Any]:
        name = value.get("file")
        root = current_root()
        if not isinstance(name, str) or root is None or not (root / name).is_file():
            return value  # the ``file`` option itself reports a missing or unsafe path
        try:
            loaded = safe_yaml_load(read_limited(confined(root, name), MAX_POLICY_FILE, name))
        except SecdocsError as exc:
            raise Nested([("file", str(exc))]) from exc
        except yaml.YAMLError as exc:
            raise Nested([("file", f"{printable(name)}: invalid YAML: {exc}")]) from exc
        if not isinstance(loaded, Mapping):
            raise Nested([("file", f"{printable(name)}: expected a mapping of security options")])
        if "file" in loaded:
            raise Nested([("file", f"{printable(name)}: must not name another file")])
        return {**loaded, **value}


class SecurityOptions(Options):
    """Options of the security policy (``security:``)."""

    security = _SecurityBlockOption(
        SecurityBlock,
        optional=True,
        example="security: {contacts: [security@example.org], expires_days: 180}",
    )
