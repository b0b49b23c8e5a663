"""Signatures of release artifacts: Sigstore bundles and key-based signatures.

``names`` pairs signature files with the artifacts they sign, ``options`` declares ``signer``,
``trusted_root`` and ``public_keys``, ``model`` holds the typed results, ``collect`` is the kind
(the ``signatures`` entry point; the checks themselves are :mod:`secdocs.verify`) and ``render``
draws the section from the model only.
"""
