"""Hostile evidence, built into a real site, opened page by page in headless Chromium.

Every field secdocs renders carries XSS payloads of every OWASP cheat-sheet class (see
``tests/hostile/payloads.py``). A payload that ran would set ``window.__xss_<id>``, change the
title to ``XSS-<id>`` or open a dialog; a payload that was merely *injected* would leave an event
handler attribute, a ``javascript:`` link, an ``iframe`` or ``meta refresh`` element, or a request
for its bogus image in the page. The suite asserts none of that happens on any page, that every
page still renders, and that each field's payloads really reached a page as inert text.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from hostile import project
from hostile.payloads import CLASS_NAMES, Registry

from secdocs.cli import main

from .server import serve

pytestmark = pytest.mark.browser

#: Evaluated in each page: markers set by payloads, and elements/attributes only an injected
#: payload could have produced (Material itself uses no inline handlers or javascript: URLs).
PROBE = """() => {
  const markers = [];
  const frames = [window, ...Array.from(window.frames)];
  for (const w of frames) {
    try {
      for (const k of Object.getOwnPropertyNames(w)) if (k.startsWith('__xss_')) markers.push(k);
    } catch (e) { markers.push('cross-origin-frame'); }
  }
  const injected = [];
  for (const el of document.querySelectorAll('*')) {
    for (const a of el.attributes) {
      const v = a.value.trim().toLowerCase();
      if (a.name.startsWith('on')) injected.push(el.tagName + '[' + a.name + ']');
      if ((a.name === 'href' || a.name === 'src' || a.name === 'action' || a.name === 'srcdoc' ||
           a.name === 'xlink:href' || a.name === 'formaction') &&
          (v.startsWith('javascript:') || v.startsWith('data:text/html') || a.name === 'srcdoc'))
        injected.push(el.tagName + '[' + a.name + '=' + v.slice(0, 40) + ']');
      if (a.name === 'style' && /expression\\(|javascript:/.test(v)) injected.push('style');
    }
  }
  for (const sel of ['iframe', 'object', 'embed', 'meta[http-equiv]', 'base', 'svg script',
                     'animate', 'details[ontoggle]', 'script:not([src])']) {
    for (const el of document.querySelectorAll(sel)) {
      if (sel === 'script:not([src])' && !/xss|alert/i.test(el.textContent)) continue;
      if (sel === 'meta[http-equiv]' && el.httpEquiv.toLowerCase() !== 'refresh') continue;
      injected.push(sel);
    }
  }
  return {
    markers,
    injected,
    title: document.title,
    h1: Array.from(document.querySelectorAll('article h1, .md-content h1')).map(h => h.innerText),
    text: document.body ? document.body.textContent : '',  // collapsed <details> too
  };
}"""


@dataclass
class HostileSite:
    root: Path
    site: Path
    registry: Registry
    accepted_unsafe_tags: list[str]
    pages: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HostileSite]:
    root = tmp_path_factory.mktemp("hostile")
    registry = Registry()
    repo = project.build(root / "project", registry)
    site = root / "site"
    before = sorted(p.name for p in root.iterdir())
    old = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = "1767225600"
    try:
        assert main(["build", "-f", str(repo.root / "mkdocs.yml"), "-d", str(site)]) == 0
    finally:
        if old is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = old
    # nothing written beside the site and the project
    assert sorted(p.name for p in root.iterdir()) == sorted({*before, "site"})
    pages = sorted(str(p.relative_to(site)) for p in site.rglob("*.html"))
    yield HostileSite(root, site, registry, list(repo.accepted_unsafe_tags), pages)


@dataclass
class Visit:
    url: str
    markers: list[str]
    injected: list[str]
    title: str
    h1: list[str]
    text: str


@dataclass
class Recorder:
    dialogs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def attach(self, page: Any, base: str) -> None:
        def on_dialog(dialog: Any) -> None:
            self.dialogs.append(f"{page.url}: {dialog.type} {dialog.message!r}")
            dialog.dismiss()

        def on_console(message: Any) -> None:
            if message.type == "error":
                self.errors.append(f"{page.url}: console: {message.text}")

        def on_route(route: Any) -> None:
            url = route.request.url
            self.requests.append(url)
            if url.startswith(base):
                route.continue_()
            else:
                route.abort()

        page.on("dialog", on_dialog)
        page.on("console", on_console)
        page.on("pageerror", lambda exc: self.errors.append(f"{page.url}: pageerror: {exc}"))
        page.route("**/*", on_route)


@pytest.fixture(scope="module")
def visits(browser: Any, hostile_site: HostileSite) -> Iterator[tuple[list[Visit], Recorder]]:
    recorder = Recorder()
    found: list[Visit] = []
    with serve(hostile_site.site) as base:
        context = browser.new_context(service_workers="block")
        page = context.new_page()
        page.set_default_timeout(10_000)
        recorder.attach(page, base)
        for rel in hostile_site.pages:
            url = base + rel
            page.goto(url, wait_until="load")
            page.wait_for_timeout(50)  # let autofocus/ontoggle/animation handlers have their turn
            probe = page.evaluate(PROBE)
            found.append(Visit(url, **probe))
        context.close()
    yield found, recorder


def test_every_page_is_visited(hostile_site: HostileSite) -> None:
    pages = set(hostile_site.pages)
    for tag in project.SAFE_TAGS:
        assert f"releases/{tag}/index.html" in pages
    assert {"index.html", "releases/index.html", "releases/latest/index.html"} <= pages
    assert len(pages) >= 7


def test_no_payload_runs_on_any_page(visits: tuple[list[Visit], Recorder]) -> None:
    found, recorder = visits
    assert recorder.dialogs == []
    for visit in found:
        assert visit.markers == [], f"{visit.url}: payload ran: {visit.markers}"
        # a payload sets the title to exactly XSS-<id>; the escaped payload text may appear in it
        assert not re.fullmatch(r"XSS-\d+_\d+", visit.title), f"{visit.url}: {visit.title!r}"


def test_no_payload_is_injected_as_markup(visits: tuple[list[Visit], Recorder]) -> None:
    found, recorder = visits
    for visit in found:
        assert visit.injected == [], f"{visit.url}: injected markup {visit.injected[:10]}"
    bogus = [u for u in recorder.requests if u.rsplit("/", 1)[-1] in ("x", "x.png")]
    assert bogus == [], "a payload's <img src=x> reached the DOM"


def test_no_script_errors_or_policy_violations(visits: tuple[list[Visit], Recorder]) -> None:
    _found, recorder = visits
    assert recorder.errors == []


def test_every_page_renders_its_heading(
    visits: tuple[list[Visit], Recorder], hostile_site: HostileSite
) -> None:
    found, _ = visits
    for visit in found:
        assert visit.h1, f"{visit.url}: no heading rendered"
        assert visit.text.strip()
        for tag in project.SAFE_TAGS:
            if visit.url.endswith(f"releases/{tag}/index.html"):
                assert any(tag in h for h in visit.h1), visit.h1


def test_every_field_and_payload_class_reaches_a_page_as_text(
    visits: tuple[list[Visit], Recorder], hostile_site: HostileSite
) -> None:
    """Proof the payloads were rendered at all: each one's marker text is visible somewhere."""
    found, _ = visits
    text = "\n".join(v.text for v in found)
    missing: dict[str, list[str]] = {}
    for payload in hostile_site.registry.payloads:
        if payload.shown and payload.visible not in text:
            missing.setdefault(payload.field, []).append(payload.klass)
    assert missing == {}, "\n".join(f"{k}: {', '.join(v)}" for k, v in missing.items())


def test_unsafe_tags_are_refused_not_published(hostile_site: HostileSite) -> None:
    assert hostile_site.accepted_unsafe_tags, "git refused every unsafe tag; nothing was tested"
    releases = {p.name for p in (hostile_site.site / "releases").iterdir()}
    assert releases == {*project.SAFE_TAGS, "latest", "index.html"}


def test_search_box_does_not_run_a_typed_payload(browser: Any, hostile_site: HostileSite) -> None:
    recorder = Recorder()
    with serve(hostile_site.site) as base:
        context = browser.new_context(
            service_workers="block", viewport={"width": 1400, "height": 900}
        )
        page = context.new_page()
        page.set_default_timeout(10_000)
        recorder.attach(page, base)
        page.goto(base + "releases/v1.0.0/index.html", wait_until="load")
        box = page.locator("input.md-search__input")
        box.click()
        box.type("<img src=x onerror=alert('xss-search')>", delay=5)
        # Material builds its lunr index in a web worker from the whole site's search index;
        # on a loaded machine that takes longer than a page interaction. The wait bounds a hang,
        # it is not a speed target. The results are counted in the page in the same step that
        # sees them: Material redraws the list as the query settles, so a count taken after a
        # separate wait could read an empty list between two draws.
        shown = page.wait_for_function(
            "() => document.querySelectorAll('.md-search-result__item').length",
            timeout=90_000,
        ).json_value()
        probe = page.evaluate(PROBE)
        context.close()
    assert recorder.dialogs == []
    assert probe["markers"] == []
    assert probe["injected"] == []
    assert shown > 0
    # the results show index text (the escaped payloads), not markup
    assert "__xss_" in probe["text"] or "onerror" in probe["text"]


def test_every_payload_class_is_planted() -> None:
    assert len(CLASS_NAMES) == len(set(CLASS_NAMES)) >= 20


def test_published_evidence_files_never_run_in_the_browser(
    browser: Any, hostile_site: HostileSite
) -> None:
    """Every published evidence file, opened directly: scriptable ones were renamed to .txt."""
    files = hostile_site.site / "releases" / project.SAFE_TAGS[0] / "files"
    names = sorted(p.name for p in files.iterdir())
    for original in project.SCRIPTABLE_FILES:
        assert f"{original}.txt" in names and original not in names
    recorder = Recorder()
    ran: dict[str, list[str]] = {}
    with serve(hostile_site.site) as base:
        context = browser.new_context(service_workers="block", accept_downloads=True)
        page = context.new_page()
        page.set_default_timeout(10_000)
        recorder.attach(page, base)
        for name in names:
            url = f"{base}releases/{project.SAFE_TAGS[0]}/files/{name}"
            try:
                page.goto(url, wait_until="load")
            except Exception as exc:  # a download (binary artifact) aborts the navigation
                if "Download is starting" not in str(exc):
                    raise
                continue
            page.wait_for_timeout(20)
            probe = page.evaluate(PROBE)
            if probe["markers"] or probe["injected"]:
                ran[name] = probe["markers"] + probe["injected"]
        context.close()
    assert ran == {}
    assert recorder.dialogs == []
