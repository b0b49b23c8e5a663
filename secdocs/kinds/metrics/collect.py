"""The metrics dashboard page (``metrics.md``) with its SVG charts, and the practices page."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from secdocs.collectors import Collector, FileNames
from secdocs.config import Config
from secdocs.kinds.metrics import practices
from secdocs.kinds.metrics.dashboard import (  # split
    METRICS,
    Dashboard,
)
from secdocs.kinds.security_policy.model import build_date, load
from secdocs.model import Kind, Page, ReleaseReport

if TYPE_CHECKING:
    from secdocs.site import SiteContent


def contribute(
    config: Config, reports: Sequence[ReleaseReport], site: SiteContent, directory_urls: bool
) -> None:
    policy = load(config)
    oldest_first = list(reversed(reports))
    built = build_date([r.release.date for r in reports])
    today = built.date() if built else None
    dashboard = Dashboard(config, policy, oldest_first, today, directory_urls)
    site.add_page(Page(METRICS, "Metrics", dashboard.page(), nav=True))
    site.files.update(dashboard.charts)
    site.problems.extend(dashboard.problems)
    site.add_page(
        Page(
            practices.PRACTICES,
            "Practice coverage",
            practices.page(config, reports, directory_urls),
            nav=True,
        )
    )


class MetricsPages(Collector):
    """The metrics pages: coverage over time, time to fix, practices."""

    name = "metrics"
    order = 220
    #: tool reports (SARIF, JUnit) count in the practices matrix
    roles = (Kind.REPORT,)
    #: SARIF and JUnit reports of security activities, counted by the practice coverage matrix
    claims = (FileNames(Kind.REPORT, suffixes=(".sarif", ".sarif.json", ".junit.xml")),)
    per_release = False

    def contribute(
        self, reports: Sequence[ReleaseReport], site: SiteContent, directory_urls: bool
    ) -> None:
        contribute(self.config, reports, site, directory_urls)
