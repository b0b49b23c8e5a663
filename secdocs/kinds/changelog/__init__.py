"""The security section of each release's changelog (read from the release's own tree), or the
security-relevant commit messages since the previous release when it has none.

``options`` declares ``changelog:``, ``model`` holds the entries, ``collect`` is the kind (the
``changelog`` entry point) with the parsing of the changelog, ``consistency`` is its cross-check
against the SBOM kind's export, and ``render`` draws the section from the model only.
"""
