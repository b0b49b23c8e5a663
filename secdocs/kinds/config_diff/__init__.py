"""What changed in security-relevant configuration files between releases, secrets redacted
(:mod:`secdocs.redact`), TLS settings and Kubernetes flags checked.

``options`` declares ``config_diff:``, ``differ`` parses, flattens and compares configuration
documents, ``tls`` checks TLS settings, ``model`` holds the typed results, ``collect`` is the kind
(the ``config-diff`` entry point) and ``render`` draws the section from the model only.
"""
