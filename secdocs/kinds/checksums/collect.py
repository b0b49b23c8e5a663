"""The ``checksums`` kind: ``SHA256SUMS``-style files checked against the artifacts (the files
are read by :mod:`secdocs.kinds.checksums.parse`)."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping, Sequence

from secdocs.collectors import Collector, Coverage, FileNames, PageContext, ReleaseContext
from secdocs.errors import EvidenceError
from secdocs.kinds.checksums.model import SECDOCS_WRITTEN_REASON, ChecksumFileResult, Entry
from secdocs.kinds.checksums.parse import parse
from secdocs.kinds.checksums.render import section
from secdocs.model import (
    Assurance,
    EvidenceFile,
    EvidenceItem,
    Findings,
    JSONValue,
    Kind,
    Problem,
    Section,
    Status,
)
from secdocs.safety import check_relative


class ChecksumsCollector(Collector):
    name = "checksums"
    order = 10
    roles = (Kind.CHECKSUMS, Kind.ARTIFACT)
    claims = (
        FileNames(
            Kind.CHECKSUMS,
            suffixes=(".sha256", ".sha512"),
            names=("sha256sums", "sha512sums", "sha256sums.txt", "checksums.txt"),
        ),
    )
    coverage = Coverage(Kind.CHECKSUMS, "Checksums", position=40)

    def collect(self, ctx: ReleaseContext) -> Findings:
        items: list[EvidenceItem] = []
        problems: list[Problem] = []
        results: list[ChecksumFileResult] = []
        for sums in ctx.files_with_role(Kind.CHECKSUMS):
            display = f"{ctx.evidence_dir}/{sums.name}"
            try:
                text = ctx.read(sums).decode("utf-8")
            except UnicodeDecodeError:
                items.append(self._item(sums.name, Status.FAILED, "not UTF-8 text"))
                continue
            except EvidenceError as exc:
                items.append(self._item(sums.name, Status.FAILED, exc.message))
                continue
            entries, file_problems = parse(text, display)
            problems.extend(file_problems)
            folder = sums.name.rpartition("/")[0]
            result = self._check(ctx, sums, folder, entries, items)
            results.append(result)
            details: dict[str, JSONValue] = {"entries": len(entries), **_origin(ctx, sums.name)}
            if sums.secdocs_written:
                details["written_by"] = "secdocs"
            if file_problems:
                status, reason = Status.FAILED, f"{len(file_problems)} malformed line(s)"
            elif not entries:
                status, reason = Status.FAILED, "lists no files"
            elif result.failed:
                status, reason = Status.FAILED, f"digest mismatch: {', '.join(result.failed)}"
            elif sums.secdocs_written:
                status, reason = Status.PRESENT, SECDOCS_WRITTEN_REASON
            elif not result.verified:
                status = Status.PRESENT
                reason = (
                    f"lists {len(result.digest_only)} file(s) not kept in the evidence; "
                    "they are known by these digests"
                )
            else:
                status, reason = Status.VERIFIED, None
            items.append(self._item(sums.name, status, reason, details=details))
        data: dict[str, JSONValue] = {
            "files": [
                {
                    "file": r.file,
                    "entries": r.entries,
                    "verified": list(r.verified),
                    "failed": list(r.failed),
                    "missing": list(r.missing),
                    "digest_only": list(r.digest_only),
                }
                for r in results
            ]
        }
        return Findings(self.name, tuple(items), tuple(problems), data, tuple(results))

    def _check(
        self,
        ctx: ReleaseContext,
        sums: EvidenceFile,
        folder: str,
        entries: list[Entry],
        items: list[EvidenceItem],
    ) -> ChecksumFileResult:
        verified: list[str] = []
        failed: list[str] = []
        missing: list[str] = []
        digest_only: list[str] = []
        for entry in entries:
            details: dict[str, JSONValue] = {
                "checksums": sums.name,
                "algorithm": entry.algorithm,
                "line": entry.line,
                **_origin(ctx, sums.name),
            }
            try:
                name = check_relative(f"{folder}/{entry.name}" if folder else entry.name, "name")
            except EvidenceError as exc:
                failed.append(entry.name)
                items.append(
                    self._item(entry.name, Status.FAILED, exc.message, details, "checksum")
                )
                continue
            target = ctx.file(name)
            if target is None:
                known = ctx.digests.get(name)
                if known is not None and entry.algorithm == "sha256" and known != entry.digest:
                    failed.append(name)
                    items.append(
                        self._item(
                            name,
                            Status.FAILED,
                            f"{sums.name} says {entry.digest}, another checksum file of this "
                            f"release says {known}",
                            details,
                            "checksum",
                        )
                    )
                    continue
                digest_only.append(name)
                items.append(
                    self._item(
                        name,
                        Status.PRESENT,
                        "not kept in the evidence: known by its digest only",
                        {**details, "digest": entry.digest},
                        "checksum",
                    )
                )
                continue
            actual = self._digest(ctx, target, entry.algorithm)
            if actual is None:
                failed.append(name)
                items.append(
                    self._item(name, Status.FAILED, "cannot read the file", details, "checksum")
                )
            elif hmac.compare_digest(actual, entry.digest):
                verified.append(name)
                if sums.secdocs_written:
                    # integrity since collection only: secdocs wrote this list itself
                    items.append(
                        self._item(
                            name,
                            Status.PRESENT,
                            f"matches the digest secdocs recorded in {sums.name} when it "
                            "collected the file (integrity, not authenticity)",
                            {**details, "written_by": "secdocs"},
                            "checksum",
                        )
                    )
                else:
                    items.append(self._item(name, Status.VERIFIED, None, details, "checksum"))
            else:
                failed.append(name)
                items.append(
                    self._item(
                        name,
                        Status.FAILED,
                        f"{entry.algorithm} is {actual}, {sums.name} says {entry.digest}",
                        details,
                        "checksum",
                    )
                )
        return ChecksumFileResult(
            sums.name,
            len(entries),
            tuple(verified),
            tuple(failed),
            tuple(missing),
            tuple(digest_only),
        )

    @staticmethod
    def _digest(ctx: ReleaseContext, file: EvidenceFile, algorithm: str) -> str | None:
        if algorithm == "sha256":
            return file.sha256
        try:
            return hashlib.new(algorithm, ctx.read(file)).hexdigest()
        except EvidenceError:
            return None

    def _item(
        self,
        path: str,
        status: Status,
        reason: str | None,
        details: Mapping[str, JSONValue] | None = None,
        kind: str = Kind.CHECKSUMS,
    ) -> EvidenceItem:
        return EvidenceItem(
            kind=kind,
            path=path,
            status=status,
            reason=reason,
            collector=self.name,
            details=dict(details or {}),
            # a matching checksum says the bytes are those listed, not who made them
            assurance=Assurance.INTEGRITY if status is Status.VERIFIED else None,
        )

    def render(self, findings: Findings, page: PageContext) -> Sequence[Section]:
        results = findings.detail
        if not isinstance(results, tuple) or not results:
            return ()
        return (Section("checksums", "Checksums", section(findings), order=self.order),)


#: checksum files secdocs writes itself (``secdocs collect``): they record what it was given
SECDOCS_WRITTEN = ("secdocs-digests.sha256",)
SIGNATURE_SUFFIXES = (".sigstore.json", ".sigstore", ".sig", ".asc")


def _origin(ctx: ReleaseContext, sums: str) -> dict[str, JSONValue]:
    """Who wrote a checksum file and which signature file, if any, covers it."""
    written_by = (
        "secdocs collect"
        if sums.rsplit("/", 1)[-1] in SECDOCS_WRITTEN
        else "the release's publisher"
    )
    signature = next(
        (f"{sums}{suffix}" for suffix in SIGNATURE_SUFFIXES if ctx.file(f"{sums}{suffix}")), None
    )
    return {"checksums_written_by": written_by, "checksums_signature": signature}
