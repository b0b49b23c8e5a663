"""The metrics dashboard page (``metrics.md``) with its SVG charts, and the practices page."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from secdocs.collectors import Collector, FileNames
from secdocs.config import Config
from secdocs.errors import SecdocsError
from secdocs.kinds.advisories.model import Advisory, load_folder
from secdocs.kinds.metrics import practices
from secdocs.kinds.metrics.compute import acceptances, freshness
from secdocs.kinds.metrics.model import (
    DEFAULT_RISK_FILE,
    METRICS,
    MetricsData,
    RiskRegister,
    VersionIndex,
)
from secdocs.kinds.metrics.render import Dashboard
from secdocs.kinds.security_policy.model import SecurityPolicy, build_date, load
from secdocs.model import Kind, Page, Problem, ReleaseReport
from secdocs.safety import confined, load_json, read_limited, safe_yaml_load

if TYPE_CHECKING:
    from secdocs.site import SiteContent


def contribute(
    config: Config, reports: Sequence[ReleaseReport], site: SiteContent, directory_urls: bool
) -> None:
    policy = load(config)
    oldest_first = list(reversed(reports))
    built = build_date([r.release.date for r in reports])
    today = built.date() if built else None
    data = gather(config, policy, oldest_first, today)
    dashboard = Dashboard(data, directory_urls)
    site.add_page(Page(METRICS, "Metrics", dashboard.page(), nav=True))
    site.files.update(dashboard.charts)
    site.problems.extend(data.problems)
    site.add_page(
        Page(
            practices.PRACTICES,
            "Practice coverage",
            practices.page(config, reports, directory_urls),
            nav=True,
        )
    )


#: largest risk register or version index read
MAX_REGISTER_SIZE = 4 * 1024 * 1024


def read_register(
    repo: Path, path: str, parse: Any = safe_yaml_load
) -> tuple[Any | None, list[Problem]]:
    """A YAML/JSON file of the working tree, bounded in size; ``None`` when absent."""
    try:
        target = confined(repo, path)
        if not target.exists():
            return None, []
        data = read_limited(target, MAX_REGISTER_SIZE, path)
        if path.endswith(".json"):
            return load_json(data, path), []
        return parse(data), []
    except SecdocsError as exc:
        return None, [Problem(str(exc), path)]
    except yaml.YAMLError as exc:
        return None, [Problem(f"invalid YAML: {exc}", path)]


def gather(
    config: Config,
    policy: SecurityPolicy | None,
    reports: Sequence[ReleaseReport],
    today: date | None,
) -> MetricsData:
    """Read what the metrics page needs besides the reports (``reports`` oldest first): the
    advisories, the risk register and the version index the policy names."""
    problems: list[Problem] = []
    advisories: list[Advisory] = []
    if policy is not None and policy.advisories is not None:
        # the advisories page reports the folder's problems
        advisories, _problems = load_folder(config.repo, policy.advisories)
    risk_path = (policy.risk_acceptances if policy else None) or DEFAULT_RISK_FILE
    raw, found = read_register(config.repo, risk_path)
    problems += found
    risks = None
    if raw is not None:
        items, found = acceptances(raw, risk_path)
        problems += found
        risks = tuple(items)
    version_path = policy.version_index if policy else None
    versions = None
    if version_path:
        raw, found = read_register(config.repo, version_path)
        problems += found
        if raw is not None:
            listed, found = freshness(raw, version_path)
            problems += found
            versions = tuple(listed)
    return MetricsData(
        tuple(reports),
        today,
        tuple(advisories),
        RiskRegister(risk_path, risks),
        VersionIndex(version_path, versions),
        tuple(problems),
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
