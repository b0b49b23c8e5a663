"""Tests of the evidence kinds, one package per kind as in ``secdocs/kinds/<kind>/``.

Helpers several kinds' tests share sit here: ``conftest.py`` (the ``make_project`` fixture: a git
repository with tags and evidence folders, for the signatures, tag-signatures and provenance
kinds), ``releaserepo.py`` (a release history built commit by commit, for the threat-model,
changelog and config-diff kinds) and ``reports.py`` (releases and reports built by hand, for the
site-wide kinds). Tests of the code the kinds build on follow its package: ``tests/verify``,
``tests/sbom``, ``tests/commands``.
"""
