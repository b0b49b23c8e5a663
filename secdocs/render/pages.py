"""Release pages and the releases index, as Markdown with HTML blocks for the tables."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from markupsafe import Markup

from secdocs.model import (
    Assurance,
    EvidenceFile,
    Kind,
    Release,
    ReleaseReport,
    Section,
    Status,
    worst,
)
from secdocs.render import facts
from secdocs.render.html import badge, code, esc, link, markdown_to_html, ui
from secdocs.render.jinja import render
from secdocs.render.urls import md_link, relative_url

#: extensions a browser could render as a document or run as script: published with ``.txt``
SCRIPTABLE = (
    ".html",
    ".htm",
    ".xhtml",
    ".xht",
    ".shtml",
    ".svg",
    ".svgz",
    ".xml",
    ".xsl",
    ".xslt",
    ".md",
    ".markdown",
    ".js",
    ".mjs",
    ".css",
    ".php",
    ".swf",
    ".rdf",
    ".mht",
    ".mhtml",
)


def published_name(name: str) -> str:
    """The name an evidence file is published under: unchanged unless a browser could run it."""
    lowered = name.lower()
    return f"{name}.txt" if lowered.endswith(SCRIPTABLE) else name


def release_dir(tag: str) -> str:
    return f"releases/{tag}/"


def release_page_path(tag: str) -> str:
    return f"releases/{tag}/index.md"


def human_size(size: int) -> str:
    value = float(size)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if value < 1024 or unit == "GiB":
            return f"{size} B" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} B"  # pragma: no cover


def coverage(report: ReleaseReport, kind: str) -> Status | None:
    """The worst status among a release's items of ``kind``; ``present`` for an unchecked file."""
    statuses = {item.status for item in report.items if item.kind == kind}
    if statuses:
        return worst(statuses)
    if any(f.role == kind for f in report.files):
        return Status.PRESENT
    return None


def coverage_assurance(report: ReleaseReport, kind: str) -> Assurance | None:
    """What the verified items of ``kind`` established, when they all say the same."""
    found = {i.assurance for i in report.items if i.kind == kind and i.status is Status.VERIFIED}
    return found.pop() if len(found) == 1 else None


def file_status(report: ReleaseReport, file: EvidenceFile) -> Status:
    statuses = {item.status for item in report.items if item.path == file.name}
    return worst(statuses) or Status.PRESENT


def has_verified_download(report: ReleaseReport) -> bool:
    """Whether a reader can verify a download of this release: a signature, attestation or
    checksum of one of its files was verified."""
    return any(
        item.status is Status.VERIFIED
        and item.assurance in (Assurance.AUTHENTICITY, Assurance.INTEGRITY)
        for item in report.items
    )


def file_assurance(report: ReleaseReport, file: EvidenceFile) -> Assurance | None:
    """What the verified checks of a file established, when they all say the same."""
    found = {
        i.assurance for i in report.items if i.path == file.name and i.status is Status.VERIFIED
    }
    return found.pop() if len(found) == 1 else None


@dataclass(frozen=True)
class ReleasePageInput:
    report: ReleaseReport
    sections: Sequence[Section]
    page_path: str
    files_url: str
    directory_urls: bool
    project: str
    alias_of: str | None = None
    #: the newest release with verified evidence, shown when this (latest) one has none
    verified_release: Release | None = None


def release_page(page: ReleasePageInput) -> str:
    report = page.report
    release = report.release
    here = page.page_path

    def to(target: str) -> str:
        return relative_url(here, target, page.directory_urls)

    problems = [
        (
            esc(p.severity),
            code(p.path or ""),
            esc(p.line if p.line is not None else ""),
            esc(p.message),
        )
        for p in report.problems
    ]
    file_rows = []
    for file in report.files:
        url = f"{page.files_url}{published_name(file.name)}"
        renamed = published_name(file.name) != file.name
        name = link(file.name, url)
        if renamed:
            name = render("release/renamed.html", name=name)
        file_rows.append(
            (
                render(
                    "release/file-cell.html",
                    name=name,
                    role=file.role,
                    size=human_size(file.size),
                    written_by_secdocs=file.secdocs_written,
                ),
                ui("short_digest", file.sha256),
                badge(file_status(report, file), file_assurance(report, file)),
            )
        )
    checks = [
        (
            badge(item.status, item.assurance),
            render(
                "release/check-cell.html",
                part="check",
                kind=item.kind,
                subject=code(item.path) if item.path else None,
            ),
            render(
                "release/check-cell.html",
                part="result",
                reason=item.reason,
                signer=item.signer.identity if item.signer else None,
                issuer=item.signer.issuer if item.signer else None,
            ),
        )
        for item in report.items
    ]
    here_dir = relative_url(here, CHECK_FILE_PAGE, page.directory_urls)
    downloads = [
        (name, render("release/tabs.html", set=number, tabs=tabs))
        for number, (name, tabs) in enumerate(facts.commands(report), 1)
    ]
    sections = sorted(page.sections, key=lambda s: (s.order, s.id))
    return render(
        "release/page.md",
        release=release,
        project=page.project,
        alias_of=page.alias_of,
        permanent_link=_markdown_target(md_link(here, release_page_path(release.tag))),
        verdict=_verdict(report, page.project),
        summary=_summary(report, to),
        problems=problems,
        problem_list=render(
            "release/problems.html",
            rows=problems,
            errors=sum(1 for p in report.problems if p.severity == "error"),
        ),
        downloads=downloads,
        verify_intro=render("release/verify-intro.html", check_file=here_dir),
        elsewhere=_verified_elsewhere(page, to),
        no_commands=render("release/no-commands.html", check_file=here_dir),
        files=render(
            "release/files.html",
            has_folder=report.evidence_dir is not None,
            missing=badge(Status.MISSING),
            rows=file_rows,
        ),
        checks=render("release/checks.html", rows=checks),
        evidence=[s for s in sections if s.order < HISTORY_ORDER],
        history=[s for s in sections if s.order >= HISTORY_ORDER],
    )


#: sections ordered from here on are the release's history (threat model, changelog, config)
HISTORY_ORDER = 60

#: the page where a reader checks a downloaded file in the browser
CHECK_FILE_PAGE = "check-file.md"

#: the verdict's admonition type and headline per status (the status word always in it)
_HEADLINES = {
    Status.VERIFIED: ("success", "Verified"),
    Status.PRESENT: ("info", "Present: evidence that nothing checked"),
    Status.MISSING: ("warning", "Missing: evidence this release should have"),
    Status.UNVERIFIABLE: ("warning", "Unverifiable: a check could not run"),
    Status.FAILED: ("failure", "Failed: a check failed"),
}

_SITE_WORDS = re.compile(r"^\s*security evidence (?:of|for)\s+|\s+security evidence\s*$", re.I)


def project_name(site_name: str) -> str:
    """The project's name in running text: a site named "X security evidence" (as ``secdocs
    init`` names it) is about X, so a sentence never reads "X security evidence v1 security
    evidence"."""
    name = _SITE_WORDS.sub("", site_name).strip()
    return name or site_name


def _verified_elsewhere(page: ReleasePageInput, to: Callable[[str], str]) -> Markup | None:
    """On the latest page of a release with nothing verified: the newest release that has."""
    other = page.verified_release
    if other is None or other.tag == page.report.release.tag:
        return None
    if has_verified_download(page.report):
        return None
    return render(
        "release/verified-elsewhere.html",
        release=page.report.release,
        other=other,
        url=to(release_page_path(other.tag)) + "#verify-your-download",
    )


def _verdict(report: ReleaseReport, project: str) -> Markup:
    tone, headline = _HEADLINES[report.status] if report.status else ("note", "No evidence")
    return render(
        "release/verdict.html",
        tone=tone,
        headline=headline,
        project=project_name(project),
        release=report.release,
        lines=facts.verdict(report),
    )


def _summary(report: ReleaseReport, to: Callable[[str], str]) -> Markup:
    release = report.release
    verified = report.assurance_counts()
    status: list[tuple[str, Markup]] = [
        ("Status", badge(report.status)),
        (
            "Verified",
            render(
                "release/verified.html",
                counts=", ".join(f"{n} {a}" for a, n in verified.items()),
            ),
        ),
    ]
    tag: list[tuple[str, Markup]] = [
        ("Version", esc(release.version + (" (pre-release)" if release.prerelease else ""))),
        ("Date", esc(release.date.strftime("%Y-%m-%d %H:%M UTC"))),
        ("Tag", esc("annotated" if release.annotated else "lightweight")),
    ]
    if release.tagger:
        tag.append(("Tagger", esc(release.tagger)))
    source: list[tuple[str, Markup]] = [("Commit", code(release.commit))]
    if release.previous:
        source.append(("Previous", link(release.previous, to(release_page_path(release.previous)))))
    if release.next:
        source.append(("Next", link(release.next, to(release_page_path(release.next)))))
    cards = [("Evidence", status), ("Release", tag), ("Source", source)]
    message = markdown_to_html(release.message) if release.message else None
    return render("release/summary.html", cards=cards, message=message)


def releases_index(
    reports: Sequence[ReleaseReport],
    latest: Release | None,
    directory_urls: bool,
    project: str,
    columns: Sequence[tuple[str, str]] = (),
) -> str:
    """The table of every release, newest first, with evidence coverage at a glance: one column
    per ``(role, label)`` the evidence kinds declare (:attr:`Collector.coverage`)."""
    here = "releases/index.md"
    rows = []
    for report in reports:
        release = report.release
        name = link(release.tag, relative_url(here, release_page_path(release.tag), directory_urls))
        if release.prerelease:
            name = render("release/prerelease.html", name=name)
        cells = [name, esc(release.date.strftime("%Y-%m-%d")), badge(report.status)]
        cells += [
            _changelog_cell(report)
            if kind == Kind.CHANGELOG
            else _coverage_cell(coverage(report, kind), coverage_assurance(report, kind))
            for kind, _ in columns
        ]
        rows.append(cells)
    return render(
        "releases/index.md",
        project=project_name(project),
        latest=latest,
        latest_link=_markdown_target(md_link(here, "releases/latest/index.md")),
        headers=["Release", "Date", "Status", *[label for _, label in columns]],
        rows=rows,
    )


def _markdown_target(path: str) -> Markup:
    """A link target between generated pages: docs-relative paths built from tag names that
    discovery accepted as safe path segments, so nothing in them needs escaping."""
    return Markup(path)  # noqa: S704  # nosec B704 - see the docstring


def _coverage_cell(status: Status | None, assurance: Assurance | None = None) -> Markup:
    """A coverage column of the releases index: the status as an icon (its word for screen
    readers and in the tooltip), so every kind's column fits beside the others."""
    if status is None:
        return ui("absent")
    return badge(status, assurance, compact=True)


def _changelog_cell(report: ReleaseReport) -> Markup:
    """How many security entries the release's changelog section has, or that it has none."""
    item = next((i for i in report.items if i.kind == Kind.CHANGELOG), None)
    if item is None:
        return _coverage_cell(None)
    entries = item.details.get("security_entries")
    source = item.details.get("source")
    if not isinstance(entries, int) or isinstance(entries, bool):
        return badge(item.status, compact=True)
    if source == "changelog":
        text = (
            "no security entries"
            if entries == 0
            else f"{entries} security entr{'y' if entries == 1 else 'ies'}"
        )
    else:
        text = f"no section; {entries} from commits"
    return badge(item.status, compact=True) + " " + ui("small", text)


def check_file_page(reports: Sequence[ReleaseReport], directory_urls: bool) -> str:
    """The "Check a file" page: every published file's SHA-256, what it is, what was verified."""
    index: dict[str, list[dict[str, object]]] = {}
    count = 0
    for report in reports:  # newest first
        tag = report.release.tag
        url = relative_url(CHECK_FILE_PAGE, release_page_path(tag), directory_urls)
        found = facts.file_facts(report)
        for file in report.files:
            count += 1
            known = found.get(file.name, [])
            index.setdefault(file.sha256, []).append(
                {
                    "tag": tag,
                    "name": file.name,
                    "role": file.role,
                    "url": url,
                    "status": file_status(report, file).value,
                    "facts": [
                        {"kind": f.kind, "status": f.status.value, "text": f.text} for f in known
                    ],
                }
            )
    body = render(
        "check-file/body.html",
        data=json.dumps(index, sort_keys=True, separators=(",", ":")),
        count=count,
        releases=len(reports),
    )
    return render("check-file/page.md", body=body)
