"""Container images as release evidence: OCI image layouts, image signatures and attestations,
Trivy scans, hardened-image checks.

``options`` declares the ``containers:`` block, ``model`` holds the typed results (no I/O),
``layout`` and ``trivy`` read the inputs, ``verify`` checks image signatures with
:mod:`secdocs.verify.bundles`, ``collect`` is the collector and ``render`` draws the section
from the model only.
"""
