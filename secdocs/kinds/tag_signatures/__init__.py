"""Signed release tags (SSH or OpenPGP), checked with ``git verify-tag`` against ``tag_signers``.

``options`` declares ``tag_signers``, ``model`` holds the result, ``collect`` is the kind (the
``tag-signatures`` entry point) and ``render`` draws the section from the model only.
"""
