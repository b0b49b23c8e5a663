"""What the metrics page shows, gathered once by the kind: the releases' reports, the advisories,
and the risk register and version index the policy names, read into the typed records of
:mod:`~secdocs.kinds.metrics.compute` (no I/O here)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from secdocs.kinds.advisories.model import Advisory
from secdocs.kinds.metrics.compute import Acceptance, Freshness
from secdocs.model import Problem, ReleaseReport

#: the metrics page and the folder of its charts
METRICS = "metrics.md"
CHART_DIR = "metrics"
#: the risk register read when the policy names none
DEFAULT_RISK_FILE = "risk-acceptances.yaml"


@dataclass(frozen=True, slots=True)
class RiskRegister:
    """The risk register: its path, and its acceptances (``None``: there is no such file)."""

    path: str
    items: tuple[Acceptance, ...] | None


@dataclass(frozen=True, slots=True)
class VersionIndex:
    """The version index the policy names (``path`` ``None``: none), and its components
    (``None``: there is no such file)."""

    path: str | None
    items: tuple[Freshness, ...] | None


@dataclass(frozen=True)
class MetricsData:
    """Everything the metrics page is drawn from."""

    #: oldest first
    reports: tuple[ReleaseReport, ...]
    today: date | None
    advisories: tuple[Advisory, ...]
    risks: RiskRegister
    versions: VersionIndex
    #: problems of the risk register and the version index, in the order they were read
    problems: tuple[Problem, ...] = ()
