"""Validate the ``security:`` block into a frozen :class:`SecurityPolicy`.

The block may live in ``mkdocs.yml`` or in a YAML file it names (``file: security.yml``).
Every value is checked here; a bad value raises :class:`~secdocs.errors.ConfigError` naming the key.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import yaml

from secdocs.config import Config
from secdocs.errors import ConfigError, SecdocsError
from secdocs.safety import check_relative, confined, read_limited, safe_yaml_load

SEVERITIES = ("critical", "high", "medium", "low")
MAX_LIFETIME_DAYS = 365
DEFAULT_LIFETIME_DAYS = 180
MAX_POLICY_FILE = 256 * 1024
NO_ASSESSMENT = "No self assessment has been published yet."
_URI_SCHEMES_CONTACT = ("mailto:", "https://", "tel:")
_URI_SCHEMES_ENCRYPTION = ("https://", "openpgp4fpr:", "dns:")
_KEYS = (
    "file",
    "project",
    "site_url",
    "contacts",
    "encryption",
    "preferred_languages",
    "acknowledgments",
    "policy_url",
    "hiring",
    "canonical",
    "expires_days",
    "signing_key",
    "gnupg_home",
    "disclosure",
    "support",
    "advisories",
    "risk_acceptances",
    "version_index",
    "security_md",
    "insights",
)


@dataclass(frozen=True, slots=True)
class Disclosure:
    acknowledge_days: int | None = None
    triage_days: int | None = None
    #: fix targets in days per severity (critical, high, medium, low)
    fix_days: Mapping[str, int] = field(default_factory=dict)
    embargo_days: int | None = None
    credit: str = ""
    bug_bounty: bool = False


@dataclass(frozen=True, slots=True)
class Support:
    #: how many of the newest major versions are supported
    majors: int = 1
    #: how many of the newest minor series of each supported major are supported
    minors: int = 1
    #: end-of-life dates by series ("1" for a major, "1.2" for a minor)
    end_of_life: Mapping[str, date] = field(default_factory=dict)
    #: free text shown above the table
    note: str = ""


@dataclass(frozen=True, slots=True)
class Person:
    name: str
    email: str | None = None
    affiliation: str | None = None


@dataclass(frozen=True, slots=True)
class Insights:
    """Facts the Security Insights export needs beyond the policy itself."""

    repository_url: str | None = None
    status: str = "active"
    administrators: tuple[Person, ...] = ()
    core_team: tuple[Person, ...] = ()
    license_url: str | None = None
    license_expression: str | None = None
    accepts_change_request: bool = True
    accepts_automated_change_request: bool = True
    self_assessment: str = NO_ASSESSMENT


@dataclass(frozen=True, slots=True)
class SecurityPolicy:
    project: str
    site_url: str | None = None
    contacts: tuple[str, ...] = ()
    encryption: str | None = None
    preferred_languages: tuple[str, ...] = ()
    acknowledgments: str | None = None
    policy_url: str | None = None
    hiring: str | None = None
    canonical: str | None = None
    expires_days: int = DEFAULT_LIFETIME_DAYS
    signing_key: str | None = None
    gnupg_home: str | None = None
    disclosure: Disclosure = field(default_factory=Disclosure)
    support: Support = field(default_factory=Support)
    advisories: str | None = None
    risk_acceptances: str | None = None
    version_index: str | None = None
    security_md: str = "SECURITY.md"
    insights: Insights = field(default_factory=Insights)

    def page_url(self, path: str) -> str | None:
        """Absolute URL of a site path when ``site_url`` is known."""
        if not self.site_url:
            return None
        return self.site_url.rstrip("/") + "/" + path.lstrip("/")

    @property
    def canonical_url(self) -> str | None:
        return self.canonical or self.page_url(".well-known/security.txt")

    @property
    def policy_link(self) -> str | None:
        return self.policy_url or self.page_url("security/policy/")


def load(config: Config, project: str | None = None) -> SecurityPolicy | None:
    """The validated policy, or ``None`` when the config has no ``security:`` block."""
    raw = config.section("security")
    if raw is None:
        return None
    if not isinstance(raw, Mapping):
        raise ConfigError("security", "expected a mapping")
    block: dict[str, Any] = dict(raw)
    if "file" in block:
        block = {**_read_file(config, block.pop("file")), **block}
    return parse(block, project or config.site_name or config.repo.name)


def _read_file(config: Config, value: Any) -> dict[str, Any]:
    if not isinstance(value, str):
        raise ConfigError("security.file", "expected a path relative to the repository")
    try:
        path = confined(config.repo, check_relative(value, "security.file"))
        data = read_limited(path, MAX_POLICY_FILE, value)
        loaded = safe_yaml_load(data)
    except SecdocsError as exc:
        raise ConfigError("security.file", str(exc)) from exc
    except yaml.YAMLError as exc:
        raise ConfigError("security.file", f"{value}: invalid YAML: {exc}") from exc
    if not isinstance(loaded, Mapping):
        raise ConfigError("security.file", f"{value}: expected a mapping")
    if "file" in loaded:
        raise ConfigError("security.file", f"{value}: must not name another file")
    return dict(loaded)


def parse(block: Mapping[str, Any], project: str) -> SecurityPolicy:
    unknown = sorted(str(k) for k in set(block) - set(_KEYS))
    if unknown:
        raise ConfigError(f"security.{unknown[0]}", f"unknown option (known: {', '.join(_KEYS)})")
    project = _opt_str(block, "project") or project
    site_url = _https(block, "site_url")
    contacts = tuple(_contact(c, i) for i, c in enumerate(_str_list(block, "contacts")))
    encryption = _opt_str(block, "encryption")
    if encryption is not None and not encryption.startswith(_URI_SCHEMES_ENCRYPTION):
        raise ConfigError("security.encryption", "expected an https://, openpgp4fpr: or dns: URI")
    languages = tuple(_str_list(block, "preferred_languages"))
    for lang in languages:
        if not lang.replace("-", "").isalnum() or len(lang) > 35:
            raise ConfigError("security.preferred_languages", f"not a language tag: {lang!r}")
    expires_days = _int(block, "expires_days", DEFAULT_LIFETIME_DAYS)
    if not 1 <= expires_days <= MAX_LIFETIME_DAYS:
        raise ConfigError("security.expires_days", "expected 1 to 365 days (RFC 9116: < 1 year)")
    return SecurityPolicy(
        project=project,
        site_url=site_url,
        contacts=contacts,
        encryption=encryption,
        preferred_languages=languages,
        acknowledgments=_https(block, "acknowledgments"),
        policy_url=_https(block, "policy_url"),
        hiring=_https(block, "hiring"),
        canonical=_https(block, "canonical"),
        expires_days=expires_days,
        signing_key=_opt_str(block, "signing_key"),
        gnupg_home=_opt_str(block, "gnupg_home"),
        disclosure=_disclosure(block.get("disclosure")),
        support=_support(block.get("support")),
        advisories=_rel_path(block, "advisories"),
        risk_acceptances=_rel_path(block, "risk_acceptances"),
        version_index=_rel_path(block, "version_index"),
        security_md=_security_md(block),
        insights=_insights(block.get("insights")),
    )


def _contact(value: str, index: int) -> str:
    if "@" in value and ":" not in value:
        return f"mailto:{value}"
    if not value.startswith(_URI_SCHEMES_CONTACT):
        raise ConfigError(
            f"security.contacts[{index}]", "expected an email, mailto:, https:// or tel: URI"
        )
    return value


def _disclosure(raw: Any) -> Disclosure:
    if raw is None:
        return Disclosure()
    if not isinstance(raw, Mapping):
        raise ConfigError("security.disclosure", "expected a mapping")
    known = ("acknowledge_days", "triage_days", "fix_days", "embargo_days", "credit", "bug_bounty")
    unknown = sorted(str(k) for k in set(raw) - set(known))
    if unknown:
        raise ConfigError(f"security.disclosure.{unknown[0]}", "unknown option")
    fix_raw = raw.get("fix_days") or {}
    if not isinstance(fix_raw, Mapping):
        raise ConfigError("security.disclosure.fix_days", "expected severity: days")
    fix: dict[str, int] = {}
    for severity, days in fix_raw.items():
        if severity not in SEVERITIES:
            raise ConfigError(
                f"security.disclosure.fix_days.{severity}",
                f"unknown severity (known: {', '.join(SEVERITIES)})",
            )
        fix[severity] = _days(days, f"security.disclosure.fix_days.{severity}")
    bounty = raw.get("bug_bounty", False)
    if not isinstance(bounty, bool):
        raise ConfigError("security.disclosure.bug_bounty", "expected true or false")
    credit = raw.get("credit", "")
    if not isinstance(credit, str):
        raise ConfigError("security.disclosure.credit", "expected text")
    return Disclosure(
        acknowledge_days=_opt_days(raw, "acknowledge_days"),
        triage_days=_opt_days(raw, "triage_days"),
        fix_days={s: fix[s] for s in SEVERITIES if s in fix},
        embargo_days=_opt_days(raw, "embargo_days"),
        credit=credit,
        bug_bounty=bounty,
    )


def _support(raw: Any) -> Support:
    if raw is None:
        return Support()
    if not isinstance(raw, Mapping):
        raise ConfigError("security.support", "expected a mapping")
    unknown = sorted(str(k) for k in set(raw) - {"majors", "minors", "end_of_life", "note"})
    if unknown:
        raise ConfigError(f"security.support.{unknown[0]}", "unknown option")
    majors = _int(raw, "majors", 1, "security.support.majors")
    minors = _int(raw, "minors", 1, "security.support.minors")
    if majors < 1 or minors < 1:
        raise ConfigError("security.support", "majors and minors must be at least 1")
    eol_raw = raw.get("end_of_life") or {}
    if not isinstance(eol_raw, Mapping):
        raise ConfigError("security.support.end_of_life", "expected series: date")
    eol: dict[str, date] = {}
    for series, when in eol_raw.items():
        key = str(series)
        parts = key.split(".")
        if not (1 <= len(parts) <= 2 and all(p.isdigit() for p in parts)):
            raise ConfigError(
                f"security.support.end_of_life.{key}", "expected a major (1) or minor (1.2) series"
            )
        eol[key] = as_date(when, f"security.support.end_of_life.{key}")
    note = raw.get("note", "")
    if not isinstance(note, str):
        raise ConfigError("security.support.note", "expected text")
    return Support(majors=majors, minors=minors, end_of_life=eol, note=note)


def _insights(raw: Any) -> Insights:
    if raw is None:
        return Insights()
    if not isinstance(raw, Mapping):
        raise ConfigError("security.insights", "expected a mapping")
    known = (
        "repository_url",
        "status",
        "administrators",
        "core_team",
        "license_url",
        "license_expression",
        "accepts_change_request",
        "accepts_automated_change_request",
        "self_assessment",
    )
    unknown = sorted(str(k) for k in set(raw) - set(known))
    if unknown:
        raise ConfigError(f"security.insights.{unknown[0]}", "unknown option")
    status = _opt_str(raw, "status", "security.insights.status") or "active"
    statuses = ("active", "abandoned", "concept", "inactive", "moved", "suspended", "unsupported")
    if status not in (*statuses, "WIP"):
        raise ConfigError("security.insights.status", f"expected one of {', '.join(statuses)}")
    admins = _people(raw.get("administrators"), "security.insights.administrators")
    flags = {}
    for key in ("accepts_change_request", "accepts_automated_change_request"):
        value = raw.get(key, True)
        if not isinstance(value, bool):
            raise ConfigError(f"security.insights.{key}", "expected true or false")
        flags[key] = value
    return Insights(
        repository_url=_https(raw, "repository_url", "security.insights.repository_url"),
        status=status,
        administrators=admins,
        core_team=_people(raw.get("core_team"), "security.insights.core_team") or admins,
        license_url=_https(raw, "license_url", "security.insights.license_url"),
        license_expression=_opt_str(raw, "license_expression", "security.insights"),
        self_assessment=_opt_str(raw, "self_assessment", "security.insights") or NO_ASSESSMENT,
        **flags,
    )


def _people(raw: Any, key: str) -> tuple[Person, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise ConfigError(key, "expected a list of people")
    people = []
    for index, entry in enumerate(raw):
        where = f"{key}[{index}]"
        if isinstance(entry, str):
            entry = {"name": entry}
        if not isinstance(entry, Mapping) or not isinstance(entry.get("name"), str):
            raise ConfigError(where, "expected a name or {name, email, affiliation}")
        email = entry.get("email")
        affiliation = entry.get("affiliation")
        if email is not None and (not isinstance(email, str) or "@" not in email):
            raise ConfigError(f"{where}.email", "expected an email address")
        if affiliation is not None and not isinstance(affiliation, str):
            raise ConfigError(f"{where}.affiliation", "expected text")
        people.append(Person(entry["name"], email, affiliation))
    return tuple(people)


def as_date(value: Any, key: str) -> date:
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


def _opt_str(raw: Mapping[str, Any], key: str, where: str = "security") -> str | None:
    value = raw.get(key)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise ConfigError(f"{where}.{key}" if where == "security" else where, "expected text")
    return value.strip() or None


def _https(raw: Mapping[str, Any], key: str, where: str | None = None) -> str | None:
    value = _opt_str(raw, key, where or "security")
    if value is not None and (not value.startswith("https://") or any(c.isspace() for c in value)):
        raise ConfigError(where or f"security.{key}", "expected an https:// URL")
    return value


def _str_list(raw: Mapping[str, Any], key: str) -> list[str]:
    value = raw.get(key)
    if value is None or value == "":
        return []
    if isinstance(value, str):
        value = [v.strip() for v in value.split(",")] if key == "preferred_languages" else [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"security.{key}", "expected a list of strings")
    return [v.strip() for v in value if v.strip()]


def _int(raw: Mapping[str, Any], key: str, default: int, where: str | None = None) -> int:
    value = raw.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int):
        raise ConfigError(where or f"security.{key}", "expected a whole number")
    return value


def _days(value: Any, key: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ConfigError(key, "expected a number of days")
    return value


def _opt_days(raw: Mapping[str, Any], key: str) -> int | None:
    value = raw.get(key)
    return None if value is None else _days(value, f"security.disclosure.{key}")


def _rel_path(raw: Mapping[str, Any], key: str) -> str | None:
    value = _opt_str(raw, key)
    if value is None:
        return None
    try:
        return check_relative(value, f"security.{key}")
    except SecdocsError as exc:
        raise ConfigError(f"security.{key}", str(exc)) from exc


_MD_PATH_SEGMENT = re.compile(r"^\.?[A-Za-z0-9_][A-Za-z0-9._-]{0,100}$")


def _security_md(raw: Mapping[str, Any]) -> str:
    """Where SECURITY.md lives; GitHub also reads ``.github/`` and ``docs/``, so a leading dot
    is allowed in a segment (never ``..``)."""
    value = _opt_str(raw, "security_md") or "SECURITY.md"
    parts = value.split("/")
    if not all(_MD_PATH_SEGMENT.match(p) and p not in (".", "..") for p in parts):
        raise ConfigError(
            "security.security_md", "expected a relative path such as .github/SECURITY.md"
        )
    return value


def build_date(release_dates: list[datetime]) -> datetime | None:
    """The date output is computed from: ``SOURCE_DATE_EPOCH``, else the newest release's date.

    Never the wall clock, so two builds of the same inputs are identical. ``None`` with neither:
    date-dependent output (``security.txt``) is then left out rather than invented.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return datetime.fromtimestamp(int(epoch), UTC)
        except (ValueError, OverflowError, OSError) as exc:
            raise ConfigError("SOURCE_DATE_EPOCH", f"not a Unix timestamp: {epoch!r}") from exc
    if release_dates:
        return max(release_dates).astimezone(UTC)
    return None
