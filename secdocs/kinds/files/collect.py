"""The ``files`` collector: the evidence folder itself — present, missing, or partly refused."""

from __future__ import annotations

from secdocs.collectors import Collector, ReleaseContext
from secdocs.model import EvidenceItem, Findings, Kind, Status
from secdocs.roles import classify


class FilesCollector(Collector):
    name = "files"
    order = 0
    roles = ()

    def collect(self, ctx: ReleaseContext) -> Findings:
        items: list[EvidenceItem] = []
        if not ctx.has_evidence:
            items.append(
                EvidenceItem(
                    kind=Kind.EVIDENCE_FOLDER,
                    path=ctx.evidence_dir,
                    status=Status.MISSING,
                    reason=(
                        f"no evidence folder {ctx.evidence_dir} on {ctx.config.evidence_ref} "
                        "for this release"
                        if ctx.config.evidence_ref
                        else f"no evidence folder {ctx.evidence_dir} for this release"
                    ),
                    collector=self.name,
                )
            )
        for entry in ctx.rejected:
            items.append(
                EvidenceItem(
                    kind=classify(entry.name),
                    path=entry.name,
                    status=Status.FAILED,
                    reason=f"refused: {entry.reason}",
                    collector=self.name,
                )
            )
        roles: dict[str, int] = {}
        for file in ctx.files:
            roles[file.role] = roles.get(file.role, 0) + 1
        return Findings(
            collector=self.name,
            items=tuple(items),
            data={"files": len(ctx.files), "roles": dict(sorted(roles.items()))},
        )
