"""Site pages and files generated from the security policy (the ``security-policy`` kind)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from secdocs.collectors import Collector
from secdocs.config import Config
from secdocs.errors import SecdocsError
from secdocs.kinds.security_policy import insights, securitymd, securitytxt
from secdocs.kinds.security_policy.model import (
    INSIGHTS,
    POLICY,
    REPORTING,
    SECURITY_TXT,
    SUPPORTED,
    Outputs,
    SecurityPolicy,
    build_date,
    load,
)
from secdocs.kinds.security_policy.options import SecurityOptions
from secdocs.kinds.security_policy.render import (
    policy_page,
    reporting_page,
    supported_page,
)
from secdocs.model import Page, Problem, Release, ReleaseReport

if TYPE_CHECKING:
    from secdocs.site import SiteContent


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
