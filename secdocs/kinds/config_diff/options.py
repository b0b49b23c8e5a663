"""Options of the ``config-diff`` kind: which files of each release's tree are compared, which keys
are security-relevant, and the TLS rules (paths are checked for shape only when the configuration
loads; a path missing at a tag is a finding of that release).
"""

from __future__ import annotations

from mkdocs.config.base import ValidationError

from secdocs.kinds.config_diff.differ import DEFAULT_SECURITY_KEYS
from secdocs.kinds.config_diff.tls import (
    BSI_CIPHERS,
    BSI_PROTOCOLS,
    TlsPolicy,
    cipher_name,
    protocol_versions,
)
from secdocs.options import Block, Flag, ListOf, Options, TagPath, Text


class TlsBlock(Options):
    """``config_diff.approved_tls``: the approved TLS versions and suites (default: BSI)."""

    protocols = ListOf(Text(), single=False)
    ciphers = ListOf(Text(), single=False)

    def check(self) -> list[tuple[str, str]]:
        return [
            ("protocols", f"{name!r} is not a TLS/SSL version (for example TLS 1.2)")
            for name in self.protocols
            if len(protocol_versions(name)) != 1
        ]

    @property
    def policy(self) -> TlsPolicy:
        protocols = self.get("protocols") or BSI_PROTOCOLS
        ciphers = self.get("ciphers") or BSI_CIPHERS
        return TlsPolicy(
            frozenset(protocol_versions(p)[0] for p in protocols),
            frozenset(cipher_name(c) for c in ciphers),
        )


class _Paths(ListOf[str]):
    def run_validation(self, value: object) -> tuple[str, ...]:
        paths = super().run_validation(value)
        if not paths:
            raise ValidationError("list the configuration files or globs to compare")
        return paths


class ConfigDiffBlock(Options):
    paths = _Paths(TagPath(what="a configuration file or glob"))
    secret_keys = ListOf(Text())
    security_keys = ListOf(Text())
    approved_tls = Block(
        TlsBlock, example="approved_tls: {protocols: [TLS 1.2, TLS 1.3], ciphers: [...]}"
    )
    fail_on_deviation = Flag(False)

    @property
    def all_security_keys(self) -> tuple[str, ...]:
        return DEFAULT_SECURITY_KEYS + tuple(k.lower() for k in self.security_keys)


class ConfigDiffOptions(Options):
    """Options of the ``config-diff`` kind (absent: the kind does nothing)."""

    config_diff = Block(
        ConfigDiffBlock,
        optional=True,
        example="config_diff: {paths: [deploy/values.yaml, deploy/*.conf]}",
    )
