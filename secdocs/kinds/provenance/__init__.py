"""Build provenance: SLSA and npm publish attestations, in-toto statements in DSSE envelopes or
Sigstore bundles.

``names`` finds provenance files and their subjects, ``options`` declares ``provenance:``,
``slsa`` and ``npm`` read the predicates, ``model`` holds the typed results, ``collect`` is the
kind (the ``provenance`` entry point; signatures are checked by :mod:`secdocs.verify`) and
``render`` draws the section from the model only.
"""
