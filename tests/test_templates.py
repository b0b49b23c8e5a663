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
    assert badge(Status.FAILED) == '<span class="secdocs-badge secdocs-failed">failed</span>'
    assert badge(None) == '<span class="secdocs-badge secdocs-none">no evidence</span>'
    assert tone_badge('x" onclick="y', "<i>") == (
        '<span class="secdocs-badge secdocs-x&quot; onclick&#61;&quot;y">&lt;i&gt;</span>'
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
    assert '<span class="my-badge" data-tone="verified" data-x="">verified</span>' in page
    assert "secdocs-badge" not in page.split("<article")[1]
    # the other templates still come from the package
    assert "Evidence files" in page
