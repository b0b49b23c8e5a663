"""SBOM, VEX and scanner documents read into secdocs' own typed model (``model``): ``readers``
(CycloneDX JSON/XML, SPDX JSON, SBOMs inside attestations), ``validate`` (CycloneDX schemas,
offline), ``vex`` (VEX documents and scanner reports) and ``trivy`` (Trivy's reports, whose
vulnerabilities join the view).

This is a library, not an evidence kind: the ``sbom`` kind (:mod:`secdocs.kinds.sbom`) and the
``containers`` kind (which adds Trivy's misconfigurations and image metadata) both use it; it
never imports a kind.
"""
