"""Site pages and files generated from the security policy (the ``security-policy`` kind)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from markupsafe import Markup

from secdocs.collectors import Collector
from secdocs.config import Config
from secdocs.errors import SecdocsError
from secdocs.model import Page, Problem, Release, ReleaseReport
from secdocs.policy import insights, securitymd, securitytxt, supported
from secdocs.policy.options import SecurityOptions
from secdocs.policy.settings import SEVERITIES, SecurityPolicy, build_date, load
from secdocs.render.html import esc, link, tone_badge
from secdocs.render.jinja import render
from secdocs.render.pages import release_page_path
from secdocs.render.urls import relative_url

if TYPE_CHECKING:
    from secdocs.site import SiteContent

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


def outputs(
    policy: SecurityPolicy, releases: Sequence[Release], now: datetime | None = None
) -> Outputs:
    built = build_date([r.date for r in releases])
    result = Outputs(policy, built, security_md=securitymd.render(policy, releases, built))
    if not policy.contacts:
        result.problems.append(
            Problem("security.txt not published: security.contacts is empty", "security")
        )
    else:
        # security.txt counts from the build, not from a release: it must not expire unseen
        made = securitytxt.build_time()
        text = securitytxt.generate(policy, made)
        if policy.signing_key:
            try:
                text = securitytxt.sign(text, policy.signing_key, made, policy.gnupg_home)
            except SecdocsError as exc:
                result.problems.append(Problem(f"{exc}; published unsigned", SECURITY_TXT))
        result.security_txt = text
        stale = securitytxt.freshness(text, now or datetime.now(UTC))
        if stale is not None:
            result.problems.append(Problem(stale[1], SECURITY_TXT, severity=stale[0]))
        elsewhere = securitytxt.origin_warning(policy.site_url)
        if elsewhere is not None:
            result.problems.append(Problem(elsewhere, SECURITY_TXT, severity="warning"))
    if built is None:
        result.problems.append(
            Problem(
                "SECURITY-INSIGHTS.yml needs a date: set SOURCE_DATE_EPOCH or tag a release",
                "security",
                severity="warning",
            )
        )
        return result
    needs = insights.missing(policy)
    if needs:
        result.problems.append(
            Problem(
                f"{INSIGHTS} not published: set {', '.join(needs)}", "security", severity="warning"
            )
        )
    else:
        result.insights_yml = insights.dumps(insights.document(policy, built))
    return result


def contribute(
    config: Config, reports: Sequence[ReleaseReport], site: SiteContent, directory_urls: bool
) -> None:
    policy = load(config)
    if policy is None:
        return
    releases = [r.release for r in reports]
    out = outputs(policy, releases)
    site.problems.extend(out.problems)
    if out.security_txt is not None:
        site.files[SECURITY_TXT] = out.security_txt.encode()
    if out.insights_yml is not None:
        site.files[INSIGHTS] = out.insights_yml.encode()
    site.add_page(Page(POLICY, "Security policy", policy_page(out, directory_urls), nav=True))
    site.add_page(
        Page(REPORTING, "Reporting a vulnerability", reporting_page(out, directory_urls), nav=True)
    )
    site.add_page(
        Page(
            SUPPORTED, "Supported versions", supported_page(out, releases, directory_urls), nav=True
        )
    )


def _to(here: str, directory_urls: bool) -> Callable[[str], str]:
    def to(target: str) -> str:
        return relative_url(here, target, directory_urls)

    return to


def policy_page(out: Outputs, directory_urls: bool) -> str:
    policy = out.policy
    to = _to(POLICY, directory_urls)
    d = policy.disclosure
    rows = []
    if d.acknowledge_days is not None:
        rows.append((esc("Acknowledge the report"), esc(f"{d.acknowledge_days} days")))
    if d.triage_days is not None:
        rows.append((esc("Triage and first assessment"), esc(f"{d.triage_days} days")))
    for severity in SEVERITIES:
        if severity in d.fix_days:
            rows.append((esc(f"Fix a {severity} issue"), esc(f"{d.fix_days[severity]} days")))
    if d.embargo_days is not None:
        rows.append((esc("Embargo (coordinated disclosure)"), esc(f"up to {d.embargo_days} days")))
    body = render(
        "policy/policy.html",
        d=d,
        rows=rows,
        reporting=link("Reporting a vulnerability", to(REPORTING)),
        supported=link("Supported versions", to(SUPPORTED)),
        security_txt=(
            link("security.txt", to(SECURITY_TXT)) if out.security_txt is not None else None
        ),
        signed=bool(out.security_txt and out.security_txt.startswith("-----BEGIN PGP")),
        insights=link(INSIGHTS, to(INSIGHTS)) if out.insights_yml is not None else None,
    )
    return render("policy/policy.md", project=policy.project, body=body)


def reporting_page(out: Outputs, directory_urls: bool) -> str:
    policy = out.policy
    to = _to(REPORTING, directory_urls)
    expect = securitymd.expectations(policy)
    body = render(
        "policy/reporting.html",
        contacts=[_contact(contact) for contact in policy.contacts],
        encryption=link(policy.encryption, policy.encryption) if policy.encryption else None,
        languages=", ".join(policy.preferred_languages),
        expect=[line[2:].replace(chr(92), "") for line in expect[2:]] if expect else [],
        policy=link("security policy", to(POLICY)),
    )
    return render("policy/reporting.md", body=body)


def _contact(contact: str) -> tuple[str, Markup]:
    if contact.startswith("mailto:"):
        return "Email", link(contact[len("mailto:") :], contact)
    if contact.startswith("tel:"):
        return "Phone", esc(contact[len("tel:") :])
    if "/security/advisories/new" in contact:
        return "GitHub private vulnerability reporting", link(contact, contact)
    return "Web", link(contact, contact)


def supported_page(out: Outputs, releases: Sequence[Release], directory_urls: bool) -> str:
    policy = out.policy
    to = _to(SUPPORTED, directory_urls)
    today = out.built.date() if out.built else None
    rows = supported.series(releases, policy.support, today)
    cells = [
        (
            esc(row.label),
            tone_badge("verified", "supported")
            if row.supported
            else tone_badge("missing", "unsupported"),
            link(row.latest.tag, to(release_page_path(row.latest.tag))),
            esc(row.latest.date.strftime("%Y-%m-%d")),
            esc(row.end_of_life.isoformat() if row.end_of_life else "—"),
            esc(row.why),
        )
        for row in rows
    ]
    body = render(
        "policy/supported.html",
        s=policy.support,
        today=today.isoformat() if today else None,
        rows=cells,
    )
    return render("policy/supported.md", body=body)


class PolicyPages(Collector):
    """The security policy pages, SECURITY.md preview, security.txt and Security Insights."""

    name = "security-policy"
    order = 200
    options_class = SecurityOptions
    per_release = False

    def contribute(
        self, reports: Sequence[ReleaseReport], site: SiteContent, directory_urls: bool
    ) -> None:
        contribute(self.config, reports, site, directory_urls)
