"""The pipeline: discover → collect → compare → reports, one release at a time.

Releases are streamed in version order; only the previous release's findings are kept for the
collectors' ``compare`` step, so memory does not grow with the history.
"""

from __future__ import annotations

import dataclasses
import logging
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from types import TracebackType

from secdocs import cache as cache_mod
from secdocs.cache import Cache
from secdocs.collectors import Collector, ReleaseContext, load_collectors, load_kinds
from secdocs.config import Config
from secdocs.digests import known_digests
from secdocs.discover import Discovery, discover, parse_version
from secdocs.errors import SecdocsError, UnsafePathError
from secdocs.evidence import Listing, Rejected, scan, scan_tree
from secdocs.git import GitRepo
from secdocs.model import (
    EvidenceFile,
    EvidenceItem,
    Findings,
    Problem,
    Release,
    ReleaseReport,
    Status,
)
from secdocs.progress import Progress
from secdocs.safety import check_relative

log = logging.getLogger("mkdocs.plugins.secdocs")

#: checks across kinds (:meth:`Collector.cross_check`), run on each finished report; they add
#: problems, never remove any
CrossCheck = Callable[[ReleaseReport], Sequence[Problem]]


@dataclass
class Run:
    """One pass over a repository: its releases and the collectors that examine them."""

    config: Config
    repo: GitRepo
    discovery: Discovery
    collectors: list[Collector]
    #: every kind, per-release and site-wide, in page order
    kinds: list[Collector] = field(default_factory=list)
    cross_checks: list[CrossCheck] = field(default_factory=list)
    cache: Cache | None = None
    #: collectors were loaded from the configuration (so worker processes can load them too)
    configured_collectors: bool = True
    progress: Progress = field(default_factory=lambda: Progress(enabled=False))
    #: each release's cache key, filled in as reports are made (empty without a cache)
    keys: dict[str, str] = field(default_factory=dict)
    #: the evidence ref's commit (``evidence: {ref: …}``), ``None`` for a working-tree folder
    evidence_commit: str | None = None

    @property
    def releases(self) -> tuple[Release, ...]:
        return self.discovery.releases

    def reports(self, only: str | None = None) -> Iterator[ReleaseReport]:
        """Reports oldest first; with ``only``, just that tag (still compared with its previous).

        Collection runs ahead in a process pool when ``jobs`` allows (bounded window, results
        consumed in order); comparison with the previous release is always sequential, so the
        output is identical to a serial run.
        """
        by_tag = {r.tag: r for r in self.releases}
        wanted = self.releases
        if only is not None:
            target = by_tag[only]
            wanted = tuple(r for r in (by_tag.get(target.previous or ""), target) if r)
        previous: dict[str, Findings] = {}
        # Keys first (cheap), so the pool starts only when enough releases need collecting.
        plans = list(self._plan(wanted))
        total = len(plans)
        misses = sum(1 for _ctx, _key, hit in plans if not hit)
        with _Pool(self, misses) as pool:
            for done, (ctx, key, hit, pending) in enumerate(pool.run(plans), 1):
                report = self._load(ctx, key) if hit else None
                if report is None:
                    raw = pending() if pending is not None else self._collect(ctx)
                    report = self._compare(ctx, raw, previous)
                    if self.cache is not None:
                        self.cache.store(key, report)
                previous = {f.collector: f for f in report.findings}
                if key:
                    self.keys[ctx.release.tag] = key
                self.progress.step("releases", done, total)
                if only is None or ctx.release.tag == only:
                    yield self._cross_check(report)

    def _plan(self, wanted: Iterable[Release]) -> Iterator[Plan]:
        """Contexts with their cache keys (a chain: each key covers the previous one) and
        whether the cache holds an entry for the key."""
        base = self._cache_base() if self.cache is not None else ""
        previous_key = ""
        for release in wanted:
            ctx = self.context(release)
            key = ""
            hit = False
            if self.cache is not None:
                key = cache_mod.release_key(
                    base, release, ctx.evidence_dir, ctx.files, ctx.rejected, previous_key
                )
                hit = self.cache.has(key)
                if not hit:
                    self.cache.misses += 1
            previous_key = key
            yield ctx, key, hit

    def _load(self, ctx: ReleaseContext, key: str) -> ReleaseReport | None:
        """The cached report (with this run's release, whose neighbours may be new), or None
        when the entry turned out unreadable: the release is then collected here."""
        if self.cache is None:
            return None
        cached = self.cache.load(key, ctx.release.tag)
        return None if cached is None else dataclasses.replace(cached, release=ctx.release)

    def _collect(self, ctx: ReleaseContext) -> list[Findings]:
        return [_safely(collector, ctx) for collector in self.collectors]

    def _compare(
        self, ctx: ReleaseContext, raw: list[Findings], previous: dict[str, Findings]
    ) -> ReleaseReport:
        findings = []
        for collector, result in zip(self.collectors, raw, strict=True):
            try:
                result = collector.compare(previous.get(collector.name), result)
            except Exception as exc:  # fail closed: a crash is a failed check, never a pass
                log.exception(
                    "secdocs: collector %s failed comparing %s", collector.name, ctx.release.tag
                )
                result = _crashed(
                    collector.name, ctx.release, exc, "comparing with the previous release"
                )
            findings.append(result)
        return ReleaseReport(
            ctx.release, ctx.evidence_dir if ctx.has_evidence else None, ctx.files, tuple(findings)
        )

    def _cross_check(self, report: ReleaseReport) -> ReleaseReport:
        extra = [p for check in self.cross_checks for p in check(report)]
        if not extra:
            return report
        return ReleaseReport(
            report.release,
            report.evidence_dir,
            report.files,
            (*report.findings, Findings("consistency", problems=tuple(extra))),
        )

    def _cache_base(self) -> str:
        return "|".join(
            (
                cache_mod.code_digest(),
                cache_mod.collectors_digest(self.collectors),
                self.config.fingerprint(),
                cache_mod.referenced_files_digest(self.config),
            )
        )

    def context(self, release: Release) -> ReleaseContext:
        evidence_dir = self.config.evidence_path(release.tag, release.version)
        root: Path | None = None
        commit: str | None = None
        listing = Listing((), ())
        try:
            check_relative(evidence_dir, "evidence folder")
            if self.config.evidence_ref is not None:
                found = (
                    scan_tree(
                        self.repo, self.evidence_commit, evidence_dir, self.config.max_file_size
                    )
                    if self.evidence_commit is not None
                    else None
                )
                if found is not None:
                    listing, commit = found, self.evidence_commit
                return self._context(release, None, evidence_dir, listing, commit)
            candidate = self.config.repo
            for part in evidence_dir.split("/"):
                candidate = candidate / part
                if candidate.is_symlink():
                    where = candidate.relative_to(self.config.repo)
                    raise UnsafePathError(evidence_dir, f"{where} is a symbolic link")
            if candidate.is_dir():
                root = candidate.resolve()
                listing = scan(root, self.config.max_file_size)
        except SecdocsError as exc:
            log.warning("secdocs: %s", exc)
        return self._context(release, root, evidence_dir, listing, None)

    def _context(
        self,
        release: Release,
        root: Path | None,
        evidence_dir: str,
        listing: Listing,
        commit: str | None,
    ) -> ReleaseContext:
        ctx = ReleaseContext(
            release=release,
            previous=self._by_tag(release.previous),
            config=self.config,
            repo=self.repo,
            evidence_root=root,
            evidence_dir=evidence_dir,
            files=listing.files,
            rejected=listing.rejected,
            evidence_commit=commit,
        )
        return dataclasses.replace(ctx, digests=known_digests(ctx.files, ctx.read))

    def _by_tag(self, tag: str | None) -> Release | None:
        return next((r for r in self.releases if r.tag == tag), None) if tag else None


def open_run(
    config: Config, collectors: list[Collector] | None = None, progress: Progress | None = None
) -> Run:
    """Discover the releases of ``config.repo`` and load the collectors."""
    kinds = load_kinds(config)  # configuration errors before any work
    configured = collectors is None
    if collectors is None:
        collectors = [kind for kind in kinds if kind.per_release]
    site_kinds = [kind for kind in kinds if not kind.per_release]
    everything = sorted([*collectors, *site_kinds], key=lambda k: (k.order, k.name))
    repo = GitRepo(config.repo)
    discovery = discover(repo, config.tags)
    evidence_commit = None
    if config.evidence_ref is not None:
        evidence_commit = repo.resolve(f"{config.evidence_ref}^{{commit}}")
        if evidence_commit is None:
            log.warning(
                "secdocs: the evidence ref %s does not exist (in CI, fetch it: "
                "git fetch origin '+%s:%s')",
                config.evidence_ref,
                config.evidence_ref,
                config.evidence_ref,
            )
    return Run(
        config=config,
        repo=repo,
        discovery=discovery,
        collectors=collectors,
        kinds=everything,
        cross_checks=[
            kind.cross_check
            for kind in everything
            if type(kind).cross_check is not Collector.cross_check
        ],
        cache=Cache(config.cache_dir) if config.cache_dir is not None else None,
        configured_collectors=configured,
        progress=progress or Progress(enabled=False),
        evidence_commit=evidence_commit,
    )


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


def exit_status(
    reports: Sequence[ReleaseReport], strict: bool, strict_from: str | None = None
) -> int:
    """0 when nothing failed; 1 when evidence failed (or, strict, was missing/unverifiable).

    With ``strict_from``, strictness applies to that release and newer ones only (by version),
    so a project can adopt it without backfilling its history; failed evidence always counts.
    """
    for report in reports:
        if failures(report, strict and is_strict_for(report.release, strict_from)):
            return 1
    return 0


def is_strict_for(release: Release, strict_from: str | None) -> bool:
    """Whether ``strict: {from: …}`` covers ``release``."""
    if strict_from is None:
        return True
    start = parse_version(strict_from)
    version = parse_version(release.tag)
    return start is None or version is None or version >= start


def failures(report: ReleaseReport, strict: bool) -> list[str]:
    """One line per item or problem that makes the release fail (strict adds missing,
    unverifiable and error problems)."""
    bad = {Status.FAILED}
    if strict:
        bad |= {Status.MISSING, Status.UNVERIFIABLE}
    lines = [
        f"{report.release.tag}: {item.status} {item.kind} {item.path or ''}: {item.reason}"
        for item in report.items
        if item.status in bad
    ]
    if strict:
        lines += [f"{report.release.tag}: {p}" for p in report.problems if p.severity == "error"]
    return lines


#: below this many releases a process pool costs more than it saves
POOL_THRESHOLD = 16

#: a release's context, cache key, and whether the cache has an entry for it
Plan = tuple[ReleaseContext, str, bool]
Planned = tuple[ReleaseContext, str, bool, Callable[[], list[Findings]] | None]


class _Pool:
    """Runs collection ahead of consumption in worker processes when that pays off."""

    def __init__(self, run: Run, total: int) -> None:
        """``total``: how many releases need collecting."""
        self.owner = run
        jobs = run.config.jobs or (os.cpu_count() or 1)
        use_pool = jobs > 1 and total >= POOL_THRESHOLD and run.configured_collectors
        self.jobs = jobs if use_pool else 1
        self.executor: ProcessPoolExecutor | None = None

    def __enter__(self) -> _Pool:
        if self.jobs > 1:
            self.executor = ProcessPoolExecutor(
                max_workers=self.jobs,
                mp_context=get_context("forkserver"),
                initializer=_worker_init,
                initargs=(self.owner.config,),
            )
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self.executor is not None:
            self.executor.shutdown(wait=True, cancel_futures=True)

    def run(self, planned: Iterable[Plan]) -> Iterator[Planned]:
        executor = self.executor
        if executor is None:
            for ctx, key, hit in planned:
                yield ctx, key, hit, None
            return
        window: deque[tuple[ReleaseContext, str, bool, Future[list[Findings]] | None]] = deque()
        iterator = iter(planned)
        limit = self.jobs * 2

        def fill() -> None:
            while len(window) < limit:
                item = next(iterator, None)
                if item is None:
                    return
                ctx, key, hit = item
                future = None if hit else executor.submit(_worker_collect, _WorkItem.of(ctx))
                window.append((ctx, key, hit, future))

        fill()
        while window:
            ctx, key, hit, future = window.popleft()
            fill()
            yield ctx, key, hit, (future.result if future is not None else None)


@dataclass(frozen=True)
class _WorkItem:
    """What a worker needs to rebuild a release's context (no open repository handles)."""

    release: Release
    previous: Release | None
    evidence_root: Path | None
    evidence_dir: str
    files: tuple[EvidenceFile, ...]
    rejected: tuple[Rejected, ...]
    evidence_commit: str | None
    digests: Mapping[str, str]

    @classmethod
    def of(cls, ctx: ReleaseContext) -> _WorkItem:
        return cls(
            ctx.release,
            ctx.previous,
            ctx.evidence_root,
            ctx.evidence_dir,
            ctx.files,
            ctx.rejected,
            ctx.evidence_commit,
            ctx.digests,
        )


_WORKER: dict[str, object] = {}


def _worker_init(config: Config) -> None:  # pragma: no cover - runs in worker processes
    _WORKER["config"] = config
    _WORKER["repo"] = GitRepo(config.repo)
    _WORKER["collectors"] = load_collectors(config)


def _worker_collect(item: _WorkItem) -> list[Findings]:  # pragma: no cover - in workers
    config, repo, collectors = _WORKER["config"], _WORKER["repo"], _WORKER["collectors"]
    if not (
        isinstance(config, Config) and isinstance(repo, GitRepo) and isinstance(collectors, list)
    ):
        raise RuntimeError("secdocs worker used before its initializer ran")
    ctx = ReleaseContext(
        release=item.release,
        previous=item.previous,
        config=config,
        repo=repo,
        evidence_root=item.evidence_root,
        evidence_dir=item.evidence_dir,
        files=item.files,
        rejected=item.rejected,
        evidence_commit=item.evidence_commit,
        digests=item.digests,
    )
    return [_safely(collector, ctx) for collector in collectors]
