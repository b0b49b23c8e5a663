"""The practice coverage matrix: secure-development activities against releases.

Each cell is backed by the evidence the collectors classified (linked to the published file) or
marked absent. Reports of other tools dropped into the evidence folder — SARIF from a SAST run,
a penetration-test report, fuzzing or security-test results — are recognised by name and listed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from secdocs.config import Config
from secdocs.errors import SecdocsError
from secdocs.git import GitRepo
from secdocs.model import EvidenceFile, Kind, ReleaseReport, Status
from secdocs.render.html import badge, code, esc, html_block, link, table, ui
from secdocs.render.pages import coverage, published_name, release_dir, release_page_path
from secdocs.render.urls import relative_url
from secdocs.safety import confined, load_json, read_limited

PRACTICES = "practices.md"
MAX_SARIF_SIZE = 32 * 1024 * 1024
SECURITY_MD_PATHS = ("SECURITY.md", ".github/SECURITY.md", "docs/SECURITY.md")


def _name(file: EvidenceFile) -> str:
    return file.name.rsplit("/", 1)[-1].lower()


def is_sarif(file: EvidenceFile) -> bool:
    return _name(file).endswith((".sarif", ".sarif.json"))


def is_pentest(file: EvidenceFile) -> bool:
    name = _name(file)
    return any(m in name for m in ("pentest", "pen-test", "penetration", "pen_test"))


def is_fuzzing(file: EvidenceFile) -> bool:
    return "fuzz" in _name(file)


def is_security_tests(file: EvidenceFile) -> bool:
    name = _name(file)
    return not is_fuzzing(file) and (
        "security-test" in name or "security_test" in name or name.endswith(".junit.xml")
    )


def is_scan(file: EvidenceFile) -> bool:
    return file.role in (Kind.SCAN, Kind.VEX) and not is_sarif(file)


@dataclass(frozen=True, slots=True)
class Activity:
    key: str
    title: str
    #: evidence kinds whose items/files back this activity
    kinds: tuple[str, ...] = ()
    #: evidence files recognised by name
    match: Callable[[EvidenceFile], bool] | None = None
    #: a cell decided from a collector's published data (``None``: nothing to show)
    judge: Callable[[ReleaseReport], Cell | None] | None = None


def _containers(report: ReleaseReport) -> Mapping[str, Any]:
    found = report.findings_of("containers")
    return found.data if found is not None else {}


def hardened_image(report: ReleaseReport) -> Cell | None:
    """Every check of every image passed: verified; a check failed: failed (the image is not
    hardened); only unknowns: unverifiable. Backed by the release's image items."""
    data = _containers(report)
    checks = data.get("checks")
    results: list[Any] = []
    for entry in checks if isinstance(checks, list) else []:
        listed = entry.get("checks") if isinstance(entry, Mapping) else None
        listed = listed if isinstance(listed, list) else []
        results += [c.get("result") for c in listed if isinstance(c, Mapping)]
    if not results:
        return None
    if "fail" in results:
        status = Status.FAILED
    elif "unknown" in results:
        status = Status.UNVERIFIABLE
    else:
        status = Status.VERIFIED
    images = tuple(i.path for i in report.items if i.kind == "image" and i.path)
    return Cell(status, tuple(n for n in images if n in {f.name for f in report.files}), images)


def image_scan(report: ReleaseReport) -> Cell | None:
    """A Trivy scan tied to a release image by digest: verified; a scan of another image:
    unverifiable; a scan naming no digest: present."""
    scans = _containers(report).get("scans")
    entries = [s for s in (scans if isinstance(scans, list) else []) if isinstance(s, Mapping)]
    if not entries:
        return None
    if any(s.get("image") for s in entries):
        status = Status.VERIFIED
    elif any(s.get("warning") for s in entries):
        status = Status.UNVERIFIABLE
    else:
        status = Status.PRESENT
    return Cell(status, tuple(sorted(str(s.get("path")) for s in entries)))


ACTIVITIES: tuple[Activity, ...] = (
    Activity("sbom", "SBOM", (Kind.SBOM,)),
    Activity("signing", "Signing", (Kind.SIGNATURE,)),
    Activity("provenance", "Provenance", (Kind.PROVENANCE,)),
    Activity("threat-model", "Threat-model delta", (Kind.THREAT_MODEL,)),
    Activity("changelog", "Security changelog", (Kind.CHANGELOG,)),
    Activity("sast", "SAST report", match=is_sarif),
    Activity("scan", "Dependency / vulnerability scan", match=is_scan),
    Activity("image-scan", "Image scan", judge=image_scan),
    Activity("hardened-image", "Hardened image", judge=hardened_image),
    Activity("fuzzing", "Fuzzing", match=is_fuzzing),
    Activity("security-tests", "Tests with security proofs", match=is_security_tests),
    Activity("pentest", "Penetration test", match=is_pentest),
    Activity("disclosure", "Disclosure policy"),
)


@dataclass(frozen=True, slots=True)
class Cell:
    status: Status | None
    files: tuple[str, ...]
    #: backing paths that are not evidence files (for example a delta in the tag's tree)
    others: tuple[str, ...] = ()


def cell(report: ReleaseReport, activity: Activity) -> Cell:
    if activity.judge is not None:
        return activity.judge(report) or Cell(None, ())
    files: list[str] = []
    others: list[str] = []
    statuses: list[Status] = []
    names = {f.name for f in report.files}
    for kind in activity.kinds:
        status = coverage(report, kind)
        if status is not None:
            statuses.append(status)
        files += [f.name for f in report.files if f.role == kind]
        for item in report.items:
            if item.kind == kind and item.path and item.path not in names:
                others.append(item.path)
    if activity.match is not None:
        matched = [f.name for f in report.files if activity.match(f)]
        files += matched
        if matched:
            statuses.append(Status.PRESENT)
    status = max(statuses, key=lambda s: s.rank) if statuses else None
    return Cell(status, tuple(sorted(set(files))), tuple(sorted(set(others))))


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


def page(config: Config, reports: Sequence[ReleaseReport], directory_urls: bool) -> str:
    """The matrix, newest release first, and the list of recognised tool reports."""
    disclosure = disclosure_cells(config, reports)

    def to(target: str) -> str:
        return relative_url(PRACTICES, target, directory_urls)

    out = [
        "# Practice coverage\n",
        "The activities of a secure development process against the releases. Each cell links "
        "the evidence files that back it; — means absent.\n",
    ]
    if not reports:
        out.append("No release tags were found.\n")
        return "\n".join(out)
    rows = []
    for report in reports:
        tag = report.release.tag
        cells = [link(tag, to(release_page_path(tag)))]
        for activity in ACTIVITIES:
            if activity.key == "disclosure":
                c = disclosure.get(tag, Cell(None, ()))
            else:
                c = cell(report, activity)
            cells.append(_cell_html(c, tag, to))
        rows.append(cells)
    headers = ["Release", *[a.title for a in ACTIVITIES]]
    out.append(html_block(table(headers, rows, css_class="secdocs-table secdocs-practices")))
    counts = [
        (
            esc(a.title),
            esc(
                sum(
                    1
                    for r in reports
                    if (
                        disclosure.get(r.release.tag, Cell(None, ()))
                        if a.key == "disclosure"
                        else cell(r, a)
                    ).status
                    is not None
                )
            ),
            esc(len(reports)),
        )
        for a in ACTIVITIES
    ]
    out.append("## Coverage per activity\n")
    out.append(html_block(table(("Activity", "Releases with evidence", "Releases"), counts)))
    listed = []
    recognisers = [a for a in ACTIVITIES if a.match is not None]
    for report in reports:
        tag = report.release.tag
        for file in report.files:
            kinds = [a.title for a in recognisers if a.match and a.match(file)]
            if kinds or file.role in (Kind.REPORT, Kind.SCAN, Kind.VEX):
                url = to(f"{release_dir(tag)}files/{published_name(file.name)}")
                details = sarif_summary(config, report, file) if is_sarif(file) else ""
                listed.append(
                    (
                        link(tag, to(release_page_path(tag))),
                        link(file.name, url),
                        esc(file.role),
                        esc(", ".join(kinds) or "unrecognised report"),
                        esc(details),
                    )
                )
    out.append("## Tool reports in the evidence folders\n")
    if listed:
        out.append(
            html_block(table(("Release", "File", "Kind", "Recognised as", "Details"), listed))
        )
    else:
        out.append("No tool reports (SARIF, scans, pen-test, fuzzing, test results) were found.\n")
    return "\n".join(out)


def _cell_html(c: Cell, tag: str, to: Callable[[str], str]) -> Markup:
    if c.status is None:
        return ui("absent")
    parts = [badge(c.status)]
    for name in c.files:
        parts.append(link(name, to(f"{release_dir(tag)}files/{published_name(name)}")))
    parts += [code(path) for path in c.others]
    return ui("stacked", parts)
