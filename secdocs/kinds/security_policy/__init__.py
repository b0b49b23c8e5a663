"""The ``security-policy`` kind: the project's security policy from one source, the ``security:``
block of the plugin config (site-wide pages, never per release).

From it secdocs generates the Security policy and Reporting pages, ``SECURITY.md``, an RFC 9116
``security.txt``, an OpenSSF Security Insights v2 export and the supported-versions table.
``options`` declares the block, ``model`` turns it into a frozen :class:`SecurityPolicy` (and
names the published pages and files), ``securitymd``, ``securitytxt``, ``insights`` and
``supported`` write those documents, ``collect`` is the kind (the ``security-policy`` entry point)
and ``render`` draws the pages from the model only. The ``secdocs policy`` command that writes or
checks ``SECURITY.md`` and ``security.txt`` in the repository is :mod:`secdocs.commands.policy`.
"""
