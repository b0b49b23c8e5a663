"""The ``signatures`` collector: Sigstore bundles and key-based signatures of release artifacts.

Pairing: ``<artifact>.sigstore.json`` / ``<artifact>.sigstore`` / ``<artifact>.sig`` sign
``<artifact>``. Bundles whose name contains ``.intoto.`` are provenance and belong to the
``provenance`` collector. Every artifact without any signature is listed as ``missing``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from secdocs.collectors import Collector, Coverage, FileNames, PageContext, ReleaseContext
from secdocs.config import Config
from secdocs.errors import SecdocsError
from secdocs.kinds.signatures.model import SignatureEntry, SignaturesDetail
from secdocs.kinds.signatures.names import (
    BUNDLE_SUFFIXES,
    CERT_SUFFIXES,
    SIG_SUFFIX,
    is_signature_name,
    paired_artifact,
)
from secdocs.kinds.signatures.options import SignaturesOptions
from secdocs.kinds.signatures.render import render_entries
from secdocs.model import (
    Assurance,
    EvidenceItem,
    Findings,
    JSONValue,
    Kind,
    Problem,
    Section,
    Signer,
    Status,
)
from secdocs.render.html import html_block
from secdocs.roles import classify
from secdocs.verify import commands
from secdocs.verify.bundles import Outcome, identity_check, verify_bundle
from secdocs.verify.keys import decode_b64, verify_with_keys
from secdocs.verify.signers import ResolvedSigner
from secdocs.verify.support import VerificationSupport


class SignaturesCollector(Collector):
    name = "signatures"
    order = 30
    options_class = SignaturesOptions
    roles = (Kind.SIGNATURE, Kind.SIGNATURE_MATERIAL, Kind.ARTIFACT)
    claims = (
        FileNames(Kind.SIGNATURE, suffixes=(".sigstore.json", ".sigstore", ".sig")),
        FileNames(Kind.SIGNATURE_MATERIAL, suffixes=(".pem", ".pub", ".crt", ".cert", ".asc")),
    )
    coverage = Coverage(Kind.SIGNATURE, "Signature", position=20)

    def __init__(self, config: Config, options: Mapping[str, Any] | None = None) -> None:
        super().__init__(config, options)
        self.support = VerificationSupport(config)

    # ------------------------------------------------------------------ collect

    def collect(self, ctx: ReleaseContext) -> Findings:
        signer = self.support.signer(ctx)
        # artifacts known by digest (kept files, checksum files, secdocs' digest list): the
        # binaries themselves are optional evidence
        digests = dict(ctx.digests) or {f.name: f.sha256 for f in ctx.files}
        entries: list[SignatureEntry] = []
        problems: list[Problem] = []
        signed: set[str] = set()
        for file in sorted(ctx.files, key=lambda f: f.name):
            if not is_signature_name(file.name):
                continue
            artifact = paired_artifact(file.name)
            if artifact is None:  # pragma: no cover - is_signature_name checked it
                continue
            if file.name.endswith(SIG_SUFFIX) and artifact.endswith(BUNDLE_SUFFIXES):
                continue
            signed.add(artifact)
            try:
                raw = ctx.read(file)
            except SecdocsError as exc:
                entries.append(
                    self._entry(
                        file.name,
                        artifact,
                        "unreadable",
                        Outcome(Status.FAILED, f"cannot read: {exc}", "unreadable"),
                        (),
                    )
                )
                problems.append(Problem(str(exc), path=file.name))
                continue
            if file.name.endswith(SIG_SUFFIX):
                entries.append(self._key_signature(ctx, file.name, artifact, raw, digests))
            else:
                entries.append(self._bundle(ctx, file.name, artifact, raw, digests, signer))
        present = {f.name for f in ctx.files}
        artifacts = {f.name for f in ctx.files_with_role(Kind.ARTIFACT)} | {
            name for name in digests if name not in present and classify(name) == Kind.ARTIFACT
        }
        for name in sorted(artifacts):
            if name not in signed:
                entries.append(
                    SignatureEntry(
                        name,
                        name,
                        "none",
                        Status.MISSING,
                        f"not signed: no {name}.sigstore.json or {name}.sig in the evidence folder",
                        None,
                        None,
                        None,
                        None,
                        (),
                    )
                )
        sums = [f.name for f in ctx.files_with_role(Kind.CHECKSUMS)]
        items = tuple(self._item(e) for e in entries)
        sum_commands = tuple(commands.checksums(sorted(sums)))
        tag = ctx.release.tag
        signers = sorted(
            {
                f"{(e.identity or '').replace(tag, '{tag}')} ({e.issuer or 'key'})"
                for e in entries
                if e.status is Status.VERIFIED and e.identity
            }
        )
        data: dict[str, JSONValue] = {
            "entries": [e.as_json() for e in entries],
            "checksum_commands": list(sum_commands),
            "signers": list(signers),
        }
        return Findings(
            collector=self.name,
            items=items,
            problems=tuple(problems),
            data=data,
            detail=SignaturesDetail(tuple(entries), sum_commands),
        )

    def _item(self, entry: SignatureEntry) -> EvidenceItem:
        details: dict[str, JSONValue] = {
            "artifact": entry.artifact,
            "format": entry.format,
            "rekor_log_index": entry.log_index,
            "time": entry.time,
            "commands": list(entry.commands),
        }
        signer = Signer(entry.identity, entry.issuer) if entry.identity else None
        return EvidenceItem(
            kind=Kind.SIGNATURE,
            path=entry.path,
            status=entry.status,
            reason=entry.reason,
            collector=self.name,
            signer=signer,
            details=details,
            # checked against the pinned identity or key: who signed is established
            assurance=Assurance.AUTHENTICITY if entry.status is Status.VERIFIED else None,
        )

    @staticmethod
    def _entry(
        path: str, artifact: str | None, fmt: str, outcome: Outcome, cmds: Sequence[str]
    ) -> SignatureEntry:
        index = outcome.details.get("log_index")
        when = outcome.details.get("tsa_time") or outcome.details.get("integrated_time")
        return SignatureEntry(
            path=path,
            artifact=artifact,
            format=fmt,
            status=outcome.status,
            reason=outcome.reason,
            identity=outcome.identity,
            issuer=outcome.issuer,
            log_index=index if isinstance(index, int) else None,
            time=when if isinstance(when, str) else None,
            commands=tuple(cmds),
        )

    def _bundle(
        self,
        ctx: ReleaseContext,
        name: str,
        artifact: str,
        raw: bytes,
        digests: Mapping[str, str],
        signer: ResolvedSigner,
    ) -> SignatureEntry:
        opts = self.support.options
        trusted = opts.trusted_root
        digest = bytes.fromhex(digests[artifact]) if artifact in digests else None
        try:
            keys = self.support.keys
        except SecdocsError as exc:
            return self._entry(
                name,
                artifact,
                "sigstore-bundle",
                Outcome(Status.UNVERIFIABLE, str(exc), "bundle"),
                (),
            )
        outcome = verify_bundle(
            raw,
            f"{ctx.evidence_dir}/{name}",
            verifier=lambda: self.support.verifiers.get(trusted),
            trusted_root=lambda: self.support.verifiers.trusted_root(trusted),
            policy=identity_check(signer),
            keys=keys,
            artifact=digest,
            paired=artifact,
            artifacts=digests,
        )
        cmds: list[str] = []
        if outcome.kind in ("key-bundle", "key-dsse"):
            fmt = "key-signed Sigstore bundle"
            key = outcome.details.get("key")
            for path in [key] if isinstance(key, str) else list(opts.public_keys)[:1]:
                cmds += commands.key_bundle(artifact, name, path)
        else:
            fmt = "Sigstore bundle (DSSE)" if outcome.kind == "dsse" else "Sigstore bundle"
            cmds += commands.sigstore_bundle(
                artifact, name, signer, outcome.identity, trusted, outcome.kind == "dsse"
            )
            if outcome.kind == "dsse" or outcome.statement is not None:
                cmds += commands.gh_attestation(artifact, opts.provenance.source_uri, name)
        return self._entry(name, artifact, fmt, outcome, cmds)

    def _key_signature(
        self, ctx: ReleaseContext, name: str, artifact: str, raw: bytes, digests: Mapping[str, str]
    ) -> SignatureEntry:
        fmt = "cosign key signature"
        certs = [artifact + s for s in CERT_SUFFIXES if artifact + s in digests]
        if certs:
            return self._entry(
                name,
                artifact,
                "detached certificate + signature",
                Outcome(
                    Status.UNVERIFIABLE,
                    f"detached keyless signature ({certs[0]}) without a transparency-log proof "
                    "cannot be verified offline; publish a Sigstore bundle "
                    f"({artifact}.sigstore.json) instead",
                    "detached",
                ),
                (),
            )
        if artifact not in digests:
            return self._entry(
                name,
                artifact,
                fmt,
                Outcome(
                    Status.MISSING,
                    f"the signed artifact {artifact} is not in the evidence folder; "
                    "publish it next to its signature",
                    "key-signature",
                ),
                (),
            )
        try:
            keys = self.support.keys
        except SecdocsError as exc:
            return self._entry(
                name, artifact, fmt, Outcome(Status.UNVERIFIABLE, str(exc), "key-signature"), ()
            )
        if not keys:
            return self._entry(
                name,
                artifact,
                fmt,
                Outcome(
                    Status.UNVERIFIABLE,
                    "no public_keys configured: add the signer's PEM public key to public_keys",
                    "key-signature",
                ),
                (),
            )
        try:
            signature = decode_b64(raw, name)
        except ValueError as exc:
            return self._entry(
                name, artifact, fmt, Outcome(Status.FAILED, str(exc), "key-signature"), ()
            )
        digest = bytes.fromhex(digests[artifact])
        key = verify_with_keys(keys, signature, digest=digest)
        if key is None and any(isinstance(k.key, Ed25519PublicKey) for k in keys):
            if ctx.file(artifact) is None:
                return self._entry(
                    name,
                    artifact,
                    fmt,
                    Outcome(
                        Status.UNVERIFIABLE,
                        f"no configured ECDSA/RSA key verifies the digest, and Ed25519 signs the "
                        f"whole file, which is known by its digest only: keep {artifact} in the "
                        "evidence (secdocs collect --keep-binaries)",
                        "key-signature",
                    ),
                    commands.key_signature(artifact, name, keys[0].path),
                )
            try:
                data = ctx.read(artifact)
            except SecdocsError as exc:
                return self._entry(
                    name,
                    artifact,
                    fmt,
                    Outcome(Status.FAILED, f"cannot read artifact: {exc}", "key"),
                    (),
                )
            if hashlib.sha256(data).hexdigest() == digests[artifact]:
                key = verify_with_keys(keys, signature, data=data)
        if key is None:
            return self._entry(
                name,
                artifact,
                fmt,
                Outcome(
                    Status.FAILED,
                    "signature does not verify with any configured public key "
                    f"({', '.join(k.path for k in keys)})",
                    "key-signature",
                ),
                [c for k in keys for c in commands.key_signature(artifact, name, k.path)],
            )
        return self._entry(
            name,
            artifact,
            fmt,
            Outcome(
                Status.VERIFIED,
                None,
                "key-signature",
                identity=f"key {key.path}",
                details={"key_fingerprint": key.fingerprint},
            ),
            commands.key_signature(artifact, name, key.path),
        )

    def compare(self, previous: Findings | None, current: Findings) -> Findings:
        """Warn when a release is signed by someone who did not sign the previous one."""
        if previous is None:
            return current
        before = set(_strings(previous.data.get("signers")))
        after = set(_strings(current.data.get("signers")))
        new = sorted(after - before)
        if not before or not new:
            return current
        problem = Problem(
            f"signed by a signer not seen on the previous release: {', '.join(new)} "
            f"(previously: {', '.join(sorted(before))})",
            severity="warning",
        )
        data = dict(current.data)
        data["new_signers"] = list(new)
        return replace(current, problems=(*current.problems, problem), data=data)

    # ------------------------------------------------------------------ render

    def render(self, findings: Findings, page: PageContext) -> Sequence[Section]:
        detail = findings.detail
        if not isinstance(detail, SignaturesDetail) or not detail.entries:
            return ()
        return (
            Section(
                "signatures", "Signatures", html_block(render_entries(detail, page)), self.order
            ),
        )


def _strings(value: object) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []
