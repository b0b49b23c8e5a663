"""The ``metrics`` kind: the metrics dashboard and the practice coverage matrix, computed from the
releases' reports (site-wide pages, never per release).

``compute`` derives the figures (coverage, time to fix, risk acceptances, freshness) as plain
data, ``model`` is what the dashboard is drawn from, ``collect`` is the kind (the ``metrics`` entry
point) and reads the advisories, risk register and version index, ``render`` and ``charts`` draw
the dashboard from the model only; ``practices`` makes the practice coverage page.
"""
