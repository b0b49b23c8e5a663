"""Static SVG charts drawn with pygal at build time: no script, no CDN, stable ids.

Each chart is published as a file and shown with ``<img>`` (a browser never runs scripts in an
image), and every chart on a page is followed by the table of its data.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import pygal
from pygal.style import Style

_STYLE = Style(
    background="white",
    plot_background="white",
    foreground="#333333",
    foreground_strong="#111111",
    foreground_subtle="#666666",
    colors=("#2e7d32", "#1565c0", "#c62828", "#ef6c00", "#6a1b9a"),
    font_family="sans-serif",
    label_font_size=13,
    major_label_font_size=13,
    legend_font_size=14,
    title_font_size=16,
)
_SCRIPT = re.compile(r"<script\b[^>]*>.*?</script>|<script\b[^>]*/>", re.DOTALL)


def _config(chart_id: str, title: str) -> dict[str, object]:
    return {
        "title": title,
        "style": _STYLE,
        "js": [],
        "width": 800,
        "height": 360,
        "disable_xml_declaration": False,
        "show_legend": True,
        "legend_at_bottom": True,
        "truncate_label": 20,
        "x_label_rotation": 30,
    }


#: at most this many x-axis labels are written; the others are left out (every value is still
#: plotted, and the table under each chart has them all)
MAX_X_LABELS = 12


def _axis(chart: pygal.graph.graph.Graph, labels: Sequence[str]) -> None:
    """Label the x axis readably however many releases there are: with more than
    :data:`MAX_X_LABELS`, only evenly spaced labels (the first and the last among them)."""
    chart.x_labels = list(labels)
    count = len(labels)
    if count > MAX_X_LABELS:
        step = -(-(count - 1) // (MAX_X_LABELS - 1))  # ceiling division
        chart.x_labels_major = [labels[i] for i in range(0, count, step)]
        if (count - 1) % step:
            chart.x_labels_major.append(labels[-1])
        chart.show_minor_x_labels = False


def _render(chart: pygal.graph.graph.Graph, chart_id: str) -> bytes:
    chart.uuid = chart_id  # pygal draws a random id otherwise: builds must be identical
    svg = chart.render()
    text = svg.decode() if isinstance(svg, bytes) else str(svg)
    return _SCRIPT.sub("", text).encode()


def line(
    chart_id: str,
    title: str,
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    max_value: float | None = None,
) -> bytes:
    chart = pygal.Line(**_config(chart_id, title), range=(0, max_value) if max_value else None)
    _axis(chart, labels)
    for name, values in series:
        chart.add(name, list(values))
    return _render(chart, chart_id)


def bars(
    chart_id: str,
    title: str,
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
) -> bytes:
    chart = pygal.Bar(**_config(chart_id, title))
    _axis(chart, labels)
    for name, values in series:
        chart.add(name, list(values))
    return _render(chart, chart_id)
