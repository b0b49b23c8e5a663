"""Site pages and files generated from the security policy (the ``security-policy`` kind)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from secdocs.collectors import Collector
from secdocs.config import Config
from secdocs.errors import SecdocsError
from secdocs.model import Page, Problem, Release, ReleaseReport
from secdocs.policy import insights, securitymd, securitytxt, supported
from secdocs.policy.options import SecurityOptions
from secdocs.policy.settings import SEVERITIES, SecurityPolicy, build_date, load
from secdocs.render.html import esc, html_block, link, table
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
    parts = ["# Security policy\n", f"How {esc(policy.project)} handles security issues.\n"]
    body = [
        f"<p>To report a vulnerability, see {link('Reporting a vulnerability', to(REPORTING))}. "
        f"Which releases receive fixes: {link('Supported versions', to(SUPPORTED))}.</p>"
    ]
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
    body.append("<h2>Disclosure timeline</h2>")
    if rows:
        body.append(table(("Step", "Target"), rows))
    else:
        body.append("<p>No disclosure targets are configured.</p>")
    body.append("<h2>Credit</h2>")
    body.append(f"<p>{esc(d.credit) if d.credit else 'No credit policy is configured.'}</p>")
    body.append("<h2>Bug bounty</h2>")
    body.append(
        "<p>"
        + ("A bug bounty is offered." if d.bug_bounty else "There is no bug bounty program.")
        + "</p>"
    )
    body.append("<h2>Machine-readable</h2><ul>")
    if out.security_txt is not None:
        kind = "OpenPGP-signed " if out.security_txt.startswith("-----BEGIN PGP") else ""
        body.append(f"<li>{link('security.txt', to(SECURITY_TXT))} ({kind}RFC 9116)</li>")
    else:
        body.append("<li>security.txt: not published (see the build warnings)</li>")
    if out.insights_yml is not None:
        body.append(f"<li>{link(INSIGHTS, to(INSIGHTS))} (OpenSSF Security Insights v2)</li>")
    body.append("</ul>")
    parts.append(html_block("\n".join(body)))
    return "\n".join(parts)


def reporting_page(out: Outputs, directory_urls: bool) -> str:
    policy = out.policy
    to = _to(REPORTING, directory_urls)
    body = [
        "<p>Please do not report security vulnerabilities through public issues, discussions or "
        "pull requests. Use one of these private channels:</p>",
        "<ul>",
    ]
    for contact in policy.contacts:
        body.append(f"<li>{_contact_html(contact)}</li>")
    if not policy.contacts:
        body.append("<li>No reporting channel is configured yet.</li>")
    body.append("</ul>")
    if policy.encryption:
        body.append(
            f"<p>Encrypt sensitive details with our key: "
            f"{link(policy.encryption, policy.encryption)}</p>"
        )
    if policy.preferred_languages:
        body.append(f"<p>Preferred languages: {esc(', '.join(policy.preferred_languages))}</p>")
    body.append(
        "<h2>What to include</h2><ul><li>the affected version(s) and configuration</li>"
        "<li>steps to reproduce, or a proof of concept</li><li>the impact you expect</li>"
        "<li>how you would like to be credited</li></ul>"
    )
    expect = securitymd.expectations(policy)
    if expect:
        body.append("<h2>What to expect</h2><ul>")
        for line in expect[2:]:
            body.append(f"<li>{esc(line[2:].replace(chr(92), ''))}</li>")
        body.append("</ul>")
    body.append(f"<p>The full {link('security policy', to(POLICY))}.</p>")
    return "# Reporting a vulnerability\n" + html_block("\n".join(body))


def _contact_html(contact: str) -> str:
    if contact.startswith("mailto:"):
        return "Email: " + link(contact[len("mailto:") :], contact)
    if contact.startswith("tel:"):
        return "Phone: " + esc(contact[len("tel:") :])
    if "/security/advisories/new" in contact:
        return "GitHub private vulnerability reporting: " + link(contact, contact)
    return "Web: " + link(contact, contact)


def supported_page(out: Outputs, releases: Sequence[Release], directory_urls: bool) -> str:
    policy = out.policy
    to = _to(SUPPORTED, directory_urls)
    today = out.built.date() if out.built else None
    rows = supported.series(releases, policy.support, today)
    s = policy.support
    intro = (
        f"<p>Supported: the newest {s.minors} minor series of each of the newest {s.majors} "
        "major versions, until their end-of-life date. Computed from the release tags"
        + (f" on {esc(today.isoformat())}" if today else "")
        + ".</p>"
    )
    if s.note:
        intro += f"<p>{esc(s.note)}</p>"
    if not rows:
        return "# Supported versions\n" + html_block(intro + "<p>No stable release yet.</p>")
    cells = [
        (
            esc(row.label),
            '<span class="secdocs-badge secdocs-verified">supported</span>'
            if row.supported
            else '<span class="secdocs-badge secdocs-missing">unsupported</span>',
            link(row.latest.tag, to(release_page_path(row.latest.tag))),
            esc(row.latest.date.strftime("%Y-%m-%d")),
            esc(row.end_of_life.isoformat() if row.end_of_life else "—"),
            esc(row.why),
        )
        for row in rows
    ]
    headers = ("Series", "Status", "Latest release", "Released", "End of life", "Why")
    return "# Supported versions\n" + html_block(intro + table(headers, cells))


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
