"""The threat-model delta of each release (read from the release's own tree) and the risk
register across releases.

``options`` declares ``threat_model:``, ``delta`` reads the delta files, ``model`` holds the
findings and register entries, ``collect`` is the kind (the ``threat-model`` entry point) and
``render`` draws the section and the register page from the model only.
"""
