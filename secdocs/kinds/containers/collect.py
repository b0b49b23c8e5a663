"""The ``containers`` collector: images of a release, their signatures, scans and checks."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from secdocs.collectors import Collector, PageContext, ReleaseContext
from secdocs.config import Config
from secdocs.errors import SecdocsError
from secdocs.kinds.containers import hardening, names
from secdocs.kinds.containers.layout import LayoutError, folder_source, read_layout, tar_source
from secdocs.kinds.containers.model import (
    REFERENCE_RE,
    Check,
    ContainersDetail,
    Image,
    ImageSignature,
    Scan,
    severity_counts,
    short,
)
from secdocs.kinds.containers.options import ContainersOptions
from secdocs.kinds.containers.trivy import read_scan
from secdocs.kinds.containers.verify import ImageVerifier, base_images
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
from secdocs.sbom.trivy import is_trivy_cyclonedx
from secdocs.verify import commands
from secdocs.verify.bundles import identity_check
from secdocs.verify.support import VerificationSupport

NAME = "containers"
MAX_REFERENCES = 1_000


class ContainersCollector(Collector):
    name = NAME
    order = 35
    options_class = ContainersOptions
    #: OCI layouts, images.txt, image signatures and Trivy reports (see :mod:`.names`)
    claim_rule = names.role

    def __init__(self, config: Config, options: Mapping[str, Any] | None = None) -> None:
        super().__init__(config, options)
        self.settings = config.options.containers
        self.support = VerificationSupport(config)

    # ------------------------------------------------------------------ collect

    def collect(self, ctx: ReleaseContext) -> Findings:
        problems: list[Problem] = []
        images = self._layouts(ctx) + self._references(ctx, problems)
        scans = self._scans(ctx, problems)
        by_digest = {i.digest: i.label for i in images if i.digest}
        signatures, statements = self._signatures(ctx, by_digest)
        ties = self._ties(images, scans, problems)
        checks = self._checks(ctx, images, scans, ties, statements)
        cmds = self._commands(images, signatures)
        detail = ContainersDetail(
            images=tuple(images),
            scans=tuple(scans),
            signatures=tuple(signatures),
            checks=tuple(checks),
            ties=tuple(ties),
            commands=tuple(cmds),
        )
        items = [self._image_item(i, detail) for i in images]
        items += [self._signature_item(s) for s in signatures]
        return Findings(
            collector=NAME,
            items=tuple(items),
            problems=tuple(problems),
            data=build_data(detail),
            detail=detail,
        )

    def _layouts(self, ctx: ReleaseContext) -> list[Image]:
        roots = sorted({r for f in ctx.files if (r := names.layout_root(f.name)) is not None})
        meta = {f.name: (f.size, f.sha256) for f in ctx.files}
        found: list[Image] = []
        for root in roots:
            display = f"{ctx.evidence_dir}/{root}"
            if root.endswith(names.LAYOUT_TAR) and root in meta:
                try:
                    source = tar_source(ctx.read(root))
                except (LayoutError, SecdocsError) as exc:
                    found.append(Image(root, "oci-tar", Status.FAILED, f"{display}: {exc}"))
                    continue
                found.append(read_layout(source, root, "oci-tar", self.settings.max_layer_size))
            else:
                source = folder_source(f"{root}/", meta, ctx.read)
                refused = [r for r in ctx.rejected if r.name.startswith(f"{root}/")]
                if refused:
                    found.append(
                        Image(
                            root,
                            "oci-layout",
                            Status.FAILED,
                            f"{display}: {refused[0].name} refused ({refused[0].reason})",
                        )
                    )
                    continue
                found.append(read_layout(source, root, "oci-layout", self.settings.max_layer_size))
        return found

    def _references(self, ctx: ReleaseContext, problems: list[Problem]) -> list[Image]:
        found: list[Image] = []
        for file in ctx.files_with_role(names.IMAGE):
            if file.name.rsplit("/", 1)[-1].lower() != names.REFERENCES_FILE:
                continue
            try:
                text = ctx.read(file).decode("utf-8")
            except (SecdocsError, UnicodeDecodeError) as exc:
                problems.append(Problem(f"image references not read: {exc}", file.name))
                continue
            for number, line in enumerate(text.splitlines()[:MAX_REFERENCES], start=1):
                entry = line.split("#", 1)[0].strip()
                if not entry:
                    continue
                match = REFERENCE_RE.match(entry)
                if match is None:
                    problems.append(
                        Problem(
                            "not an image reference name@sha256:<64 hex>: write the image's "
                            "digest reference, not a tag",
                            file.name,
                            number,
                        )
                    )
                    continue
                found.append(
                    Image(
                        label=match.group("name"),
                        source="reference",
                        status=Status.PRESENT,
                        digest=match.group("digest"),
                        names=(match.group("name"),),
                    )
                )
        return found

    def _scans(self, ctx: ReleaseContext, problems: list[Problem]) -> list[Scan]:
        found: list[Scan] = []
        for file in ctx.files:
            trivy_sbom = file.role == Kind.SBOM and file.name.endswith(".json")
            if file.role != Kind.SCAN and not trivy_sbom:
                continue
            try:
                data = ctx.read(file)
            except SecdocsError as exc:
                problems.append(Problem(f"scan not read: {exc}", file.name))
                continue
            if trivy_sbom and not is_trivy_cyclonedx(data):
                continue
            if (
                file.role == Kind.SCAN
                and names.role(file.name) != names.SCAN
                and b'"SchemaVersion"' not in data
            ):
                continue  # a Grype, OSV-Scanner or pip-audit report
            try:
                found.append(read_scan(data, file.name))
            except SecdocsError as exc:
                problems.append(Problem(f"not a Trivy report: {exc}", file.name))
        return found

    def _verifier(self, ctx: ReleaseContext) -> ImageVerifier:
        signer = self.support.signer(ctx)
        return ImageVerifier(
            self.support.verifiers,
            self.support.options.trusted_root,
            lambda: self.support.keys,
            signer,
            identity_check(signer),
        )

    def _signatures(
        self, ctx: ReleaseContext, images: Mapping[str, str]
    ) -> tuple[list[ImageSignature], list[Mapping[str, Any]]]:
        verifier = self._verifier(ctx)
        labels = set(images.values())
        results: list[ImageSignature] = []
        statements: list[Mapping[str, Any]] = []
        present = {f.name for f in ctx.files}
        for file in ctx.files_with_role(names.IMAGE_SIGNATURE):
            stem = names.signature_stem(file.name) or ""
            if file.name.endswith(".payload.json"):
                continue
            paired = stem if stem in labels or stem.endswith((".oci", ".oci.tar")) else None
            display = f"{ctx.evidence_dir}/{file.name}"
            try:
                raw = ctx.read(file)
                payload = (
                    ctx.read(f"{stem}.payload.json") if f"{stem}.payload.json" in present else None
                )
            except SecdocsError as exc:
                results.append(
                    ImageSignature(file.name, "unreadable", Status.FAILED, str(exc), paired, None)
                )
                continue
            if file.name.endswith((".intoto.jsonl", ".intoto.json")):
                found, good = verifier.attestation(file.name, raw, images, paired)
                results += found
                statements += good
            elif file.name.endswith(".sig"):
                results.append(verifier.key_signature(file.name, raw, payload, images, paired))
            else:
                results.append(verifier.bundle(file.name, raw, payload, images, paired))
            del display
        return results, statements

    @staticmethod
    def _ties(
        images: Sequence[Image], scans: Sequence[Scan], problems: list[Problem]
    ) -> list[tuple[str, str | None, str | None]]:
        ties: list[tuple[str, str | None, str | None]] = []
        known = [i for i in images if i.digest]
        for scan in scans:
            if scan.image_id is None and not scan.repo_digests:
                ties.append((scan.path, None, None))
                continue
            match = next(
                (
                    i
                    for i in known
                    if i.digest in scan.repo_digests
                    or (scan.image_id is not None and scan.image_id == i.config_digest)
                ),
                None,
            )
            if match is not None:
                ties.append((scan.path, match.label, None))
                continue
            if not known:
                ties.append((scan.path, None, None))
                continue
            scanned = ", ".join(
                [*(f"image ID {scan.image_id}" for _ in [0] if scan.image_id), *scan.repo_digests]
            )
            ours = ", ".join(
                f"{i.label} ({i.digest}, config {i.config_digest or 'unknown'})" for i in known
            )
            warning = f"the scan is of {scanned}, not of this release's image: {ours}"
            problems.append(Problem(warning, scan.path, severity="warning"))
            ties.append((scan.path, None, warning))
        return ties

    def _checks(
        self,
        ctx: ReleaseContext,
        images: Sequence[Image],
        scans: Sequence[Scan],
        ties: Sequence[tuple[str, str | None, str | None]],
        statements: Sequence[Mapping[str, Any]],
    ) -> list[tuple[str, tuple[Check, ...]]]:
        max_days = int(self.settings.max_base_age_days)
        released = ctx.release.date
        out: list[tuple[str, tuple[Check, ...]]] = []
        tied = {label: path for path, label, _ in ties if label}
        for image in images:
            if image.status is Status.FAILED:
                continue
            config = image.config
            if config is None and image.label in tied:
                config = next((s.config for s in scans if s.path == tied[image.label]), None)
            bases: list[tuple[str, str | None, str]] = []
            if image.base_name:
                bases.append((image.base_name, image.base_digest, "image annotations"))
            for statement in statements:
                if image.digest and image.digest in _subjects(statement):
                    bases += [(uri, digest, "provenance") for uri, digest in base_images(statement)]
            out.append(
                (
                    image.label,
                    (
                        hardening.non_root(config),
                        hardening.base_pinned(bases),
                        hardening.base_age(config, released, max_days),
                    ),
                )
            )
        for scan in scans:
            if scan.config is None or any(p == scan.path and label for p, label, _ in ties):
                continue
            label = f"{scan.artifact or scan.path} (scanned by {scan.path})"
            out.append(
                (
                    label,
                    (
                        hardening.non_root(scan.config),
                        hardening.base_pinned([]),
                        hardening.base_age(scan.config, released, max_days),
                    ),
                )
            )
        return out

    def _commands(
        self, images: Sequence[Image], signatures: Sequence[ImageSignature]
    ) -> list[tuple[str, tuple[str, ...]]]:
        opts = self.support.options
        repo = commands.github_repo(opts.provenance.source_uri)
        out: list[tuple[str, tuple[str, ...]]] = []
        for image in images:
            if not image.digest:
                continue
            name = next((n for n in image.names if "/" in n), None)
            if name is None:
                continue
            ref = f"{repository(name)}@{image.digest}"
            cmds: list[str] = []
            for sig in signatures:
                if sig.image != image.label:
                    continue
                attest = sig.predicate_type is not None
                verb = "verify-attestation" if attest else "verify"
                if sig.identity and sig.identity.startswith("key ") and opts.public_keys:
                    cmds.append(commands.join("cosign", verb, "--key", opts.public_keys[0], ref))
                elif sig.identity and sig.issuer:
                    cmds.append(
                        commands.join(
                            "cosign",
                            verb,
                            "--certificate-identity",
                            sig.identity,
                            "--certificate-oidc-issuer",
                            sig.issuer,
                            ref,
                        )
                    )
            if repo:
                cmds.append(
                    commands.join("gh", "attestation", "verify", f"oci://{ref}", "--repo", repo)
                )
            if cmds:
                out.append((image.label, tuple(dict.fromkeys(cmds))))
        return out

    # ------------------------------------------------------------------ items

    @staticmethod
    def _image_item(image: Image, detail: ContainersDetail) -> EvidenceItem:
        details: dict[str, JSONValue] = {
            "source": image.source,
            "digest": image.digest,
            "checks": {c.name: c.result for c in detail.checks_of(image.label)},
        }
        reason = image.reason
        if image.status is Status.PRESENT and reason is None:
            details["note"] = "named by digest reference; no layout to check"
        return EvidenceItem(
            kind=names.IMAGE,
            path=image.label,
            status=image.status,
            reason=reason,
            collector=NAME,
            details=details,
            # every blob from index to config re-hashed against its digest: integrity
            assurance=Assurance.INTEGRITY if image.status is Status.VERIFIED else None,
        )

    @staticmethod
    def _signature_item(sig: ImageSignature) -> EvidenceItem:
        return EvidenceItem(
            kind=names.IMAGE_SIGNATURE,
            path=sig.path,
            status=sig.status,
            reason=sig.reason,
            collector=NAME,
            signer=Signer(sig.identity, sig.issuer) if sig.identity else None,
            assurance=Assurance.AUTHENTICITY if sig.status is Status.VERIFIED else None,
            details={
                "format": sig.format,
                "image": sig.image,
                "digest": sig.digest,
                "predicate_type": sig.predicate_type,
            },
        )

    # ------------------------------------------------------------------ render

    def render(self, findings: Findings, page: PageContext) -> Sequence[Section]:
        from secdocs.kinds.containers.render import section

        detail = findings.detail
        if not isinstance(detail, ContainersDetail):
            return ()
        if not (detail.images or detail.scans or detail.signatures):
            return ()
        return (Section("containers", "Container images", section(detail, page), order=self.order),)


def repository(name: str) -> str:
    """``ghcr.io/acme/app`` for ``ghcr.io/acme/app:1.0`` (a registry port is kept)."""
    head, _, last = name.rpartition("/")
    if ":" in last:
        last = last.split(":", 1)[0]
    return f"{head}/{last}" if head else last


def _subjects(statement: Mapping[str, Any]) -> list[str]:
    from secdocs.kinds.containers.verify import subject_digests

    return subject_digests(statement)


def build_data(detail: ContainersDetail) -> dict[str, JSONValue]:
    """What evidence.json publishes under ``collectors.containers``."""
    tie = {path: (label, warning) for path, label, warning in detail.ties}
    cmds = dict(detail.commands)
    vulns = [v.severity for s in detail.scans for v in s.vulnerabilities]
    misconfs = [m.severity for s in detail.scans for m in s.misconfigurations]
    return {
        "images": [
            {
                "label": i.label,
                "source": i.source,
                "status": i.status.value,
                "reason": i.reason,
                "digest": i.digest,
                "config_digest": i.config_digest,
                "names": list(i.names),
                "platform": i.platform or None,
                "layers": i.layers,
                "layers_absent": i.layers_absent,
                "user": i.config.user if i.config else None,
                "base": {"name": i.base_name, "digest": i.base_digest},
                "commands": list(cmds.get(i.label, ())),
            }
            for i in detail.images
        ],
        "checks": [
            {
                "image": label,
                "checks": [
                    {"name": c.name, "result": c.result, "reason": c.reason} for c in checks
                ],
            }
            for label, checks in detail.checks
        ],
        "signatures": [
            {
                "path": s.path,
                "format": s.format,
                "status": s.status.value,
                "reason": s.reason,
                "image": s.image,
                "digest": s.digest,
                "signer": {"identity": s.identity, "issuer": s.issuer},
                "predicate_type": s.predicate_type,
            }
            for s in detail.signatures
        ],
        "scans": [
            {
                "path": s.path,
                "format": s.format,
                "artifact": s.artifact or None,
                "artifact_type": s.artifact_type or None,
                "image_id": s.image_id,
                "repo_digests": list(s.repo_digests),
                "image": tie.get(s.path, (None, None))[0],
                "warning": tie.get(s.path, (None, None))[1],
                "vulnerabilities": len(s.vulnerabilities),
                "vulnerabilities_by_severity": s.vulnerability_counts(),
                "misconfigurations": len(s.misconfigurations),
                "misconfigurations_by_severity": s.misconfiguration_counts(),
                "misconfiguration_list": [
                    {"id": m.id, "title": m.title, "severity": m.severity, "target": m.target}
                    for m in s.misconfigurations[:500]
                ],
            }
            for s in detail.scans
        ],
        "totals": {
            "vulnerabilities": severity_counts(vulns),
            "misconfigurations": severity_counts(misconfs),
        },
    }


__all__ = ["ContainersCollector", "build_data", "short"]
