"""Pages come from Jinja2 templates: escaped by default, overridable from the theme."""

from __future__ import annotations

from pathlib import Path

import pytest
from markupsafe import Markup
from test_site import build, make_project

from secdocs.model import Status
from secdocs.render import jinja
from secdocs.render.html import badge, esc, table, tone_badge

PACKAGE = Path(jinja.__file__).resolve().parents[1] / "templates"


@pytest.fixture(autouse=True)
def _shipped_templates() -> object:
    jinja.use_theme(None)
    yield
    jinja.use_theme(None)


def test_values_that_are_not_markup_are_escaped_for_html_and_markdown() -> None:
    out = jinja.render("release/renamed.html", name="<b>*x*</b>")
    assert "<b>" not in out and "&lt;b&gt;&#42;x&#42;&lt;/b&gt;" in out
    safe = jinja.render("release/renamed.html", name=Markup("<b>x</b>"))
    assert safe.startswith("<b>x</b> <small>")


def test_one_badge_macro_for_every_status() -> None:
    icon = '<span class="secdocs-icon" aria-hidden="true"></span>'
    assert badge(Status.FAILED) == f'<span class="secdocs-badge secdocs-failed">{icon}failed</span>'
    assert badge(None) == f'<span class="secdocs-badge secdocs-none">{icon}no evidence</span>'
    assert tone_badge('x" onclick="y', "<i>") == (
        f'<span class="secdocs-badge secdocs-x&quot; onclick&#61;&quot;y">{icon}&lt;i&gt;</span>'
    )
    # compact: the icon on screen, the word for screen readers and as the tooltip
    assert badge(Status.MISSING, compact=True) == (
        '<span class="secdocs-badge secdocs-missing secdocs-compact" title="missing">'
        f'{icon}<span class="secdocs-sr">missing</span></span>'
    )


def test_table_cells_are_markup_and_headers_are_escaped() -> None:
    html = table(("<h>",), [(esc("<c>"),), (Markup("<em>ok</em>"),)])
    assert "<th>&lt;h&gt;</th>" in html and "<td>&lt;c&gt;</td>" in html
    assert "<td><em>ok</em></td>" in html


def test_templates_ship_in_the_package() -> None:
    names = {p.relative_to(PACKAGE).as_posix() for p in PACKAGE.rglob("*") if p.is_file()}
    assert {"macros.html", "release/page.md", "sbom/macros.html"} <= names
    pyproject = (PACKAGE.parents[1] / "pyproject.toml").read_text()
    assert '"templates/**/*"' in pyproject


def test_a_theme_custom_dir_overrides_a_template(tmp_path: Path) -> None:
    repo = make_project(tmp_path, extra="")
    text = (repo.root / "mkdocs.yml").read_text()
    repo.write(
        "mkdocs.yml",
        text.replace("  name: material\n", "  name: material\n  custom_dir: overrides\n"),
    )
    macros = (PACKAGE / "macros.html").read_text()
    badge_macro = '<span class="secdocs-badge secdocs-{{ tone }}{% if kind %}'
    assert badge_macro in macros
    repo.write(
        "overrides/secdocs/macros.html",
        macros.replace(
            badge_macro, '<span class="my-badge" data-tone="{{ tone }}" data-x="{% if kind %}'
        ),
    )
    site = tmp_path / "site"
    assert build(repo, site) == 0
    page = (site / "releases" / "v1.0.0" / "index.html").read_text()
    assert '<span class="my-badge" data-tone="verified" data-x="">' in page
    assert "secdocs-badge" not in page.split("<article")[1]
    # the other templates still come from the package
    assert "Evidence files" in page


def test_a_chart_of_500_releases_labels_a_dozen_evenly_spaced_releases() -> None:
    import re

    from secdocs.kinds.metrics import charts

    tags = [f"v{i}.0.0" for i in range(500)]
    svg = charts.line("c", "t", tags, [("s", [50.0] * 500)], 100).decode()
    shown = re.findall(r">(v\d+\.0\.0)</text>", svg)
    assert 2 <= len(shown) <= charts.MAX_X_LABELS
    assert shown[0] == "v0.0.0" and shown[-1] == "v499.0.0"
    few = charts.line("c", "t", tags[:5], [("s", [1.0] * 5)], 100).decode()
    assert re.findall(r">(v\d+\.0\.0)</text>", few) == tags[:5]


def test_the_project_is_named_without_the_sites_words() -> None:
    from secdocs.render.pages import project_name

    assert project_name("sigstore-python security evidence") == "sigstore-python"
    assert project_name("Security evidence of widget") == "widget"
    assert project_name("widget") == "widget"
    assert project_name("security evidence") == "security evidence"


def test_a_file_secdocs_wrote_is_marked_and_never_shown_as_authenticity() -> None:
    from datetime import UTC, datetime

    from secdocs.model import (
        EvidenceFile,
        EvidenceItem,
        Findings,
        Kind,
        Release,
        ReleaseReport,
    )
    from secdocs.render.pages import ReleasePageInput, release_page

    release = Release("v1.0.0", "1.0.0", "0" * 40, datetime(2026, 1, 1, tzinfo=UTC), True, False)
    files = (
        EvidenceFile("SHA256SUMS", 80, "a" * 64, Kind.CHECKSUMS, secdocs_written=True),
        EvidenceFile("app.tar.gz", 10, "b" * 64, "artifact"),
    )
    items = (
        EvidenceItem(Kind.CHECKSUMS, "SHA256SUMS", Status.PRESENT, "secdocs wrote this list"),
        EvidenceItem("checksum", "app.tar.gz", Status.PRESENT, "matches what secdocs recorded"),
    )
    report = ReleaseReport(release, "evidence/v1.0.0", files, (Findings("checksums", items),))
    page = release_page(
        ReleasePageInput(report, (), "releases/v1.0.0/index.md", "files/", True, "p")
    )
    files_table = page.split('secdocs-files"', 1)[1].split("</table>", 1)[0]
    rows = files_table.split("<tr>")
    sums = next(r for r in rows if "SHA256SUMS" in r)
    app = next(r for r in rows if "app.tar.gz" in r)
    assert "written by secdocs" in sums and "written by secdocs" not in app
    assert "authenticity" not in sums
