"""The one escaping function of secdocs' pages (used by the templates and the Python helpers).

It has no secdocs imports, so the template environment (:mod:`secdocs.render.jinja`) and the
HTML helpers (:mod:`secdocs.render.html`) both use it without importing each other in a cycle.
"""

from __future__ import annotations

import html
import re

from markupsafe import Markup

CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def esc(value: object) -> Markup:
    """Escape any value for HTML text or a quoted attribute.

    Markdown punctuation is escaped too, so the result is inert both in an HTML block and in
    Markdown text (headings, list items) where Python-Markdown would otherwise read ``*``, ``[``,
    backticks or ``_`` as syntax.
    """
    text = CONTROL.sub("\ufffd", "" if value is None else str(value))
    escaped = html.escape(text, quote=False).translate(_MD_ESCAPES)
    return Markup(escaped.replace('"', "&quot;").replace("'", "&#39;"))  # noqa: S704  # nosec B704 - escaped


_MD_ESCAPES = str.maketrans(
    {
        "*": "&#42;",
        "_": "&#95;",
        "`": "&#96;",
        "[": "&#91;",
        "]": "&#93;",
        "\\": "&#92;",
        "!": "&#33;",
        "|": "&#124;",
        "#": "&#35;",
        "{": "&#123;",
        "}": "&#125;",
        "~": "&#126;",
        "=": "&#61;",
        "^": "&#94;",
        ":": "&#58;",
    }
)
