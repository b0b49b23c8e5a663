"""XSS payloads of every OWASP cheat-sheet class, each carrying a unique marker.

Every payload for field ``F`` and class ``C`` would, if it ever ran, set ``window.__xss_F_C``,
set ``document.title`` to ``XSS-F_C`` or open a dialog saying ``xss-F_C``. The marker text
``__xss_F_C`` also appears literally in the payload, so a test can prove the payload reached the
page (as inert text) instead of silently vanishing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

#: (class name, template). ``{n}`` is the marker id. Templates that need a ``/`` are marked by
#: the class list below so fields that cannot hold a slash (file names) skip them.
CLASSES: tuple[tuple[str, str], ...] = (
    ("script-tag", "<script>window.__xss_{n}=1</script>"),
    ("event-handler", '<img src=x onerror="window.__xss_{n}=1">'),
    ("autofocus", '" autofocus onfocus="window.__xss_{n}=1" x="'),
    (
        "attr-single-quote",
        "' onmouseover='window.__xss_{n}=1' autofocus onfocus='window.__xss_{n}=1",
    ),
    ("attr-breakout", '"><svg onload="window.__xss_{n}=1">'),
    ("javascript-url", '<a href="javascript:window.__xss_{n}=1">__xss_{n}</a>'),
    ("markdown-link", "[__xss_{n}](javascript:window.__xss_{n}=1)"),
    ("markdown-autolink", "<javascript:alert('xss-{n}')> __xss_{n}"),
    ("markdown-image", "![__xss_{n}](javascript:alert('xss-{n}'))"),
    ("markdown-image-attr", '![__xss_{n}" onerror="window.__xss_{n}=1](x.png)'),
    (
        "markdown-data-url",
        "[__xss_{n}](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    ),
    ("svg", "<svg><script>alert('xss-{n}')</script></svg>"),
    ("svg-animate", '<svg><animate onbegin="window.__xss_{n}=1" attributeName=x dur=1s>'),
    (
        "textarea-breakout",
        "</textarea></title></code></pre></table><script>window.__xss_{n}=1</script>",
    ),
    ("template", "{{{{constructor.constructor('window.__xss_{n}=1')()}}}} ${{window.__xss_{n}=1}}"),
    (
        "css-expression",
        "<div style=\"background:url(javascript:alert('xss-{n}'));"
        "width:expression(alert('xss-{n}'))\">"
        "__xss_{n}</div><style>@import 'javascript:alert(1)';</style>",
    ),
    (
        "entity",
        "&lt;script&gt;window.__xss_{n}=1&lt;/script&gt; "
        "&#60;img src=x onerror=window.__xss_{n}=1&#62;",
    ),
    ("entity-href", "<a href=\"&#106;avascript:document.title='XSS-{n}'\">__xss_{n}</a>"),
    (
        "unicode-rtl",
        "\u202e<script>window.__xss_{n}=1</script>\u202c "
        "\uff1cscript\uff1e__xss_{n}\uff1c/script\uff1e",
    ),
    ("iframe-srcdoc", '<iframe srcdoc="<script>parent.__xss_{n}=1</script>"></iframe>'),
    ("details-toggle", '<details open ontoggle="window.__xss_{n}=1">'),
    ("meta-refresh", '<meta http-equiv="refresh" content="0;url=javascript:alert(\'xss-{n}\')">'),
    ("title", "<img src=x onerror=\"document.title='XSS-{n}'\">"),
    ("dialog", "<img src=x onerror=\"alert('xss-{n}')\">"),
)

CLASS_NAMES = tuple(name for name, _ in CLASSES)


@dataclass(frozen=True)
class Payload:
    field: str
    klass: str
    marker: str  # e.g. "3_7"
    text: str
    #: the field is shown on a page (some planted fields are only parsed, never displayed)
    shown: bool = True

    @property
    def visible(self) -> str:
        """The literal marker text of this payload that must show up on some page."""
        for token in (f"__xss_{self.marker}", f"xss-{self.marker}", f"XSS-{self.marker}"):
            if token in self.text:
                return token
        raise AssertionError(f"payload {self.klass} carries no marker")


class Registry:
    """Hands out payloads per field and remembers them for the assertions."""

    def __init__(self) -> None:
        self.fields: list[str] = []
        self.payloads: list[Payload] = []

    def for_field(
        self,
        field: str,
        *,
        slash: bool = True,
        quotes: bool = True,
        classes: slice | None = None,
        shown: bool = True,
        hidden: tuple[str, ...] = (),
    ) -> list[Payload]:
        """Payloads of every class (or ``classes``) for a new field. ``shown=False``: the field is
        parsed but never displayed; ``hidden``: classes the renderer legitimately withholds."""
        if field in self.fields:
            raise ValueError(f"field {field!r} registered twice")
        index = len(self.fields)
        self.fields.append(field)
        out = []
        chosen = range(len(CLASSES))[classes] if classes is not None else range(len(CLASSES))
        for c in chosen:
            name, template = CLASSES[c]
            marker = f"{index}_{c}"
            text = template.format(n=marker)
            if not slash and "/" in text:
                continue
            if not quotes and ('"' in text or "'" in text):
                continue
            out.append(Payload(field, name, marker, text, shown and name not in hidden))
        self.payloads.extend(out)
        return out

    def lines(self, field: str, **kwargs: Any) -> str:
        """Every payload of a new field, one per line."""
        return "\n".join(p.text for p in self.for_field(field, **kwargs))

    def one_line(self, field: str, **kwargs: Any) -> str:
        return " ".join(p.text for p in self.for_field(field, **kwargs))

    def by_marker(self, marker: str) -> Payload | None:
        return next((p for p in self.payloads if p.marker == marker), None)
