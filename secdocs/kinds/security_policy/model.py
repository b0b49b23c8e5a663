"""The security policy (the ``security:`` block) as a frozen :class:`SecurityPolicy`.

Its options are declared and checked in :mod:`secdocs.kinds.security_policy.options`; this
module turns the validated block into the policy the pages are made from, and names the pages
and files the kind publishes.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from secdocs.errors import ConfigError
from secdocs.kinds.security_policy.options import (
    DEFAULT_LIFETIME_DAYS,
    MAX_LIFETIME_DAYS,
    MAX_POLICY_FILE,
    NO_ASSESSMENT,
    SEVERITIES,
    SecurityBlock,
    as_date,
)
from secdocs.model import Problem
from secdocs.options import validate_block

if TYPE_CHECKING:
    from secdocs.config import Config

__all__ = ["MAX_LIFETIME_DAYS", "MAX_POLICY_FILE", "SEVERITIES", "as_date", "build_date", "load"]


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
    """The policy, or ``None`` when the config has no ``security:`` block."""
    block = config.options.security
    if block is None:
        return None
    return policy_of(block, project or config.site_name or config.repo.name)


def parse(block: Mapping[str, Any], project: str) -> SecurityPolicy:
    """The policy of a ``security:`` mapping (checked by :class:`SecurityBlock`)."""
    return policy_of(validate_block(SecurityBlock, block, "security"), project)


def _person(entry: Mapping[str, str | None]) -> Person:
    return Person(str(entry["name"]), entry.get("email"), entry.get("affiliation"))


def _text(value: str | None) -> str | None:
    return value.strip() or None if value else None


def policy_of(block: SecurityBlock, project: str) -> SecurityPolicy:
    disclosure, support, insights = block.disclosure, block.support, block.insights
    admins = tuple(_person(p) for p in insights.administrators)
    return SecurityPolicy(
        project=_text(block.project) or project,
        site_url=block.site_url,
        contacts=block.contacts,
        encryption=block.encryption,
        preferred_languages=block.preferred_languages,
        acknowledgments=block.acknowledgments,
        policy_url=block.policy_url,
        hiring=block.hiring,
        canonical=block.canonical,
        expires_days=block.expires_days,
        signing_key=_text(block.signing_key),
        gnupg_home=_text(block.gnupg_home),
        disclosure=Disclosure(
            acknowledge_days=disclosure.acknowledge_days,
            triage_days=disclosure.triage_days,
            fix_days=disclosure.fix_days,
            embargo_days=disclosure.embargo_days,
            credit=disclosure.credit,
            bug_bounty=disclosure.bug_bounty,
        ),
        support=Support(
            majors=support.majors,
            minors=support.minors,
            end_of_life=support.end_of_life,
            note=support.note,
        ),
        advisories=block.advisories,
        risk_acceptances=block.risk_acceptances,
        version_index=block.version_index,
        security_md=block.security_md,
        insights=Insights(
            repository_url=insights.repository_url,
            status=insights.status,
            administrators=admins,
            core_team=tuple(_person(p) for p in insights.core_team) or admins,
            license_url=insights.license_url,
            license_expression=_text(insights.license_expression),
            accepts_change_request=insights.accepts_change_request,
            accepts_automated_change_request=insights.accepts_automated_change_request,
            self_assessment=_text(insights.self_assessment) or NO_ASSESSMENT,
        ),
    )


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


#: the pages and files the kind publishes
POLICY = "security/policy.md"
REPORTING = "security/reporting.md"
SUPPORTED = "security/supported-versions.md"
SECURITY_TXT = ".well-known/security.txt"
INSIGHTS = "SECURITY-INSIGHTS.yml"


@dataclass
class Outputs:
    """Everything generated from the policy for one set of releases."""

    policy: SecurityPolicy
    built: datetime | None
    security_txt: str | None = None
    insights_yml: str | None = None
    security_md: str = ""
    problems: list[Problem] = field(default_factory=list)
