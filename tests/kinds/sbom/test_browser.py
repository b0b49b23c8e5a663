"""The SBOM component table in headless Chromium at 10,000 rows: search, filters and sort work,
the table is complete without JavaScript, and no data becomes markup. Timing is printed by
``benchmarks/bench_sbom.py --browser``; this test checks behaviour only."""

from __future__ import annotations

from importlib.resources import files
from typing import Any

import pytest

from secdocs.kinds.sbom.render import component_table
from secdocs.sbom.model import Component, Licence, Sbom

pytestmark = pytest.mark.browser

TYPES = ("library", "framework", "application", "file")
LICENCES = ("MIT", "Apache-2.0", "BSD-3-Clause", "<b>GPL</b>")


def big_sbom(count: int = 10_000) -> Sbom:
    components = tuple(
        Component(
            name=f"pkg-{i:05d}" if i != 77 else "<img src=x onerror=window.__xss=1>",
            version=f"1.{i % 13}.{i % 7}",
            type=TYPES[i % len(TYPES)],
            purl=f"pkg:npm/pkg-{i:05d}@1.{i % 13}.{i % 7}",
            licences=(Licence("id", LICENCES[i % len(LICENCES)]),),
            supplier="acme",
        )
        for i in range(count)
    )
    return Sbom(
        path="big.cdx.json",
        format="CycloneDX",
        encoding="json",
        spec_version="1.6",
        components=components,
    )


def page_html(sbom: Sbom, script: bool = True) -> str:
    assets = files("secdocs") / "assets"
    css = (assets / "sbom-table.css").read_text(encoding="utf-8")
    js = (assets / "sbom-table.js").read_text(encoding="utf-8") if script else ""
    table = component_table(sbom, {3: "policy"}, "t")
    return (
        f"<!doctype html><html><head><style>{css}</style></head><body>{table}"
        f"<script>{js}</script></body></html>"
    )


#: the script wires the table in the task after DOMContentLoaded
READY = "() => document.querySelector('[data-role=count]').textContent !== ''"
VISIBLE = "() => [...document.querySelectorAll('#t tbody tr')].filter(r => !r.hidden).length"


def test_search_filter_sort_at_10k_rows(browser: Any) -> None:
    context = browser.new_context(java_script_enabled=True)
    page = context.new_page()
    page.route("**/*", lambda route: route.abort())  # offline: nothing may be fetched
    page.set_content(page_html(big_sbom()))
    page.wait_for_function(READY)
    count = page.locator("[data-role=count]")
    more = page.locator("[data-role=more]")
    assert count.text_content() == "10000 of 10000 components (showing the first 500)"
    assert page.evaluate(VISIBLE) == 500 and more.is_visible()

    page.select_option("[data-role=type]", "framework")
    assert count.text_content() == "2500 of 10000 components (showing the first 500)"
    more.click()
    assert page.evaluate(VISIBLE) == 2_500 and more.is_hidden()
    page.select_option("[data-role=licence]", "MIT")
    assert page.evaluate(VISIBLE) == 0  # framework rows are i % 4 == 1, MIT rows i % 4 == 0
    assert count.text_content() == "0 of 10000 components"
    page.select_option("[data-role=licence]", "Apache-2.0")
    assert page.evaluate(VISIBLE) == 2_500
    page.select_option("[data-role=type]", "")
    page.select_option("[data-role=licence]", "")
    assert page.evaluate(VISIBLE) == 10_000  # "show all" stays on

    page.fill("[data-role=search]", "pkg-0999")
    page.wait_for_function(
        "() => document.querySelector('[data-role=count]').textContent.startsWith('10 of')"
    )
    assert page.evaluate(VISIBLE) == 10  # pkg-09990 … pkg-09999
    page.fill("[data-role=search]", "")
    page.wait_for_function(
        "() => document.querySelector('[data-role=count]').textContent.startsWith('10000 of')"
    )

    page.click("button[data-col='0']")  # name, ascending
    page.click("button[data-col='0']")  # descending
    first = page.evaluate("() => document.querySelector('#t tbody tr td').textContent")
    assert first == "pkg-09999"
    assert page.get_attribute("th:has(button[data-col='0'])", "aria-sort") == "descending"
    assert page.evaluate("() => window.__xss") is None
    assert page.locator("#t img").count() == 0
    context.close()


def test_table_is_complete_without_javascript(browser: Any) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.set_content(page_html(big_sbom(200), script=False))
    assert page.locator("#t tbody tr").count() == 200
    assert page.locator("[data-secdocs-controls]").is_hidden()
    assert page.locator("#t tbody tr.secdocs-violation").count() == 1
    context.close()


def test_rows_beyond_the_html_are_found_drawn_and_inert(browser: Any) -> None:
    """Only the first FIRST_ROWS rows are HTML; search, filters and sort still reach the rest,
    and a hostile name among them is drawn as text."""
    from secdocs.kinds.sbom.render import FIRST_ROWS

    sbom = big_sbom(20_000)
    hostile = "<img src=x onerror=window.__xss=2>"
    components = list(sbom.components)
    components[15_000] = Component(
        name=hostile, version="6.6.6", type="file", purl="pkg:npm/evil@6.6.6", supplier="</script>"
    )
    sbom = Sbom("big.cdx.json", "CycloneDX", "json", "1.6", components=tuple(components))
    html = page_html(sbom)
    assert html.count('<tr data-type="') == FIRST_ROWS  # the rest travels as data
    assert hostile not in html and '</script>"' not in html

    context = browser.new_context(java_script_enabled=True)
    page = context.new_page()
    page.route("**/*", lambda route: route.abort())
    page.set_content(html)
    page.wait_for_function(READY)
    count = page.locator("[data-role=count]")
    assert count.text_content() == "20000 of 20000 components (showing the first 500)"
    assert page.locator("[data-secdocs-rest]").is_hidden()
    page.fill("[data-role=search]", "pkg-1999")  # pkg-19990 … pkg-19999: never drawn at load
    page.wait_for_function(
        "() => document.querySelector('[data-role=count]').textContent.startsWith('10 of')"
    )
    names = page.evaluate(
        "() => [...document.querySelectorAll('#t tbody tr td:first-child')].map(c => c.textContent)"
    )
    assert names == [f"pkg-{i:05d}" for i in range(19_990, 20_000)]
    page.fill("[data-role=search]", "6.6.6")
    page.wait_for_function(
        "() => document.querySelector('[data-role=count]').textContent.startsWith('1 of')"
    )
    assert page.evaluate("() => document.querySelector('#t tbody tr td').textContent") == hostile
    assert page.locator("#t img").count() == 0
    page.fill("[data-role=search]", "")
    page.wait_for_function(
        "() => document.querySelector('[data-role=count]').textContent.startsWith('20000 of')"
    )
    page.select_option("[data-role=type]", "file")
    # i % 4 == 3 are files, and the hostile component (a library before) is one too
    assert count.text_content() == "5001 of 20000 components (showing the first 500)"
    page.select_option("[data-role=type]", "")
    page.click("button[data-col='0']")
    page.click("button[data-col='0']")  # descending: the first row comes from the data
    assert page.evaluate("() => document.querySelector('#t tbody tr td').textContent") == (
        "pkg-19999"
    )
    # scrolling to the end of the table draws the next rows
    before = page.evaluate("() => document.querySelectorAll('#t tbody tr').length")
    page.evaluate("() => document.querySelector('#t tbody tr:last-child').scrollIntoView()")
    page.wait_for_function(f"() => document.querySelectorAll('#t tbody tr').length > {before}")
    assert page.evaluate("() => window.__xss") is None
    context.close()


def test_without_javascript_the_first_rows_and_a_note(browser: Any) -> None:
    from secdocs.kinds.sbom.render import FIRST_ROWS

    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.set_content(page_html(big_sbom(FIRST_ROWS + 10), script=False))
    assert page.locator("#t tbody tr").count() == FIRST_ROWS
    note = page.locator("[data-secdocs-rest]")
    assert note.is_visible()
    assert f"the first {FIRST_ROWS} of {FIRST_ROWS + 10} components" in (note.text_content() or "")
    context.close()
