"""The ``secdocs`` subcommands that are not the build itself, one module each: ``init`` (scaffold
the release flow), ``collect`` (record a release's evidence in its folder or on the evidence
ref), ``policy`` (write or check SECURITY.md and security.txt). ``secdocs build`` and ``verify``
run the pipeline (:mod:`secdocs.pipeline`) from :mod:`secdocs.cli`.
"""
