"""Escaping and HTML building blocks for pages made from untrusted evidence.

Rule of the renderers: every string that comes from evidence, git or configuration reaches a page
through :func:`esc`, :func:`attr`, :func:`safe_href`, :func:`text_block` or
:func:`markdown_to_html`.
Tables are emitted as HTML blocks (Python-Markdown leaves block-level HTML alone, so nothing inside
them is re-interpreted as Markdown) — which is also much faster than Markdown tables.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from urllib.parse import urlsplit

from markdown_it import MarkdownIt
from markupsafe import Markup

from secdocs.model import Assurance, Status
from secdocs.render.escape import CONTROL as _CONTROL
from secdocs.render.escape import esc
from secdocs.render.jinja import macros

__all__ = ["esc"]

_SAFE_SCHEMES = frozenset({"http", "https", "mailto"})


def attr(value: object) -> Markup:
    """A value for a double-quoted HTML attribute."""
    return esc(value)


def safe_href(url: str | None) -> str | None:
    """``url`` if it is an absolute http(s)/mailto URL or a plain relative path, else ``None``."""
    if not url or _CONTROL.search(url) or any(c.isspace() for c in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme:
        return url if parts.scheme.lower() in _SAFE_SCHEMES else None
    if url.startswith("//"):
        return None
    return url


def ui(name: str, /, *args: object, source: str = "macros.html") -> Markup:
    """Call the macro ``name`` of the template ``source`` (every value it prints is escaped)."""
    macro = getattr(macros(source), name)
    return Markup(macro(*args))  # noqa: S704  # nosec B704 - autoescaped template output


def link(text: object, url: str | None) -> Markup:
    """An ``<a>`` element, or plain escaped text when the URL is not safe."""
    href = safe_href(url)
    if href is None:
        return esc(text)
    external = href.startswith(("http://", "https://"))
    return ui("link", text, href, external)


def code(value: object) -> Markup:
    return ui("code", value)


def text_block(value: str, language: str = "text") -> Markup:
    """A preformatted block for commands or file excerpts."""
    return ui("text_block", value, language)


STATUS_LABELS = {
    Status.VERIFIED: "verified",
    Status.PRESENT: "present",
    Status.MISSING: "missing",
    Status.UNVERIFIABLE: "unverifiable",
    Status.FAILED: "failed",
}


#: what each assurance means, shown as the badge's tooltip
ASSURANCE_MEANING = {
    Assurance.AUTHENTICITY: "a signature or attestation checked against a pinned identity or key",
    Assurance.INTEGRITY: "a checksum matched: the bytes are the ones listed, not who made them",
    Assurance.VALIDITY: "the document parses and conforms to its schema",
}


def badge(
    status: Status | None, assurance: Assurance | None = None, *, compact: bool = False
) -> Markup:
    """The status badge of a check (the one ``badge`` macro of ``macros.html``).

    A verified item's badge also says what was verified, with its meaning as the tooltip.
    ``compact``: the status icon alone on screen; the word stays for screen readers.
    """
    if status is None:
        return ui("badge", "none", "no evidence", "", "", compact)
    if status is Status.VERIFIED and assurance is not None:
        return ui(
            "badge",
            status.value,
            STATUS_LABELS[status],
            assurance.value,
            ASSURANCE_MEANING[assurance],
            compact,
        )
    return ui("badge", status.value, STATUS_LABELS[status], "", "", compact)


def tone_badge(tone: str, label: str) -> Markup:
    """A badge for a state that is not a check status (``overdue``, ``supported``, ...).

    ``tone`` is one of the check statuses' CSS tones (``verified``, ``failed``, ``missing``,
    ``present``, ``none``) so the colours keep one meaning across the site.
    """
    return ui("badge", tone, label)


def table(
    headers: Sequence[str],
    rows: Iterable[Sequence[Markup]],
    *,
    css_class: str = "secdocs-table",
    table_id: str | None = None,
) -> Markup:
    """An HTML table. ``headers`` are escaped; each cell must already be :class:`Markup`."""
    return ui("table", headers, list(rows), css_class, table_id)


#: comments around every block; :func:`esc` escapes ``<``, so evidence cannot forge them
BLOCK_START = "<!--secdocs:block-->"
BLOCK_END = "<!--/secdocs:block-->"


def html_block(inner: Markup) -> Markup:
    """Wrap HTML so Python-Markdown treats it as one raw block (blank lines around it).

    The MkDocs plugin lifts these blocks out before Markdown runs and puts them back into the
    rendered page (see :func:`lift_blocks`): they are already HTML, and parsing large tables as
    raw HTML was most of the build time.
    """
    return ui("block", inner)


def lift_blocks(markdown: str, token: str) -> tuple[str, list[str]]:
    """Replace each outermost :func:`html_block` with a placeholder paragraph ``{token}{n}``.

    Returns the Markdown to render and the blocks, to be restored with :func:`restore_blocks`.
    ``token`` must be unguessable (a fresh random string per page), so nothing in the
    Markdown can stand for a block.
    """
    blocks: list[str] = []
    out: list[str] = []
    position = 0
    depth = 0
    start = 0
    index = 0
    while True:
        next_start = markdown.find(BLOCK_START, index)
        next_end = markdown.find(BLOCK_END, index)
        if next_end == -1:
            break
        if next_start != -1 and next_start < next_end:
            if depth == 0:
                start = next_start
            depth += 1
            index = next_start + len(BLOCK_START)
            continue
        index = next_end + len(BLOCK_END)
        if depth == 0:
            continue  # an unmatched end marker: leave the text as it is
        depth -= 1
        if depth == 0:
            out.append(markdown[position:start])
            out.append(f"\n\n{token}{len(blocks)}x\n\n")
            blocks.append(markdown[start:index])
            position = index
    out.append(markdown[position:])
    return "".join(out), blocks


def restore_blocks(html_text: str, token: str, blocks: list[str]) -> str:
    """Put lifted blocks back into the HTML Markdown produced."""
    for number in range(len(blocks) - 1, -1, -1):
        placeholder = f"{token}{number}x"
        block = blocks[number]
        wrapped = f"<p>{placeholder}</p>"
        if wrapped in html_text:
            html_text = html_text.replace(wrapped, block, 1)
        else:
            html_text = html_text.replace(placeholder, block, 1)
    return html_text


def heading_text(value: object) -> Markup:
    """Text for a Markdown heading: escaped, single line."""
    return esc(str(value).replace("\n", " ").replace("\r", " "))


_MD = (
    MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    .enable("table")
    .enable("strikethrough")
)


def _validate_link(url: str) -> bool:
    return safe_href(url.strip()) is not None


_MD.validateLink = _validate_link  # type: ignore[method-assign]


def with_note(main: object, note: object, what: str = "", always: bool = False) -> Markup:
    """``main`` with a smaller second line (``what: note``) when ``note`` is set."""
    return ui("with_note", main, note, what, always)


def digest(value: str) -> Markup:
    return ui("digest", value)


def markdown_to_html(source: str) -> Markup:
    """Render untrusted Markdown to HTML with raw HTML disabled and only safe link schemes.

    The result is wrapped so the page's own Markdown processor leaves it alone.
    """
    rendered = _MD.render(source)
    # Images from evidence would make readers' browsers fetch arbitrary URLs: show them as links.
    rendered = re.sub(r'<img src="([^"]*)" alt="([^"]*)"[^>]*>', r'<a href="\1">\2</a>', rendered)
    return html_block(Markup(rendered))  # noqa: S704  # nosec B704 - raw HTML off
