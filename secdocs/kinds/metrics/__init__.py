"""The ``metrics`` kind: the metrics dashboard and the practice coverage matrix, computed from the
releases' reports (site-wide pages, never per release).

``compute`` derives the figures from the reports and the typed exports, ``charts`` draws the SVG
charts, ``dashboard`` and ``practices`` make the two pages, and ``collect`` is the kind (the
``metrics`` entry point).
"""
