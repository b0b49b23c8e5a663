"""The verification stage that several evidence kinds share (signatures, provenance, containers).

``bundles`` verifies Sigstore bundles offline with sigstore-python's own verifier, ``keys`` checks
signatures against the public keys the configuration names (including DSSE envelopes), ``signers``
holds the configured signer identity and the verification options, and ``commands`` writes the
commands a reader can run to check a file for themselves.
"""
