"""The ``provenance`` collector: SLSA provenance and in-toto attestations of a release.

Inputs: ``*.intoto.jsonl`` / ``*.intoto.json`` (one DSSE envelope or Sigstore bundle per line, as
slsa-github-generator and ``gh attestation download`` write them) and ``*.intoto.sigstore[.json]``
bundles. For each attestation: the envelope signature (sigstore-python for keyless bundles,
``cryptography`` for key-signed envelopes), every subject digest against the artifacts present,
the source repository, the source commit against the tag's commit, the source ref against the tag
and the builder id against the allow-list. Only when every check passed is it ``verified``.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from secdocs.collectors import Collector, Coverage, FileNames, PageContext, ReleaseContext
from secdocs.config import Config
from secdocs.errors import SecdocsError
from secdocs.kinds.provenance.model import (
    FAIL,
    PASS,
    UNKNOWN,
    Attestation,
    Check,
    ProvenanceDetail,
)
from secdocs.kinds.provenance.names import (
    is_provenance_name,
    subject_artifact,
)
from secdocs.kinds.provenance.npm import NpmPackage, NpmPublish, publish_of, subject_package
from secdocs.kinds.provenance.options import ProvenanceOptions
from secdocs.kinds.provenance.render import render_attestations
from secdocs.kinds.provenance.slsa import (
    SLSA_TYPES,
    ProvenanceSummary,
    builder_allowed,
    normalize_source,
    ref_names_tag,
    summarize,
)
from secdocs.kinds.signatures.names import is_signature_name
from secdocs.model import (
    Assurance,
    EvidenceItem,
    Findings,
    Kind,
    Problem,
    Section,
    Status,
)
from secdocs.render.html import html_block
from secdocs.safety import load_json
from secdocs.verify import commands
from secdocs.verify.bundles import (
    Outcome,
    SignerMatch,
    check_subjects,
    is_bundle,
    statement_of,
    verify_bundle,
)
from secdocs.verify.keys import (
    PublicKey,
    decode_b64,
    verify_envelope_with_keys,
)
from secdocs.verify.signers import GITHUB_ISSUER, ResolvedSigner
from secdocs.verify.support import VerificationSupport

MAX_LINES = 1000


@dataclass(frozen=True)
class Document:
    """One attestation of a file: its line (JSON Lines) or its position in a JSON list."""

    line: int | None
    entry: int | None
    value: Any


def _documents(raw: bytes, display: str) -> list[Document]:
    """One JSON document, one per entry of an ``attestations`` list, or one per non-empty line."""
    try:
        whole = load_json(raw, display)
    except SecdocsError:
        pass
    else:
        wrapped = whole.get("attestations") if isinstance(whole, Mapping) else None
        if isinstance(wrapped, list):  # npm registry / GitHub API: {"attestations": [{bundle}]}
            if len(wrapped) > MAX_LINES:
                raise SecdocsError(f"{display}: more than {MAX_LINES} attestations")
            return [
                Document(None, n, entry.get("bundle") if isinstance(entry, Mapping) else entry)
                for n, entry in enumerate(wrapped, start=1)
            ]
        return [Document(None, None, whole)]
    docs: list[Document] = []
    for number, line in enumerate(raw.splitlines(), start=1):
        if not line.strip():
            continue
        if len(docs) >= MAX_LINES:
            raise SecdocsError(f"{display}: more than {MAX_LINES} attestations")
        docs.append(Document(number, None, load_json(line, f"{display}:{number}")))
    if not docs:
        raise SecdocsError(f"{display}: empty file")
    return docs


class ProvenanceCollector(Collector):
    name = "provenance"
    order = 35
    options_class = ProvenanceOptions
    roles = (Kind.PROVENANCE,)
    claims = (FileNames(Kind.PROVENANCE, suffixes=(".intoto.jsonl", ".intoto.json")),)
    coverage = Coverage(Kind.PROVENANCE, "Provenance", position=30)

    def __init__(self, config: Config, options: Mapping[str, Any] | None = None) -> None:
        super().__init__(config, options)
        self.support = VerificationSupport(config)

    def _identity_check(self, signer: ResolvedSigner) -> SignerMatch | None:
        builders = self.support.options.provenance.builders
        has_identity = bool(signer.identity or signer.regex)
        issuer = signer.issuer or (GITHUB_ISSUER if builders else None)
        if issuer is None or not (has_identity or builders):
            return None

        def accepts(san: str) -> bool:
            return signer.matches(san) or builder_allowed(san, builders)

        wanted = " or ".join(
            [f"the configured identity {signer.describe()!r}"] * has_identity
            + [f"a builder in provenance.builders {list(builders)!r}"] * bool(builders)
        )
        return SignerMatch(issuer, accepts, wanted)

    def collect(self, ctx: ReleaseContext) -> Findings:
        # artifacts known by digest (kept files, checksum files, secdocs' digest list)
        digests = dict(ctx.digests) or {f.name: f.sha256 for f in ctx.files}
        attestations: list[Attestation] = []
        problems: list[Problem] = []
        for file in sorted(ctx.files, key=lambda f: f.name):
            if not is_provenance_name(file.name):
                if is_signature_name(file.name) and not file.name.endswith(".sig"):
                    attestations += self._slsa_bundle(ctx, file.name, digests)
                continue
            display = f"{ctx.evidence_dir}/{file.name}"
            try:
                docs = _documents(ctx.read(file), display)
            except SecdocsError as exc:
                problems.append(Problem(str(exc), path=file.name))
                attestations.append(self._broken(file.name, None, f"unreadable: {exc}"))
                continue
            for doc in docs:
                try:
                    one = self._one(ctx, file.name, doc.line, doc.value, digests)
                except Exception as exc:  # fail closed: never let one file crash the build
                    one = self._broken(file.name, doc.line, f"{type(exc).__name__}: {exc}")
                attestations.append(dataclasses.replace(one, entry=doc.entry))
        items = tuple(self._item(a) for a in attestations)
        return Findings(
            collector=self.name,
            items=items,
            problems=tuple(problems),
            data={"attestations": [a.as_json() for a in attestations]},
            detail=ProvenanceDetail(tuple(attestations)),
        )

    def _slsa_bundle(
        self, ctx: ReleaseContext, name: str, digests: Mapping[str, str]
    ) -> list[Attestation]:
        """A signature bundle (``<artifact>.sigstore.json``) that carries SLSA provenance."""
        try:
            doc = load_json(ctx.read(name), name)
            envelope = doc.get("dsseEnvelope") if is_bundle(doc) else None
            payload = (
                decode_b64(envelope.get("payload"), "payload")
                if isinstance(envelope, Mapping)
                else b""
            )
            statement = json.loads(payload) if payload else None
        except (SecdocsError, ValueError):
            return []  # not provenance; the signatures collector reports the bundle itself
        if not isinstance(statement, Mapping) or statement.get("predicateType") not in SLSA_TYPES:
            return []
        try:
            return [self._one(ctx, name, None, doc, digests)]
        except Exception as exc:  # fail closed
            return [self._broken(name, None, f"{type(exc).__name__}: {exc}")]

    @staticmethod
    def _broken(path: str, line: int | None, reason: str) -> Attestation:
        return Attestation(
            path, line, Status.FAILED, reason, "unknown", None, None, (), None, None, None, (), ()
        )

    def _item(self, a: Attestation) -> EvidenceItem:
        from secdocs.model import Signer

        details = a.as_json()
        details.pop("status")
        details.pop("reason")
        details.pop("path")
        return EvidenceItem(
            kind=Kind.PROVENANCE if a.publish is None else Kind.ATTESTATION,
            path=a.item_path,
            status=a.status,
            reason=a.reason,
            collector=self.name,
            signer=Signer(a.signer, a.issuer) if a.signer else None,
            details=details,
            # verified only when the signature checked against the pinned identity or key
            assurance=Assurance.AUTHENTICITY if a.status is Status.VERIFIED else None,
        )

    # ------------------------------------------------------------------ one attestation

    def _one(
        self, ctx: ReleaseContext, path: str, line: int | None, doc: Any, digests: Mapping[str, str]
    ) -> Attestation:
        paired = subject_artifact(path)
        paired = paired if paired in digests else None
        signer = self.support.signer(ctx)
        opts = self.support.options
        cmds: list[str] = []
        signature: Check
        statement: Mapping[str, Any] | None = None
        outcome: Outcome | None = None
        if is_bundle(doc):
            fmt = "Sigstore bundle"
            trusted = opts.trusted_root
            outcome = verify_bundle(
                json.dumps(doc).encode(),
                path,
                verifier=lambda: self.support.verifiers.get(trusted),
                trusted_root=lambda: self.support.verifiers.trusted_root(trusted),
                policy=self._identity_check(signer),
                keys=self._keys(),
                artifact=None,
                paired=paired,
                artifacts=digests,
                subjects=False,
                policy_hint="set signer (identity and issuer) or provenance.builders",
            )
            statement = outcome.statement
            signature = _signature_check(outcome)
            if statement is None:
                statement = _unauthenticated_statement(doc, path)
        elif isinstance(doc, Mapping) and "payloadType" in doc and "signatures" in doc:
            fmt, signature, statement = self._envelope(doc, path)
        elif isinstance(doc, Mapping) and "_type" in doc:
            fmt = "unsigned in-toto statement"
            signature = Check("signature", UNKNOWN, "the statement is not signed")
            try:
                statement = statement_of(
                    "application/vnd.in-toto+json", json.dumps(doc).encode(), path
                )
            except (ValueError, SecdocsError) as exc:
                return self._broken(path, line, str(exc))
        else:
            return self._broken(
                path,
                line,
                "unknown format: neither a DSSE envelope, a Sigstore "
                "bundle nor an in-toto statement",
            )
        checks = [signature]
        summary = summarize(statement) if statement is not None else None
        publish = publish_of(statement) if statement is not None else None
        subjects: tuple[str, ...] = ()
        if statement is not None:
            status, why, rows = check_subjects(
                statement, digests, paired, lambda: self._sha512(ctx)
            )
            subjects = tuple(str(r.get("name")) for r in rows if isinstance(r, Mapping))
            matched = sorted(
                {
                    f
                    for r in rows
                    if isinstance(r, Mapping)
                    for f in _as_list(r.get("files"))
                    if isinstance(f, str)
                }
            )
            result = {Status.VERIFIED: PASS, Status.FAILED: FAIL}.get(status, UNKNOWN)
            checks.append(Check("subjects", result, why or f"match: {', '.join(matched)}"))
            if publish is not None:
                checks += _publish_checks(ctx, publish)
            else:
                checks += self._source_checks(ctx, summary, statement)
            package = subject_package(statement)
            if package is not None and fmt != "key-signed DSSE envelope":
                # the tarball here, or the one ``npm pack name@version`` downloads
                for tarball in matched or [package.tarball]:
                    cmds += self._npm_commands(path, tarball, package, summary)
            else:
                for artifact in matched:
                    cmds += self._commands(ctx, fmt, path, artifact, outcome, signer)
            if signature.result == FAIL:
                checks[1:] = [
                    dataclasses.replace(
                        c, detail=f"{c.detail} (read from the unauthenticated statement)"
                    )
                    for c in checks[1:]
                ]
        status, reason = _overall(checks)
        log_index = outcome.details.get("log_index") if outcome else None
        return Attestation(
            path=path,
            line=line,
            status=status,
            reason=reason,
            format=fmt,
            predicate_type=str(statement.get("predicateType")) if statement else None,
            summary=summary,
            checks=tuple(checks),
            signer=outcome.identity if outcome else _key_signer(signature),
            issuer=outcome.issuer if outcome else None,
            log_index=log_index if isinstance(log_index, int) else None,
            subjects=subjects,
            commands=tuple(dict.fromkeys(cmds)),
            publish=publish,
        )

    @staticmethod
    def _sha512(ctx: ReleaseContext) -> dict[str, str]:
        """SHA-512 of the artifacts, for npm-style subjects (read only when asked for)."""
        sums = {}
        for file in ctx.files_with_role(Kind.ARTIFACT):
            try:
                sums[file.name] = hashlib.sha512(ctx.read(file)).hexdigest()
            except SecdocsError:
                continue
        return sums

    def _keys(self) -> tuple[PublicKey, ...]:
        try:
            return self.support.keys
        except SecdocsError:
            return ()

    def _envelope(
        self, doc: Mapping[str, Any], path: str
    ) -> tuple[str, Check, Mapping[str, Any] | None]:
        payload_type = doc.get("payloadType")
        sigs = doc.get("signatures")
        try:
            payload = (
                decode_b64(doc.get("payload"), "payload")
                if isinstance(doc.get("payload"), str)
                else b""
            )
            if not isinstance(payload_type, str) or not payload or not isinstance(sigs, list):
                raise ValueError("malformed DSSE envelope")
            statement: Mapping[str, Any] | None = statement_of(payload_type, payload, path)
        except (ValueError, SecdocsError) as exc:
            return "DSSE envelope", Check("signature", FAIL, str(exc)), None
        if any(isinstance(s, Mapping) and s.get("cert") for s in sigs):
            return (
                "DSSE envelope with embedded certificate (legacy slsa-github-generator)",
                Check(
                    "signature",
                    UNKNOWN,
                    "legacy envelope with an embedded certificate: no library available "
                    "here verifies it offline; run the slsa-verifier command below",
                ),
                statement,
            )
        try:
            keys = self.support.keys
        except SecdocsError as exc:
            return "key-signed DSSE envelope", Check("signature", UNKNOWN, str(exc)), statement
        if not keys:
            return (
                "key-signed DSSE envelope",
                Check(
                    "signature",
                    UNKNOWN,
                    "no public_keys configured: add the signer's PEM public key",
                ),
                statement,
            )
        key = verify_envelope_with_keys(sigs, payload_type, payload, keys)
        if key is not None:
            return (
                "key-signed DSSE envelope",
                Check("signature", PASS, f"signed by key {key.path}"),
                statement,
            )
        return (
            "key-signed DSSE envelope",
            Check(
                "signature",
                FAIL,
                "envelope signature does not verify with any configured public key",
            ),
            statement,
        )

    def _source_checks(
        self, ctx: ReleaseContext, summary: ProvenanceSummary | None, statement: Mapping[str, Any]
    ) -> list[Check]:
        if summary is None:
            return [
                Check(
                    "predicate",
                    UNKNOWN,
                    f"not SLSA provenance ({statement.get('predicateType')!s}); source and "
                    "builder cannot be checked",
                )
            ]
        opts = self.support.options.provenance
        checks = []
        wanted = normalize_source(opts.source_uri)
        got = normalize_source(summary.source_uri)
        if wanted is None:
            checks.append(
                Check(
                    "source",
                    UNKNOWN,
                    f"{summary.source_uri}; set provenance.source_uri to check it",
                )
            )
        else:
            checks.append(
                Check(
                    "source",
                    PASS if got == wanted else FAIL,
                    f"{summary.source_uri} (expected {opts.source_uri})",
                )
            )
        commit = ctx.release.commit
        if not summary.source_commit:
            checks.append(Check("commit", FAIL, "the provenance names no source commit"))
        else:
            checks.append(
                Check(
                    "commit",
                    PASS if summary.source_commit == commit else FAIL,
                    f"{summary.source_commit} (tag {ctx.release.tag} is {commit})",
                )
            )
        checks.append(
            Check(
                "ref",
                PASS if ref_names_tag(summary.source_ref, ctx.release.tag) else FAIL,
                f"{summary.source_ref} (expected refs/tags/{ctx.release.tag})",
            )
        )
        if not opts.builders:
            checks.append(
                Check("builder", UNKNOWN, f"{summary.builder}; set provenance.builders to check it")
            )
        else:
            checks.append(
                Check(
                    "builder",
                    PASS if builder_allowed(summary.builder, opts.builders) else FAIL,
                    f"{summary.builder}",
                )
            )
        return checks

    def _commands(
        self,
        ctx: ReleaseContext,
        fmt: str,
        path: str,
        artifact: str,
        outcome: Outcome | None,
        signer: ResolvedSigner,
    ) -> list[str]:
        opts = self.support.options
        source = opts.provenance.source_uri
        tag = ctx.release.tag
        cmds: list[str] = []
        if fmt.startswith("key-signed"):
            for key in self._keys()[:1]:
                cmds.append(
                    commands.join(
                        "cosign",
                        "verify-blob-attestation",
                        "--key",
                        key.path,
                        "--signature",
                        path,
                        "--type",
                        "slsaprovenance1",
                        artifact,
                    )
                )
            return cmds
        if outcome is not None:
            cmds += commands.gh_attestation(artifact, source, path)
        cmds += commands.slsa_verifier(artifact, path, source, tag)
        return cmds

    def _npm_commands(
        self, path: str, tarball: str, package: NpmPackage, summary: ProvenanceSummary | None
    ) -> list[str]:
        """slsa-verifier's own command for npm packages: it checks the whole attestations file
        (the registry's publish attestation and the SLSA provenance) against the tarball."""
        opts = self.support.options.provenance
        source = opts.source_uri or (summary.source_uri if summary else None)
        source = normalize_source(source)
        if not source:
            return []
        builder = next(iter(opts.builders), None) or (summary.builder if summary else None)
        return commands.slsa_verifier_npm(
            tarball, path, package.name, package.version, source, builder
        )

    # ------------------------------------------------------------------ render

    def render(self, findings: Findings, page: PageContext) -> Sequence[Section]:
        detail = findings.detail
        if not isinstance(detail, ProvenanceDetail) or not detail.attestations:
            return ()
        return (
            Section(
                "provenance",
                "Provenance",
                html_block(render_attestations(detail, page)),
                self.order,
            ),
        )


def _as_list(value: object) -> list[object]:
    return list(value) if isinstance(value, list) else []


def _key_signer(check: Check) -> str | None:
    prefix = "signed by key "
    if check.result == PASS and check.detail.startswith(prefix):
        return "key " + check.detail[len(prefix) :]
    return None


def _unauthenticated_statement(doc: Mapping[str, Any], path: str) -> Mapping[str, Any] | None:
    """The in-toto statement of a bundle whose signature did not verify, to show every check."""
    envelope = doc.get("dsseEnvelope")
    if not isinstance(envelope, Mapping):
        return None
    try:
        payload = decode_b64(envelope.get("payload"), "payload")
        return statement_of(str(envelope.get("payloadType")), payload, path)
    except (ValueError, SecdocsError):
        return None


def _publish_checks(ctx: ReleaseContext, publish: NpmPublish) -> list[Check]:
    """The package the registry says it published: named consistently, this release's version."""
    package, subject = publish.package, publish.subject
    if package is None:
        return [Check("package", FAIL, "the publish attestation names no package and version")]
    checks = [
        Check(
            "package",
            PASS if subject == package else FAIL,
            f"{package} published by {publish.registry or 'an unnamed registry'}"
            + ("" if subject == package else f"; the subject names {subject or 'no npm package'}"),
        )
    ]
    checks.append(
        Check(
            "version",
            PASS if package.version == ctx.release.version else FAIL,
            f"{package.version} (release {ctx.release.tag} is version {ctx.release.version})",
        )
    )
    return checks


def _signature_check(outcome: Outcome) -> Check:
    if outcome.status is Status.VERIFIED:
        who = outcome.identity or "(unknown)"
        if outcome.kind.startswith("key-"):
            return Check("signature", PASS, f"signed by {who}; transparency log entry checked")
        issuer = f" (issuer {outcome.issuer})" if outcome.issuer else ""
        return Check("signature", PASS, f"Sigstore: signed by {who}{issuer}")
    result = FAIL if outcome.status is Status.FAILED else UNKNOWN
    return Check("signature", result, outcome.reason or "not verified")


def _overall(checks: Sequence[Check]) -> tuple[Status, str | None]:
    failed = [c for c in checks if c.result == FAIL]
    if failed:
        return Status.FAILED, "; ".join(f"{c.name}: {c.detail}" for c in failed)
    unknown = [c for c in checks if c.result == UNKNOWN]
    if unknown:
        return Status.UNVERIFIABLE, "; ".join(f"{c.name}: {c.detail}" for c in unknown)
    return Status.VERIFIED, None
