"""The security policy's pages (policy, reporting, supported versions), drawn from the model
only."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from markupsafe import Markup

from secdocs.kinds.security_policy import securitymd, supported
from secdocs.kinds.security_policy.model import (
    INSIGHTS,
    POLICY,
    REPORTING,
    SECURITY_TXT,
    SEVERITIES,
    SUPPORTED,
    Outputs,
)
from secdocs.model import Release
from secdocs.render.html import esc, link, tone_badge
from secdocs.render.jinja import render
from secdocs.render.pages import release_page_path
from secdocs.render.urls import relative_url

if TYPE_CHECKING:
    pass


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
