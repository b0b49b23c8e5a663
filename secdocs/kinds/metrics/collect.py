"""The ``metrics`` kind: it reads what the dashboard and the practice coverage page need besides
the reports, and adds both pages and the charts to the site."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from secdocs.collectors import Collector, FileNames
from secdocs.config import Config
from secdocs.errors import SecdocsError
from secdocs.git import GitRepo
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
from secdocs.kinds.metrics.practices import Cell, PracticesData, is_sarif
from secdocs.kinds.metrics.render import Dashboard, practices_page
from secdocs.kinds.security_policy.model import SecurityPolicy, build_date, load
from secdocs.model import EvidenceFile, Kind, Page, Problem, ReleaseReport, Status
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
            practices_page(gather_practices(config, reports), directory_urls),
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


MAX_SARIF_SIZE = 32 * 1024 * 1024
SECURITY_MD_PATHS = ("SECURITY.md", ".github/SECURITY.md", "docs/SECURITY.md")


def disclosure_cells(config: Config, reports: Sequence[ReleaseReport]) -> dict[str, Cell]:
    """Whether each release's tree carries a SECURITY.md (one object lookup per path)."""
    cells: dict[str, Cell] = {}
    try:
        repo = GitRepo(config.repo)
    except SecdocsError:
        return cells
    with repo:
        for report in reports:
            found = None
            for path in SECURITY_MD_PATHS:
                try:
                    if repo.read(report.release.commit, path, config.max_file_size) is not None:
                        found = path
                        break
                except SecdocsError:
                    continue
            cells[report.release.tag] = (
                Cell(Status.PRESENT, (), (found,)) if found else Cell(None, ())
            )
    return cells


def sarif_summary(config: Config, report: ReleaseReport, file: EvidenceFile) -> str:
    """``tool: N results`` per run of a SARIF log, or why it could not be read."""
    if report.evidence_dir is None:
        return ""
    display = f"{report.evidence_dir}/{file.name}"
    try:
        path = confined(config.repo / report.evidence_dir, file.name)
        data = read_limited(path, min(config.max_file_size, MAX_SARIF_SIZE), display)
        log = load_json(data, display)
    except SecdocsError as exc:
        return f"unreadable SARIF: {exc}"
    runs = log.get("runs") if isinstance(log, dict) else None
    if not isinstance(runs, list):
        return "not a SARIF log (no runs)"
    parts = []
    for run in runs[:20]:
        tool = run.get("tool", {}) if isinstance(run, dict) else {}
        driver = tool.get("driver", {}) if isinstance(tool, dict) else {}
        name = driver.get("name") if isinstance(driver, dict) else None
        results = run.get("results") if isinstance(run, dict) else None
        count = len(results) if isinstance(results, list) else 0
        parts.append(f"{name if isinstance(name, str) else 'unnamed tool'}: {count} result(s)")
    return "; ".join(parts) or "no runs"


def gather_practices(config: Config, reports: Sequence[ReleaseReport]) -> PracticesData:
    """Read what the practice coverage page needs besides the reports (``reports`` newest
    first): SECURITY.md in each release's tree, and a summary of each SARIF log."""
    sarif = {
        (report.release.tag, file.name): sarif_summary(config, report, file)
        for report in reports
        for file in report.files
        if is_sarif(file)
    }
    return PracticesData(tuple(reports), disclosure_cells(config, reports), sarif)


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
