"""The project's security policy from one source: the ``security:`` block of the plugin config.

From it secdocs generates the Security policy and Reporting pages, ``SECURITY.md``, an RFC 9116
``security.txt``, an OpenSSF Security Insights v2 export and the supported-versions table.
"""
