"""The Advisories page, cross-linked both ways with the affected and fixing releases."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from secdocs.collectors import Collector
from secdocs.config import Config
from secdocs.kinds.advisories.model import ADVISORIES, load_folder
from secdocs.kinds.advisories.render import page, release_section
from secdocs.kinds.security_policy.model import build_date, load
from secdocs.model import Page, ReleaseReport
from secdocs.render.pages import release_page_path

if TYPE_CHECKING:
    from secdocs.site import SiteContent


def contribute(
    config: Config, reports: Sequence[ReleaseReport], site: SiteContent, directory_urls: bool
) -> None:
    policy = load(config)
    if policy is None or policy.advisories is None:
        return
    advisories, problems = load_folder(config.repo, policy.advisories)
    site.problems.extend(problems)
    releases = [r.release for r in reports]
    built = build_date([r.date for r in releases])
    today = built.date() if built else None
    site.add_page(
        Page(ADVISORIES, "Advisories", page(advisories, releases, today, directory_urls), nav=True)
    )
    for release in releases:
        path = release_page_path(release.tag)
        if path in site.pages:
            section = release_section(advisories, release, path, directory_urls)
            if section:
                # a page's Markdown is plain text (it may come back from disk as str): adding
                # Markup to it would escape the page, so the section joins as text
                site.pages[path] += str(section)


class AdvisoryPages(Collector):
    """The advisories pages (from ``security.advisories``)."""

    name = "advisories"
    order = 210
    per_release = False

    def contribute(
        self, reports: Sequence[ReleaseReport], site: SiteContent, directory_urls: bool
    ) -> None:
        contribute(self.config, reports, site, directory_urls)
