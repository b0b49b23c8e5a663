"""Release pages and the releases index, as Markdown with HTML blocks for the tables."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

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
from secdocs.render.html import (
    badge,
    code,
    esc,
    heading_text,
    html_block,
    link,
    markdown_to_html,
    table,
)
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


def release_page(page: ReleasePageInput) -> str:
    report = page.report
    release = report.release
    here = page.page_path

    def to(target: str) -> str:
        return relative_url(here, target, page.directory_urls)

    out: list[str] = []
    out.append(f"# {heading_text(release.tag)}\n")
    out.append(f"Security evidence of {heading_text(page.project)} {heading_text(release.tag)}.\n")
    if page.alias_of:
        out.append(
            f"This is the *latest* alias. The permanent page of this release is "
            f"[{heading_text(release.tag)}]({md_link(here, release_page_path(release.tag))}).\n"
        )
    out.append(html_block(_summary(report, to)))

    problems = report.problems
    if problems:
        out.append("## Problems\n")
        rows: list[tuple[str, ...]] = [
            (
                esc(p.severity),
                code(p.path or ""),
                esc(p.line if p.line is not None else ""),
                esc(p.message),
            )
            for p in problems
        ]
        out.append(html_block(table(("Severity", "File", "Line", "Problem"), rows)))

    out.append("## Evidence files\n")
    if report.evidence_dir is None:
        out.append(
            html_block(
                f"<p>{badge(Status.MISSING)} No evidence folder was found for this release.</p>"
            )
        )
    elif not report.files:
        out.append(html_block("<p>The evidence folder is empty.</p>"))
    else:
        rows = []
        for file in report.files:
            url = f"{page.files_url}{published_name(file.name)}"
            renamed = published_name(file.name) != file.name
            note = (
                " <small>(published with .txt so browsers do not render it)</small>"
                if renamed
                else ""
            )
            rows.append(
                (
                    esc(file.role),
                    link(file.name, url) + note,
                    esc(human_size(file.size)),
                    f'<code class="secdocs-digest">{esc(file.sha256)}</code>',
                    badge(file_status(report, file), file_assurance(report, file)),
                )
            )
        out.append(html_block(table(("Kind", "File", "Size", "SHA-256", "Status"), rows)))

    checks = report.items
    out.append("## Checks\n")
    if checks:
        rows = [
            (
                badge(item.status, item.assurance),
                esc(item.kind),
                code(item.path) if item.path else "",
                esc(item.reason or ""),
                esc(item.signer.identity) if item.signer else "",
            )
            for item in checks
        ]
        out.append(html_block(table(("Status", "Kind", "Subject", "Reason", "Signer"), rows)))
    else:
        out.append(html_block("<p>No checks ran for this release.</p>"))

    for section in sorted(page.sections, key=lambda s: (s.order, s.id)):
        out.append(f"## {heading_text(section.title)}\n")
        out.append(section.body)
        out.append("\n")
    return "\n".join(out)


def _summary(report: ReleaseReport, to: Callable[[str], str]) -> str:
    release = report.release
    verified = report.assurance_counts()
    rows: list[tuple[str, str]] = [
        ("Status", badge(report.status)),
        (
            "Verified",
            esc(", ".join(f"{n} {a}" for a, n in verified.items()))
            + " <small>(authenticity: signed by a pinned identity or key; integrity: a checksum "
            "matched; validity: schema-valid)</small>",
        ),
        ("Version", esc(release.version) + (" (pre-release)" if release.prerelease else "")),
        ("Date", esc(release.date.strftime("%Y-%m-%d %H:%M UTC"))),
        ("Commit", code(release.commit)),
        ("Tag", esc("annotated" if release.annotated else "lightweight")),
    ]
    if release.tagger:
        rows.append(("Tagger", esc(release.tagger)))
    if release.previous:
        rows.append(("Previous", link(release.previous, to(release_page_path(release.previous)))))
    if release.next:
        rows.append(("Next", link(release.next, to(release_page_path(release.next)))))
    body = "".join(f"<tr><th>{esc(k)}</th><td>{v}</td></tr>" for k, v in rows)
    html = f'<table class="secdocs-summary"><tbody>{body}</tbody></table>'
    if release.message:
        html += '<div class="secdocs-tag-message">' + markdown_to_html(release.message) + "</div>"
    return html


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
    out = ["# Releases\n", f"Every release of {heading_text(project)}, newest first.\n"]
    if latest is not None:
        out.append(
            f"Latest release: [{heading_text(latest.tag)}]"
            f"({md_link(here, 'releases/latest/index.md')}).\n"
        )
    if not reports:
        out.append("No release tags were found.\n")
        return "\n".join(out)
    headers = ["Release", "Date", "Status", *[label for _, label in columns]]
    rows = []
    for report in reports:
        release = report.release
        name = link(release.tag, relative_url(here, release_page_path(release.tag), directory_urls))
        if release.prerelease:
            name += ' <span class="secdocs-pre-release">pre-release</span>'
        cells = [name, esc(release.date.strftime("%Y-%m-%d")), badge(report.status)]
        cells += [
            _changelog_cell(report)
            if kind == Kind.CHANGELOG
            else _coverage_cell(coverage(report, kind), coverage_assurance(report, kind))
            for kind, _ in columns
        ]
        rows.append(cells)
    out.append(html_block(table(headers, rows, css_class="secdocs-table secdocs-releases")))
    out.append(
        "Each release page lists its evidence files with their SHA-256 and the outcome of "
        "every check. `verified` means a check passed, and says which: *authenticity* (a "
        "signature or attestation checked against a pinned identity or key), *integrity* (a "
        "checksum matched) or *validity* (the document conforms to its schema); `failed`, "
        "`unverifiable` and `missing` say why not.\n"
    )
    return "\n".join(out)


def _coverage_cell(status: Status | None, assurance: Assurance | None = None) -> str:
    if status is None:
        return '<span class="secdocs-absent" title="absent">—</span>'
    return badge(status, assurance)


def _changelog_cell(report: ReleaseReport) -> str:
    """How many security entries the release's changelog section has, or that it has none."""
    item = next((i for i in report.items if i.kind == Kind.CHANGELOG), None)
    if item is None:
        return _coverage_cell(None)
    entries = item.details.get("security_entries")
    source = item.details.get("source")
    if not isinstance(entries, int) or isinstance(entries, bool):
        return badge(item.status)
    if source == "changelog":
        text = (
            "no security entries"
            if entries == 0
            else f"{entries} security entr{'y' if entries == 1 else 'ies'}"
        )
    else:
        text = f"no section; {entries} from commits"
    return f"{badge(item.status)} <small>{esc(text)}</small>"
