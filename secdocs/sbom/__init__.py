"""SBOM, VEX and scanner documents read into secdocs' own typed model (``model``): ``readers``
(CycloneDX JSON/XML, SPDX JSON, SBOMs inside attestations), ``validate`` (CycloneDX schemas,
offline) and ``vex`` (VEX documents and scanner reports).

This is a library, not an evidence kind: the ``sbom`` kind (:mod:`secdocs.kinds.sbom`) and the
``containers`` kind's Trivy reader both use it.
"""
