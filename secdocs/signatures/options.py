"""The verification options of the plugin config: ``signer``, ``trusted_root``, ``public_keys``,
``provenance`` and ``tag_signers``.

The core keeps these blocks as raw values (:meth:`secdocs.config.Config.section`); they are
validated here, once per collector, and every bad value raises :class:`ConfigError` naming the key.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from secdocs.config import Config
from secdocs.errors import ConfigError, SecdocsError
from secdocs.safety import confined, read_limited

#: The OIDC issuer of GitHub Actions, the most common signer of release artifacts.
GITHUB_ISSUER = "https://token.actions.githubusercontent.com"
#: Upper bound for key, trust-root and allowed-signers files named in the config.
MAX_KEY_FILE = 256 * 1024
MAX_TRUST_FILE = 4 * 1024 * 1024
MAX_PATTERN = 1024
_PLACEHOLDER = re.compile(r"\{(tag|version)\}")
TRUST_NAMES = ("production", "staging")


@dataclass(frozen=True, slots=True)
class SignerPolicy:
    """Who must have signed, before ``{tag}``/``{version}`` are filled in."""

    identity: str | None = None
    identity_regex: str | None = None
    issuer: str | None = None

    @property
    def configured(self) -> bool:
        return bool((self.identity or self.identity_regex) and self.issuer)

    def resolve(self, tag: str, version: str) -> ResolvedSigner:
        regex = None
        if self.identity_regex is not None:
            regex = _compile(self.identity_regex, tag, version, "signer.identity_regex")
        identity = None
        if self.identity is not None:
            identity = _PLACEHOLDER.sub(
                lambda m: tag if m.group(1) == "tag" else version, self.identity
            )
        return ResolvedSigner(identity=identity, regex=regex, issuer=self.issuer)


@dataclass(frozen=True, slots=True)
class ResolvedSigner:
    """A signer policy for one release."""

    identity: str | None
    regex: re.Pattern[str] | None
    issuer: str | None

    def matches(self, san: str) -> bool:
        if self.identity is not None and san == self.identity:
            return True
        return self.regex is not None and self.regex.fullmatch(san) is not None

    def describe(self) -> str:
        if self.identity is not None:
            return self.identity
        return self.regex.pattern if self.regex is not None else "(none)"


def _compile(pattern: str, tag: str, version: str, key: str) -> re.Pattern[str]:
    """Anchor and compile a regex with the placeholders replaced by escaped values."""
    filled = _PLACEHOLDER.sub(lambda m: re.escape(tag if m.group(1) == "tag" else version), pattern)
    try:
        # used with fullmatch: anchored at both ends whether or not the pattern says ^...$
        return re.compile(filled)
    except re.error as exc:
        raise ConfigError(key, f"invalid regular expression: {exc}") from exc


@dataclass(frozen=True, slots=True)
class ProvenanceOptions:
    source_uri: str | None = None
    builders: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class VerifyOptions:
    signer: SignerPolicy
    #: ``production``, ``staging`` or a path relative to the repository
    trusted_root: str
    public_keys: tuple[str, ...]
    provenance: ProvenanceOptions
    tag_signers: str | None


def _optional_str(value: Any, key: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(key, "expected a non-empty string")
    if len(value) > MAX_PATTERN:
        raise ConfigError(key, f"longer than {MAX_PATTERN} characters")
    return value


def _signer(raw: Any) -> SignerPolicy:
    if raw is None:
        return SignerPolicy()
    if not isinstance(raw, Mapping):
        raise ConfigError(
            "signer", "expected a mapping with identity or identity_regex, and issuer"
        )
    unknown = sorted(str(k) for k in set(raw) - {"identity", "identity_regex", "issuer"})
    if unknown:
        raise ConfigError(
            f"signer.{unknown[0]}", "unknown option (known: identity, identity_regex, issuer)"
        )
    identity = _optional_str(raw.get("identity"), "signer.identity")
    regex = _optional_str(raw.get("identity_regex"), "signer.identity_regex")
    issuer = _optional_str(raw.get("issuer"), "signer.issuer")
    if identity and regex:
        raise ConfigError("signer", "set either identity or identity_regex, not both")
    if regex is not None:
        _compile(regex, "v0", "0", "signer.identity_regex")  # fail early on a bad pattern
    return SignerPolicy(identity=identity, identity_regex=regex, issuer=issuer)


def _string_list(raw: Any, key: str) -> tuple[str, ...]:
    if raw is None:
        return ()
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list) or not all(isinstance(v, str) and v for v in raw):
        raise ConfigError(key, "expected a list of strings")
    return tuple(raw)


def _provenance(raw: Any) -> ProvenanceOptions:
    if raw is None:
        return ProvenanceOptions()
    if not isinstance(raw, Mapping):
        raise ConfigError("provenance", "expected a mapping with source_uri and builders")
    unknown = sorted(str(k) for k in set(raw) - {"source_uri", "builders"})
    if unknown:
        raise ConfigError(
            f"provenance.{unknown[0]}", "unknown option (known: source_uri, builders)"
        )
    return ProvenanceOptions(
        source_uri=_optional_str(raw.get("source_uri"), "provenance.source_uri"),
        builders=_string_list(raw.get("builders"), "provenance.builders"),
    )


def parse(config: Config) -> VerifyOptions:
    """Validate the verification blocks of ``config``."""
    trusted_root = _optional_str(config.section("trusted_root"), "trusted_root") or "production"
    return VerifyOptions(
        signer=_signer(config.section("signer")),
        trusted_root=trusted_root,
        public_keys=_string_list(config.section("public_keys"), "public_keys"),
        provenance=_provenance(config.section("provenance")),
        tag_signers=_optional_str(config.section("tag_signers"), "tag_signers"),
    )


def read_config_file(config: Config, relative: str, key: str, limit: int) -> bytes:
    """A file named in the config, relative to the repository, bounded and confined."""
    try:
        path = confined(config.repo, relative)
        return read_limited(path, limit, relative)
    except SecdocsError as exc:
        raise ConfigError(key, str(exc)) from exc
