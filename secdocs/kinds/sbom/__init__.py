"""SBOMs, VEX documents and scanner reports of a release (documents read by :mod:`secdocs.sbom`).

``options`` declares the ``sbom:`` block, ``licences`` evaluates the licence rules, ``diff``
compares releases, ``model`` holds the typed findings, ``export`` is what other kinds may read,
``collect`` is the kind (the ``sbom`` entry point) and ``render`` draws the section and the
per-release SBOM pages from the model only.
"""
