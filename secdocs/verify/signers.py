"""Who must have signed: the configured signer identity (``signer:``, with ``{tag}`` and
``{version}`` placeholders) and the identity it resolves to for one release, the ``trusted_root``
option, and reading the key and trust files the options name. The kinds' option classes that use
them live with the kinds (``secdocs.kinds.signatures.options`` and the like).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from mkdocs.config.base import BaseConfigOption, ValidationError

from secdocs.errors import ConfigError, SecdocsError, printable
from secdocs.options import Options, Pattern, RepoFile, Text
from secdocs.safety import confined, read_limited

if TYPE_CHECKING:
    from secdocs.config import Config

#: The OIDC issuer of GitHub Actions, the most common signer of release artifacts.
GITHUB_ISSUER = "https://token.actions.githubusercontent.com"
#: Upper bound for key, trust-root and allowed-signers files named in the config.
MAX_KEY_FILE = 256 * 1024
MAX_TRUST_FILE = 4 * 1024 * 1024
MAX_PATTERN = 1024
_PLACEHOLDER = re.compile(r"\{(tag|version)\}")
TRUST_NAMES = ("production", "staging")


@dataclass(frozen=True, slots=True)
class SignerIdentity:
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


class SignerBlock(Options):
    """``signer:`` — who must have signed each release's Sigstore bundles."""

    identity = Text(max_length=MAX_PATTERN)
    identity_regex = Pattern(max_length=MAX_PATTERN)
    issuer = Text(max_length=MAX_PATTERN)

    def check(self) -> list[tuple[str, str]]:
        if self.identity and self.identity_regex:
            return [("identity_regex", "set either identity or identity_regex, not both")]
        return []

    @property
    def identity_pattern(self) -> SignerIdentity:
        return SignerIdentity(self.identity, self.identity_regex, self.issuer)


class TrustedRoot(BaseConfigOption[str]):
    """``production``, ``staging`` or the path of a ``trusted_root.json`` in the repository."""

    def __init__(self) -> None:
        super().__init__()
        self.default = "production"
        self.file = RepoFile("trusted root file")

    def run_validation(self, value: object) -> str:
        if value in TRUST_NAMES:
            return str(value)
        if isinstance(value, str) and "/" not in value and not value.endswith(".json"):
            close = difflib.get_close_matches(value, TRUST_NAMES, n=1)
            hint = f" (did you mean {close[0]}?)" if close else ""
            raise ValidationError(
                f"expected production, staging or the path of a trusted_root.json "
                f"in the repository, got {printable(value)!r}{hint}"
            )
        try:
            return self.file.validate(value)
        except ValidationError as exc:
            raise ValidationError(
                f"{exc} — or use production or staging (Sigstore's public instances)"
            ) from exc

    def named_files(self, value: str) -> Iterator[str]:
        if value not in TRUST_NAMES:
            yield value


def read_config_file(config: Config, relative: str, key: str, limit: int) -> bytes:
    """A file named in the config, relative to the repository, bounded and confined."""
    try:
        path = confined(config.repo, relative)
        return read_limited(path, limit, relative)
    except SecdocsError as exc:
        raise ConfigError(key, str(exc)) from exc
