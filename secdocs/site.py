"""Turn a run's reports into the files of the site: pages, JSON, evidence copies, assets.

The result is a plain description (:class:`SiteContent`) that the MkDocs plugin adds to the build
and that tests can inspect without MkDocs.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Iterable, MutableMapping, Sequence
from dataclasses import dataclass, field
from importlib.resources import files as package_files
from pathlib import Path

from secdocs.collectors import Collector, PageContext
from secdocs.config import Config
from secdocs.discover import latest
from secdocs.model import Page, Problem, Release, ReleaseReport, Section
from secdocs.pagecache import EncodedRelease, document_text
from secdocs.pipeline import Run, open_run
from secdocs.progress import Progress
from secdocs.render import json as evidence_json
from secdocs.render.pages import (
    CHECK_FILE_PAGE,
    ReleasePageInput,
    check_file_page,
    has_verified_download,
    published_name,
    release_dir,
    release_page,
    release_page_path,
    releases_index,
)
from secdocs.render.urls import relative_url
from secdocs.spill import SpillFolder

ASSET_DIR = "assets/secdocs"


@dataclass
class SiteContent:
    """Generated site files, all paths relative to the docs root / site root."""

    #: Markdown pages (on disk while a build runs, see :mod:`secdocs.spill`)
    pages: MutableMapping[str, str] = field(default_factory=dict)
    #: titles of pages that belong in the navigation, in order
    nav: list[tuple[str, str]] = field(default_factory=list)
    #: other files written verbatim
    files: MutableMapping[str, bytes] = field(default_factory=dict)
    #: files copied from disk (evidence), destination → absolute source
    copies: dict[str, Path] = field(default_factory=dict)
    reports: list[ReleaseReport] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    #: release pages whose finished HTML comes from the page cache (not in ``pages``)
    reused: list[str] = field(default_factory=list)

    def add_page(self, page: Page) -> None:
        self.pages[page.path] = page.body
        if page.nav:
            self.nav.append((page.title, page.path))


#: the page cache's view of a release: its page key, and when cached its page paths and its
#: encoded ``evidence.json`` entry
Reuse = Callable[[Release, str | None], tuple[str, list[str] | None, EncodedRelease | None]]
#: told the page key, the page paths and the encoded entry of each release rendered now
Rendered = Callable[[str, Sequence[str], EncodedRelease], None]


def build_site(
    config: Config,
    project: str,
    directory_urls: bool = True,
    progress: Progress | None = None,
    pages: tuple[Reuse, Rendered] | None = None,
    spill: SpillFolder | None = None,
) -> SiteContent:
    progress = progress or Progress()
    run = open_run(config, progress=progress)
    progress.phase(f"{len(run.releases)} releases match {config.tags!r}")
    try:
        site = render_run(run, project, directory_urls, pages, spill)
    finally:
        run.repo.close()
    if run.cache is not None:
        progress.phase(f"cache: {run.cache.hits} reused, {run.cache.misses} rebuilt")
    if pages is not None:
        progress.phase(f"pages: {len(site.reused)} from the cache")
    progress.phase(f"{len(site.pages)} pages and {len(site.copies)} evidence files generated")
    return site


def render_run(
    run: Run,
    project: str,
    directory_urls: bool = True,
    pages: tuple[Reuse, Rendered] | None = None,
    spill: SpillFolder | None = None,
) -> SiteContent:
    site = SiteContent(problems=list(run.discovery.problems))
    if spill is not None:
        site.pages, site.files = spill.pages(), spill.files()
    newest = latest(run.releases)
    release_docs: list[EncodedRelease] = []
    slim: list[ReleaseReport] = []
    # Collectors with cross-release pages keep their private payload for them; the others' is
    # dropped as soon as the release page is written, so memory stays flat over long histories.
    keep = {c.name for c in run.collectors if type(c).site_pages is not Collector.site_pages}
    verified: Release | None = None  # the newest release so far whose downloads can be verified
    for report in run.reports():
        release_docs.append(_render_release(run, site, report, project, directory_urls, pages))
        if has_verified_download(report):
            verified = report.release
        if newest is not None and report.release.tag == newest.tag:
            _render_latest(run, site, report, project, directory_urls, verified)
        # Keep what cross-release pages need; drop the collectors' heavy private payloads.
        slim.append(_slim(report, keep))
    slim.reverse()  # newest first from here on
    site.reports = slim

    site.add_page(
        Page(
            "releases/index.md",
            "Releases",
            releases_index(slim, newest, directory_urls, project, _columns(run)),
            nav=True,
        )
    )
    site.add_page(
        Page(CHECK_FILE_PAGE, "Check a file", check_file_page(slim, directory_urls), nav=True)
    )
    for kind in run.kinds or run.collectors:
        kind.contribute(slim, site, directory_urls)

    index = document_text(
        list(reversed(release_docs)),
        project,
        run.discovery.problems,
        newest.tag if newest else None,
    )
    site.files["evidence.json"] = index.encode()
    site.files["versions.json"] = _versions(slim, newest).encode()
    for asset in sorted(_assets(), key=lambda a: a[0]):
        site.files[f"{ASSET_DIR}/{asset[0]}"] = asset[1]
    return site


def _render_release(
    run: Run,
    site: SiteContent,
    report: ReleaseReport,
    project: str,
    directory_urls: bool,
    pages: tuple[Reuse, Rendered] | None = None,
) -> EncodedRelease:
    tag = report.release.tag
    base = release_dir(tag)
    page_path = release_page_path(tag)
    files_url = relative_url(page_path, f"{base}files/", directory_urls)
    key, cached, encoded = (
        pages[0](report.release, run.keys.get(tag)) if pages else ("", None, None)
    )
    written: list[str] = []
    if cached is not None:
        site.reused.extend(cached)
    else:
        written = _release_pages(run, site, report, page_path, files_url, project, directory_urls)
    if report.evidence_dir is not None and run.config.evidence_ref is not None:
        # evidence on a git ref: the bytes come from the ref through the bulk reader
        commit = run.evidence_commit or ""
        for file in report.files:
            data = run.repo.read(
                commit, f"{report.evidence_dir}/{file.name}", run.config.max_file_size
            )
            if data is not None:
                site.files[f"{base}files/{published_name(file.name)}"] = data
    elif report.evidence_dir is not None:
        root = run.config.repo / report.evidence_dir
        for file in report.files:
            site.copies[f"{base}files/{published_name(file.name)}"] = (root / file.name).resolve()
    if encoded is None:
        encoded = EncodedRelease.of(evidence_json.release_json(report, files_url))
    if pages is not None and cached is None:
        pages[1](key, written, encoded)
    site.files[f"{base}evidence.json"] = document_text([encoded], project).encode()
    return encoded


def _release_pages(
    run: Run,
    site: SiteContent,
    report: ReleaseReport,
    page_path: str,
    files_url: str,
    project: str,
    directory_urls: bool,
) -> list[str]:
    """The Markdown of a release's pages; their paths, release page first."""
    base = release_dir(report.release.tag)
    ctx = _page_context(report, page_path, files_url, directory_urls)
    sections: list[Section] = []
    written = [page_path]
    for collector in run.collectors:
        findings = report.findings_of(collector.name)
        if findings is None:
            continue
        sections.extend(collector.render(findings, ctx))
        for extra in collector.extra_pages(findings, ctx, base):
            site.add_page(dataclasses.replace(extra, nav=False))
            written.append(extra.path)
    site.pages[page_path] = release_page(
        ReleasePageInput(report, sections, page_path, files_url, directory_urls, project)
    )
    return written


def _render_latest(
    run: Run,
    site: SiteContent,
    report: ReleaseReport,
    project: str,
    directory_urls: bool,
    verified: Release | None = None,
) -> None:
    page_path = "releases/latest/index.md"
    files_url = relative_url(page_path, f"{release_dir(report.release.tag)}files/", directory_urls)
    ctx = _page_context(report, page_path, files_url, directory_urls)
    sections: list[Section] = []
    for collector in run.collectors:
        findings = report.findings_of(collector.name)
        if findings is not None:
            sections.extend(collector.render(findings, ctx))
    site.pages[page_path] = release_page(
        ReleasePageInput(
            report,
            sections,
            page_path,
            files_url,
            directory_urls,
            project,
            alias_of=report.release.tag,
            verified_release=verified,
        )
    )


def _page_context(
    report: ReleaseReport, page_path: str, files_url: str, directory_urls: bool
) -> PageContext:
    return PageContext(
        release=report.release,
        files_url=files_url,
        published_names={f.name: published_name(f.name) for f in report.files},
        page_path=page_path,
        directory_urls=directory_urls,
    )


def _slim(report: ReleaseReport, keep: set[str]) -> ReleaseReport:
    findings = tuple(
        f if f.collector in keep else dataclasses.replace(f, detail=None) for f in report.findings
    )
    return dataclasses.replace(report, findings=findings)


def _columns(run: Run) -> list[tuple[str, str]]:
    """The releases index's coverage columns, as the kinds declare them."""
    declared = [k.coverage for k in run.kinds or run.collectors if k.coverage is not None]
    return [(c.role, c.label) for c in sorted(declared, key=lambda c: (c.position, c.label))]


def _versions(reports: list[ReleaseReport], newest: object) -> str:
    """``versions.json`` in mike's format, newest first, ``latest`` as an alias."""
    latest_tag = getattr(newest, "tag", None)
    entries = [
        {
            "version": r.release.tag,
            "title": r.release.tag + (" (pre-release)" if r.release.prerelease else ""),
            "aliases": ["latest"] if r.release.tag == latest_tag else [],
        }
        for r in reports
    ]
    return json.dumps(entries, indent=2) + "\n"


def _assets() -> Iterable[tuple[str, bytes]]:
    folder = package_files("secdocs").joinpath("assets")
    for entry in folder.iterdir():
        if entry.is_file() and not entry.name.startswith("."):
            yield entry.name, entry.read_bytes()
