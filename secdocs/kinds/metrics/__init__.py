"""The ``metrics`` kind: the metrics dashboard and the practice coverage matrix, computed from the
releases' reports (site-wide pages, never per release).

``compute`` derives the figures (coverage, time to fix, risk acceptances, freshness) and
``practices`` the practice matrix as plain data, ``model`` is what the dashboard is drawn from,
``collect`` is the kind (the ``metrics`` entry point) and reads the advisories, risk register,
version index, SARIF logs and each release's SECURITY.md, and ``render`` and ``charts`` draw both
pages from that data only.
"""
