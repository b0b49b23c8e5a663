"""What the kinds that verify signatures share for one build: the verification options, the
configured public keys (read once) and the Sigstore verifiers (one per trust root)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from secdocs.verify.bundles import VerifierCache
from secdocs.verify.keys import PublicKey, load_public_keys
from secdocs.verify.signers import (
    MAX_TRUST_FILE,
    ResolvedSigner,
    read_config_file,
)

if TYPE_CHECKING:
    from secdocs.collectors import ReleaseContext
    from secdocs.config import Config


class VerificationSupport:
    """Options, keys and verifiers shared by the signatures, provenance and containers kinds."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self.options = config.options
        self._keys: tuple[PublicKey, ...] | None = None
        self.verifiers = VerifierCache(self._read_trust_file)

    def _read_trust_file(self, path: str) -> bytes:
        return read_config_file(self.config, path, "trusted_root", MAX_TRUST_FILE)

    @property
    def keys(self) -> tuple[PublicKey, ...]:
        if self._keys is None:
            self._keys = load_public_keys(self.config, self.options.public_keys)
        return self._keys

    def signer(self, ctx: ReleaseContext) -> ResolvedSigner:
        return self.options.signer.identity_pattern.resolve(ctx.release.tag, ctx.release.version)
