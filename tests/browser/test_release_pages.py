"""Release pages as their readers use them, in Chromium at 375 px and 1400 px.

On the demo site and on a site built from the real 75-release history of sigstore-python
(``../shared/repos``, cloned into tmp_path, with corpus evidence placed on one tag): the verify
commands are within the first 1,000 px at 1400 px, the content column never overflows, every
status badge has a text alternative, no page asks another origin for anything, and "Check a file"
names the release and artifact of a published file and says "no match" for the same file with
one byte changed.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from secdocs.cli import main

from .server import serve

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
HISTORY = Path(os.environ.get("SECDOCS_REPOS", ROOT.parent / "shared" / "repos"))
BUNDLE = HISTORY / "sigstore-python-history.bundle"
WIDTHS = (375, 1400)

#: elements inside the content column that stick out of it (scrolling wrappers excepted)
OVERFLOW = """() => {
  const column = document.querySelector('.md-content');
  const edge = column.getBoundingClientRect().right + 1;
  const out = [];
  for (const el of column.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.right <= edge) continue;
    let clipped = false;
    for (let p = el.parentElement; p && p !== column; p = p.parentElement) {
      const o = getComputedStyle(p).overflowX;
      if (o === 'auto' || o === 'scroll' || o === 'hidden') { clipped = true; break; }
    }
    if (!clipped) out.push(el.tagName + '.' + el.className);
  }
  // Material's version menu is laid out (hidden) until opened; it is not page content
  const menu = document.querySelector('.md-version__list');
  if (menu) menu.style.display = 'none';
  const page = document.documentElement.scrollWidth - innerWidth;
  if (menu) menu.style.display = '';
  return {out: out.slice(0, 5), page};
}"""

#: status badges without a text alternative (their own words, or an aria-label)
UNLABELLED = """() => Array.from(document.querySelectorAll('.secdocs-badge'))
  .filter(b => !(b.textContent.trim() || b.getAttribute('aria-label') || b.title))
  .map(b => b.outerHTML).slice(0, 5)"""


def _build_demo(root: Path) -> Path:
    saved = os.environ.get("SOURCE_DATE_EPOCH")
    try:
        assert main(["demo", str(root)]) == 0
    finally:
        if saved is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = saved
    return root / "site"


@pytest.fixture(scope="module")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build_demo(tmp_path_factory.mktemp("demo") / "demo")


HISTORY_YML = """\
site_name: sigstore-python security evidence
theme:
  name: material
plugins:
  - search
  - secdocs:
      tags: "v*"
      evidence: "evidence/{tag}"
"""


@pytest.fixture(scope="module")
def history_site(tmp_path_factory: pytest.TempPathFactory, corpus_dir: Path) -> Path:
    """The real sigstore-python history, with a wheel's bundle and checksums on v3.0.0."""
    if not BUNDLE.is_file():
        message = f"release history not found at {BUNDLE} (set SECDOCS_REPOS)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    root = tmp_path_factory.mktemp("history") / "sigstore-python"
    subprocess.run(["git", "clone", "-q", str(BUNDLE), str(root)], check=True)
    (root / "mkdocs.yml").write_text(HISTORY_YML, encoding="utf-8")
    (root / "docs").mkdir(exist_ok=True)
    (root / "docs" / "index.md").write_text("# sigstore-python\n", encoding="utf-8")
    evidence = root / "evidence" / "v3.0.0"
    evidence.mkdir(parents=True)
    for name in ("a.txt", "a.txt.sig", "a.txt.crt"):
        shutil.copyfile(corpus_dir / "sigstore-python" / name, evidence / name)
    digest = hashlib.sha256((evidence / "a.txt").read_bytes()).hexdigest()
    (evidence / "SHA256SUMS").write_text(f"{digest}  a.txt\n", encoding="utf-8")
    site = root / "site"
    assert main(["build", "-f", str(root / "mkdocs.yml"), "-d", str(site)]) in (0, 1)
    return site


def _pages(site: Path) -> list[str]:
    return sorted(
        p.relative_to(site).as_posix()
        for p in site.rglob("index.html")
        if "/sbom/" not in p.as_posix() and "/components/" not in p.as_posix()
    )


def _open(browser: Any, base: str, width: int) -> tuple[Any, Any, list[str]]:
    context = browser.new_context(
        service_workers="block", viewport={"width": width, "height": 1000}
    )
    page = context.new_page()
    page.set_default_timeout(20_000)
    outside: list[str] = []

    def route(r: Any) -> None:
        if r.request.url.startswith(base):
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    return context, page, outside


@pytest.fixture(scope="module", params=["demo", "history"])
def site(request: pytest.FixtureRequest) -> Iterator[tuple[str, Path, str]]:
    if request.param == "demo":
        root = request.getfixturevalue("demo_site")
        release = "releases/v2.0.0/"
    else:
        root = request.getfixturevalue("history_site")
        release = "releases/v3.0.0/"
    yield request.param, root, release


def test_verify_commands_are_in_the_first_1000_px(
    browser: Any, site: tuple[str, Path, str]
) -> None:
    name, root, release = site
    # the demo's v1.2.1 has problems (an invalid threat-model delta): they come after the commands
    releases = [release, "releases/v1.2.1/"] if name == "demo" else [release]
    with serve(root) as base:
        context, page, _ = _open(browser, base, 1400)
        for path in releases:
            page.goto(base + path, wait_until="load")
            heading = page.locator("h2#verify-your-download")
            top = heading.bounding_box()
            first = page.locator(".secdocs-command").first.bounding_box()
            toc = page.locator('.md-sidebar--secondary a[href="#verify-your-download"]').count()
            assert top is not None and first is not None
            assert first["y"] < 1000, f"{path}: first verify command at {first['y']} px"
            assert toc == 1  # "Verify your download" is in the table of contents
        context.close()


def test_no_overflow_labelled_badges_and_no_outside_request(
    browser: Any, site: tuple[str, Path, str]
) -> None:
    name, root, release = site
    pages = _pages(root)
    if (
        name == "history"
    ):  # 75 releases: the release pages of the newest, the evidence tag and the rest
        pages = [p for p in pages if not p.startswith("releases/v") or "v3.0.0" in p or "v4" in p]
    problems: list[str] = []
    with serve(root) as base:
        for width in WIDTHS:
            context, page, outside = _open(browser, base, width)
            for path in pages:
                page.goto(base + path, wait_until="load")
                overflow = page.evaluate(OVERFLOW)
                if overflow["out"] or overflow["page"] > 0:
                    problems.append(f"{width}px {path}: overflow {overflow}")
                unlabelled = page.evaluate(UNLABELLED)
                if unlabelled:
                    problems.append(f"{path}: badges without text {unlabelled}")
            context.close()
            if outside:
                problems.append(f"{width}px: requests to other origins {sorted(set(outside))[:5]}")
    assert problems == []
    assert release + "index.html" in pages


def test_check_a_file_names_the_release_and_artifact(
    browser: Any, site: tuple[str, Path, str], tmp_path: Path
) -> None:
    name, root, _release = site
    tag, artifact = ("v2.0.0", "widget-2.0.0.tar.gz") if name == "demo" else ("v3.0.0", "a.txt")
    original = root / "releases" / tag / "files" / artifact
    changed = tmp_path / artifact
    data = bytearray(original.read_bytes())
    data[len(data) // 2] ^= 0x01
    changed.write_bytes(bytes(data))
    with serve(root) as base:
        context, page, outside = _open(browser, base, 1400)
        page.goto(base + "check-file/", wait_until="load")
        page.set_input_files("input[type=file]", str(original))
        page.locator(".secdocs-check-result").first.wait_for()
        found = page.locator("[data-role=result]").inner_text()
        page.set_input_files("input[type=file]", str(changed))
        page.get_by_text("No match").wait_for()
        missing = page.locator("[data-role=result]").inner_text()
        context.close()
    assert f"Match: {artifact} of release {tag}" in found
    assert hashlib.sha256(original.read_bytes()).hexdigest() in found
    assert "No match" in missing and "Match:" not in missing
    assert outside == []


VECTORS = [
    ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
    ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
    (
        "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
    ),
]


def test_the_shipped_sha256_matches_known_vectors_in_any_slicing(
    browser: Any, demo_site: Path
) -> None:
    script = (ROOT / "secdocs" / "assets" / "check-file.js").read_text(encoding="utf-8")
    context = browser.new_context()
    page = context.new_page()
    page.set_content("<html><body></body></html>")
    page.add_script_tag(content=script)
    for text, expected in VECTORS:
        for cut in (1, 3, 63, 64, 65):
            got = page.evaluate(
                """([text, cut]) => {
                  const bytes = new TextEncoder().encode(text);
                  const h = new window.secdocsSha256.Sha256();
                  for (let i = 0; i < bytes.length; i += cut) h.update(bytes.subarray(i, i + cut));
                  return h.hex();
                }""",
                [text, cut],
            )
            assert got == expected, (text, cut)
    million = page.evaluate(
        """() => { const h = new window.secdocsSha256.Sha256();
                   const chunk = new Uint8Array(1000).fill(97);
                   for (let i = 0; i < 1000; i++) h.update(chunk);
                   return h.hex(); }"""
    )
    assert million == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"
    # a file read in slices gives the digest of the whole file
    size = 9 * 1024 * 1024 + 7  # more than two slices, and a partial block at the end
    sliced = page.evaluate(
        """async (size) => {
          const bytes = new Uint8Array(size).map((_, i) => (i * 31) & 255);
          return await window.secdocsSha256.digestFile(new Blob([bytes]));
        }""",
        size,
    )
    context.close()
    expected = hashlib.sha256(bytes((i * 31) & 255 for i in range(size))).hexdigest()
    assert sliced == expected


#: Material's table wrappers that scroll because their table is wider than the content column
SCROLLING_TABLES = """() => Array.from(
    document.querySelectorAll('.md-content .md-typeset__scrollwrap'))
  .filter(w => w.scrollWidth > w.clientWidth + 1)
  .map(w => (w.closest('.secdocs-table-wrap') || w).className + ': '
    + (w.scrollWidth - w.clientWidth))"""


def test_tables_wear_materials_look_and_fit_the_column_at_1400(
    browser: Any, site: tuple[str, Path, str]
) -> None:
    """Tables carry no class (Material styles only ``table:not([class])``), so they get its rules
    and left-aligned headers; on a wide screen none on a release page or the practice matrix is
    wider than the content column (the checks' signer is never scrolled out of sight)."""
    _name, root, release = site
    problems: list[str] = []
    with serve(root) as base:
        context, page, _ = _open(browser, base, 1400)
        for path in (release, "practices/", "releases/"):
            page.goto(base + path, wait_until="load")
            classed = page.evaluate(
                "() => Array.from(document.querySelectorAll('.md-content table[class]'))"
                ".map(t => t.className)"
            )
            if classed:
                problems.append(f"{path}: tables with a class {classed[:5]}")
            wide = page.evaluate(SCROLLING_TABLES)
            if wide:
                problems.append(f"{path}: tables wider than the column {wide}")
            aligned = page.evaluate(
                "() => Array.from(document.querySelectorAll('.md-content .secdocs-table-wrap th'))"
                ".filter(th => getComputedStyle(th).textAlign !== 'left').length"
            )
            if aligned:
                problems.append(f"{path}: {aligned} headers not left-aligned")
        context.close()
    assert problems == []


def test_the_checks_signer_is_in_sight_at_both_widths(browser: Any, demo_site: Path) -> None:
    """The demo's v2.0.0 signatures and provenance name their signer (the release key): the
    words "signed by" sit inside the visible part of the checks table at 375 and 1400 px."""
    seen = []
    with serve(demo_site) as base:
        for width in WIDTHS:
            context, page, _ = _open(browser, base, width)
            page.goto(base + "releases/v2.0.0/", wait_until="load")
            boxes = page.evaluate(
                """() => Array.from(document.querySelectorAll('.secdocs-release-checks td small'))
                  .filter(s => s.textContent.startsWith('signed by')).map(s => {
                    const wrap = s.closest('.md-typeset__scrollwrap') || s.closest('table');
                    const r = s.getBoundingClientRect(), w = wrap.getBoundingClientRect();
                    return {right: r.right, edge: w.right, text: s.textContent};
                  })"""
            )
            context.close()
            assert boxes, f"{width}px: no signer shown in the checks table"
            for box in boxes:
                assert box["right"] <= box["edge"] + 1, (width, box)
            seen.append(boxes[0]["text"])
    assert all(text == "signed by key keys/release.pub" for text in seen), seen


def test_sbom_versions_stay_on_one_line(browser: Any, demo_site: Path) -> None:
    lines = {}
    with serve(demo_site) as base:
        for width in WIDTHS:
            context, page, _ = _open(browser, base, width)
            page.goto(base + "releases/v2.0.0/sbom/", wait_until="load")
            lines[width] = page.evaluate(
                """() => Array.from(
                    document.querySelectorAll('.secdocs-sbom-table td:nth-child(2)'))
                  .map(td => { const r = document.createRange(); r.selectNodeContents(td);
                    const tops = Array.from(r.getClientRects()).map(b => Math.round(b.top));
                    return new Set(tops).size; })"""
            )
            context.close()
    for width, counts in lines.items():
        assert counts, f"{width}px: no SBOM component rows"
        assert max(counts) == 1, f"{width}px: a version wraps over {max(counts)} lines"


def test_practice_matrix_fits_and_links_every_cell(
    browser: Any, site: tuple[str, Path, str]
) -> None:
    """Each status in the matrix is an icon inside a link to its evidence (a published file or
    the release page), with its word for screen readers; at 375 px the release column stays in
    view (sticky) while the activities scroll; at 1400 px the matrix fits the column."""
    _name, root, _release = site
    with serve(root) as base:
        for width in WIDTHS:
            context, page, _ = _open(browser, base, width)
            page.goto(base + "practices/", wait_until="load")
            cells = page.evaluate(
                """() => Array.from(
                    document.querySelectorAll('.secdocs-practices td .secdocs-badge'))
                  .map(b => ({href: b.closest('a') ? b.closest('a').href : null,
                              word: b.textContent.trim(),
                              icon: !!b.querySelector('.secdocs-icon[aria-hidden=true]')}))"""
            )
            sticky = page.evaluate(
                "() => getComputedStyle(document.querySelector('.secdocs-practices td')).position"
            )
            overflow = page.evaluate(OVERFLOW)
            wide = page.evaluate(SCROLLING_TABLES) if width == 1400 else []
            links = sorted({c["href"] for c in cells if c["href"]})
            missing = []
            for href in links:
                target = root / href[len(base) :].split("#")[0]
                if href.endswith("/"):
                    target = target / "index.html"
                if not target.is_file():
                    missing.append(href)
            context.close()
            assert cells, f"{width}px: no status in the matrix"
            assert all(c["href"] and c["word"] and c["icon"] for c in cells), cells[:3]
            assert missing == [], missing[:5]
            assert sticky == "sticky"
            assert overflow["out"] == [] and overflow["page"] <= 0, overflow
            assert wide == [], wide


def test_status_icons_differ_by_status_and_carry_the_word(browser: Any, demo_site: Path) -> None:
    """Colour is never the only signal: each status has its own icon shape, and its word."""
    with serve(demo_site) as base:
        context, page, _ = _open(browser, base, 1400)
        page.goto(base + "releases/", wait_until="load")
        icons = page.evaluate(
            """() => { const seen = {};
              for (const b of document.querySelectorAll('.md-content .secdocs-badge')) {
                const tone = Array.from(b.classList).find(c => ['secdocs-verified',
                  'secdocs-failed', 'secdocs-missing', 'secdocs-present',
                  'secdocs-unverifiable'].includes(c));
                const icon = b.querySelector('.secdocs-icon');
                if (tone && icon) seen[tone] = [getComputedStyle(icon).maskImage.slice(0, 200),
                                                b.textContent.trim()];
              } return seen; }"""
        )
        context.close()
    assert len(icons) >= 3, icons
    shapes = [shape for shape, _word in icons.values()]
    assert len(set(shapes)) == len(shapes), "two statuses share an icon"
    assert all(shape.startswith("url(") for shape in shapes)
    for tone, (_shape, word) in icons.items():
        assert tone.removeprefix("secdocs-") in word, (tone, word)


def test_latest_without_evidence_points_to_the_newest_verified_release(
    browser: Any, history_site: Path
) -> None:
    """sigstore-python's newest tag has no evidence: its latest page says so and links the
    newest release that has verified evidence, within the first 1,000 px."""
    with serve(history_site) as base:
        context, page, _ = _open(browser, base, 1400)
        page.goto(base + "releases/latest/", wait_until="load")
        note = page.locator(".secdocs-elsewhere")
        box = note.bounding_box()
        text = note.inner_text()
        href = note.locator("a").get_attribute("href")
        verdict = page.locator(".secdocs-verdict").inner_text()
        context.close()
    assert box is not None and box["y"] + box["height"] < 1000, box
    assert "v3.0.0" in text and "v4.5.0" in text
    assert href is not None and "v3.0.0" in href
    assert "security evidence v" not in verdict  # the site name is not repeated as the project


def test_problems_are_an_admonition_after_the_commands(browser: Any, demo_site: Path) -> None:
    """The demo's v1.2.1 has an invalid threat-model delta: its problems are a Material
    admonition (failure: one is an error) listing each problem evidence.json records."""
    import json

    document = json.loads((demo_site / "releases" / "v1.2.1" / "evidence.json").read_text())
    release = document["releases"][0] if "releases" in document else document
    recorded = release["problems"]
    assert any(p["severity"] == "error" for p in recorded)
    with serve(demo_site) as base:
        context, page, _ = _open(browser, base, 1400)
        page.goto(base + "releases/v1.2.1/", wait_until="load")
        box = page.locator(".admonition.failure.secdocs-problems")
        rows = box.locator("tbody tr").count()
        title = box.locator(".admonition-title").inner_text()
        below = page.evaluate(
            """() => document.querySelector('.secdocs-problems').getBoundingClientRect().top
                 > document.querySelector('.secdocs-command').getBoundingClientRect().top"""
        )
        context.close()
    assert rows == len(recorded)
    assert title.startswith(f"{len(recorded)} problem")
    assert below
