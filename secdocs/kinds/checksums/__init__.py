"""Checksum files (``SHA256SUMS`` and the like) checked against the release's artifacts.

``parse`` reads the GNU and BSD formats, ``model`` holds the typed results, ``collect`` is the
kind (the ``checksums`` entry point) and ``render`` draws the section from the items only.
"""
