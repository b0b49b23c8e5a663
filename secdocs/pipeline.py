"""The pipeline: discover → collect → compare → reports, one release at a time.

Releases are streamed in version order; only the previous release's findings are kept for the
collectors' ``compare`` step, so memory does not grow with the history.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from secdocs.collectors import Collector, ReleaseContext, load_collectors
from secdocs.config import Config
from secdocs.discover import Discovery, discover
from secdocs.errors import SecdocsError, UnsafePathError
from secdocs.evidence import Listing, scan
from secdocs.git import GitRepo
from secdocs.model import EvidenceItem, Findings, Problem, Release, ReleaseReport, Status
from secdocs.safety import check_relative

log = logging.getLogger("mkdocs.plugins.secdocs")

#: checks across collectors, run on each finished report; they add problems, never remove any
CrossCheck = Callable[[ReleaseReport], Sequence[Problem]]


@dataclass
class Run:
    """One pass over a repository: its releases and the collectors that examine them."""

    config: Config
    repo: GitRepo
    discovery: Discovery
    collectors: list[Collector]
    cross_checks: list[CrossCheck] = field(default_factory=list)

    @property
    def releases(self) -> tuple[Release, ...]:
        return self.discovery.releases

    def reports(self, only: str | None = None) -> Iterator[ReleaseReport]:
        """Reports oldest first; with ``only``, just that tag (still compared with its previous)."""
        previous: dict[str, Findings] = {}
        by_tag = {r.tag: r for r in self.releases}
        wanted = self.releases
        if only is not None:
            target = by_tag[only]
            wanted = tuple(r for r in (by_tag.get(target.previous or ""), target) if r)
        for release in wanted:
            report = self.report(release, previous)
            previous = {f.collector: f for f in report.findings}
            if only is None or release.tag == only:
                yield report

    def report(self, release: Release, previous: dict[str, Findings]) -> ReleaseReport:
        ctx = self.context(release)
        findings = []
        for collector in self.collectors:
            result = _safely(collector, ctx)
            try:
                result = collector.compare(previous.get(collector.name), result)
            except Exception as exc:  # fail closed: a crash is a failed check, never a pass
                log.exception("secdocs: collector %s failed comparing %s", collector.name, release.tag)
                result = _crashed(collector.name, release, exc, "comparing with the previous release")
            findings.append(result)
        report = ReleaseReport(release, ctx.evidence_dir if ctx.evidence_root else None,
                               ctx.files, tuple(findings))
        extra = [p for check in self.cross_checks for p in check(report)]
        if extra:
            report = ReleaseReport(
                report.release, report.evidence_dir, report.files,
                (*report.findings, Findings("consistency", problems=tuple(extra))),
            )
        return report

    def context(self, release: Release) -> ReleaseContext:
        evidence_dir = self.config.evidence_path(release.tag, release.version)
        root: Path | None = None
        listing = Listing((), ())
        try:
            check_relative(evidence_dir, "evidence folder")
            candidate = self.config.repo / evidence_dir
            if candidate.is_symlink():
                raise UnsafePathError(evidence_dir, "the evidence folder is a symbolic link")
            if candidate.is_dir():
                root = candidate.resolve()
                listing = scan(root, self.config.max_file_size)
        except SecdocsError as exc:
            log.warning("secdocs: %s", exc)
        return ReleaseContext(
            release=release,
            previous=self._by_tag(release.previous),
            config=self.config,
            repo=self.repo,
            evidence_root=root,
            evidence_dir=evidence_dir,
            files=listing.files,
            rejected=listing.rejected,
        )

    def _by_tag(self, tag: str | None) -> Release | None:
        return next((r for r in self.releases if r.tag == tag), None) if tag else None


def open_run(config: Config, collectors: list[Collector] | None = None) -> Run:
    """Discover the releases of ``config.repo`` and load the collectors."""
    repo = GitRepo(config.repo)
    discovery = discover(repo, config.tags)
    return Run(
        config=config,
        repo=repo,
        discovery=discovery,
        collectors=load_collectors(config) if collectors is None else collectors,
        cross_checks=_cross_checks(),
    )


def _cross_checks() -> list[CrossCheck]:
    checks: list[CrossCheck] = []
    try:
        from secdocs.history.consistency import inconsistencies
    except ImportError:  # pragma: no cover - the history package always ships it
        return checks
    checks.append(inconsistencies)
    return checks


def _safely(collector: Collector, ctx: ReleaseContext) -> Findings:
    try:
        return collector.collect(ctx)
    except Exception as exc:  # fail closed: a crash is a failed check, never a pass
        log.exception("secdocs: collector %s failed on %s", collector.name, ctx.release.tag)
        return _crashed(collector.name, ctx.release, exc, "collecting")


def _crashed(name: str, release: Release, exc: Exception, doing: str) -> Findings:
    return Findings(
        collector=name,
        items=(
            EvidenceItem(
                kind="collector",
                path=None,
                status=Status.FAILED,
                reason=f"collector {name} crashed while {doing}: {type(exc).__name__}: {exc}",
                collector=name,
            ),
        ),
    )


def exit_status(reports: Sequence[ReleaseReport], strict: bool) -> int:
    """0 when nothing failed; 1 when evidence failed (or, strict, was missing/unverifiable)."""
    bad = {Status.FAILED}
    if strict:
        bad |= {Status.MISSING, Status.UNVERIFIABLE}
    for report in reports:
        if any(item.status in bad for item in report.items):
            return 1
        if strict and any(p.severity == "error" for p in report.problems):
            return 1
    return 0
