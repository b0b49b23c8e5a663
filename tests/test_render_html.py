from __future__ import annotations

import pytest
from markupsafe import Markup

from secdocs.model import Status
from secdocs.render.html import (
    badge,
    esc,
    link,
    markdown_to_html,
    safe_href,
    table,
    text_block,
)
from secdocs.render.urls import page_href, relative_url

PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "' onmouseover='alert(1)",
    "<svg/onload=alert(1)>",
    "[click](javascript:alert(1))",
    "![x](javascript:alert(1))",
    "`code` *em* _u_ {: .cls}",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_esc_leaves_no_markup(payload: str) -> None:
    out = esc(payload)
    for ch in "<>\"'`*_[]":
        assert ch not in out


def test_esc_control_characters_and_none() -> None:
    assert esc(None) == ""
    assert esc("a\x00b\x1bc") == "a\ufffdb\ufffdc"


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://example.org/x?y=1", True),
        ("http://example.org", True),
        ("mailto:security@example.org", True),
        ("files/widget.tar.gz", True),
        ("../v1/", True),
        ("javascript:alert(1)", False),
        ("JaVaScRiPt:alert(1)", False),
        ("data:text/html,<script>", False),
        ("vbscript:x", False),
        ("//evil.example/x", False),
        ("java\tscript:alert(1)", False),
        ("https://a.example/\x00", False),
        ("", False),
        (None, False),
        ("http://[::1", False),
    ],
)
def test_safe_href(url: str | None, ok: bool) -> None:
    assert (safe_href(url) is not None) is ok


def test_link_drops_unsafe_urls_and_marks_external() -> None:
    assert link("x<y", "javascript:alert(1)") == "x&lt;y"
    external = link("site", "https://example.org")
    assert 'rel="noopener noreferrer nofollow"' in external
    assert "rel=" not in link("local", "files/a")


def test_table_badge_block() -> None:
    html = table(("A<b>",), [(Markup("<i>x</i>"),)], table_id="t")
    assert "<th>A&lt;b&gt;</th>" in html and 'id="t"' in html
    assert "<td><i>x</i></td>" in html  # Markup cells are HTML secdocs built
    raw = table(("A",), [("<i>x</i>",)])  # type: ignore[list-item]  # what mypy rejects
    assert "<td>&lt;i&gt;x&lt;/i&gt;</td>" in raw  # and a plain string is escaped all the same
    assert "secdocs-failed" in badge(Status.FAILED)
    assert "no evidence" in badge(None)
    assert "&lt;script&gt;" in text_block("<script>", "shell")


def test_markdown_from_evidence_renders_without_raw_html() -> None:
    source = (
        "# Title\n\n<script>alert(1)</script>\n\n"
        "<img src=x onerror=alert(1)>\n\n"
        "[bad](javascript:alert(1)) [good](https://example.org)\n\n"
        "![pixel](https://tracker.example/p.png)\n"
    )
    out = markdown_to_html(source)
    assert "<script" not in out and "<img" not in out
    assert "onerror=alert" not in out.replace("onerror=alert(1)&gt;", "")
    assert 'href="javascript' not in out
    assert '<a href="https://example.org">good</a>' in out
    assert '<a href="https://tracker.example/p.png">pixel</a>' in out


def test_urls() -> None:
    assert page_href("releases/v1/index.md", True) == "releases/v1/"
    assert page_href("releases/v1/sbom.md", False) == "releases/v1/sbom.html"
    assert page_href("index.md", True) == "./"
    assert relative_url("releases/v1/index.md", "releases/v1/sbom.md", True) == "sbom/"
    assert relative_url("releases/v1/sbom.md", "releases/v1/files/a", True) == "../files/a"
    assert relative_url("releases/v1/index.md", "releases/v1/sbom.md", False) == "sbom.html"
    assert relative_url("releases/index.md", "releases/index.md", True) == "./"


def test_esc_quotes_render_as_quotes() -> None:
    import html as stdlib_html

    for text in ("it's", 'say "hi"', "a < b & c > d", "#1 *bold* [x](y)"):
        assert stdlib_html.unescape(esc(text)) == text


def test_blocks_are_lifted_and_restored_outermost_first() -> None:
    from secdocs.render.html import html_block, lift_blocks, restore_blocks

    inner = html_block(Markup("<p>inner</p>"))
    outer = html_block(Markup("<div>outer") + inner + Markup("</div>"))
    markdown = "# Title\n" + outer + "text\n" + html_block(Markup("<b>2</b>"))
    lifted, blocks = lift_blocks(markdown, "TOKEN")
    assert len(blocks) == 2 and "inner" in blocks[0] and "<b>2</b>" in blocks[1]
    assert "secdocs:block" not in lifted and "TOKEN0x" in lifted and "TOKEN1x" in lifted
    html = "<h1>Title</h1>\n<p>TOKEN0x</p>\n<p>text</p>\n<p>TOKEN1x</p>"
    restored = restore_blocks(html, "TOKEN", blocks)
    assert "TOKEN" not in restored
    assert restored.index("inner") < restored.index("text") < restored.index("<b>2</b>")
    # A placeholder that Markdown did not wrap in a paragraph is still replaced.
    assert restore_blocks("<div>TOKEN0x</div>", "TOKEN", ["<i>x</i>"]) == "<div><i>x</i></div>"
    # Unbalanced markers are left alone rather than swallowing the page.
    assert lift_blocks("a <!--/secdocs:block--> b", "T") == ("a <!--/secdocs:block--> b", [])


def test_evidence_text_cannot_forge_block_markers() -> None:
    from secdocs.render.html import BLOCK_END, BLOCK_START

    assert BLOCK_START not in esc(BLOCK_START) and BLOCK_END not in esc(BLOCK_END)
