"""What a release's checks established, phrased for readers: the verdict lines at the top of a
release page, the commands per artifact and tool, and what "Check a file" says about a file.

Everything is read from the generic :class:`~secdocs.model.EvidenceItem` rows (status, signer,
details) that every kind publishes in ``evidence.json``, never from a collector's private data.
Statuses are rendered as the model gives them.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass

from secdocs.model import EvidenceItem, Kind, ReleaseReport, Status, worst

#: the kinds a verdict line is written for, in reading order, with their label
VERDICT_KINDS: tuple[tuple[str, str], ...] = (
    (Kind.SIGNATURE, "Signatures"),
    (Kind.PROVENANCE, "Provenance"),
    ("checksum", "Checksums"),
    (Kind.TAG_SIGNATURE, "Tag signature"),
    (Kind.SBOM, "SBOM"),
)

#: tools of the verification commands, recognised by how a command starts, in tab order
TOOLS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("sigstore-python", ("python -m sigstore", "sigstore ")),
    ("cosign", ("cosign ",)),
    ("gh attestation verify", ("gh attestation",)),
    ("slsa-verifier", ("slsa-verifier ",)),
    ("sha256sum", ("sha256sum ", "echo ")),
    ("git", ("git ",)),
)


@dataclass(frozen=True)
class Line:
    """One verdict line: a kind, its worst status and what was verified and by whom."""

    label: str
    status: Status
    text: str


@dataclass(frozen=True)
class Fact:
    """One thing checked about one file."""

    kind: str
    status: Status
    text: str


def _strings(value: object) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list | tuple) else []


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _who(item: EvidenceItem) -> str:
    if item.signer is None:
        return ""
    issuer = f" (issuer {item.signer.issuer})" if item.signer.issuer else ""
    return f"{item.signer.identity}{issuer}"


def _built(item: EvidenceItem) -> str:
    d = item.details
    parts = []
    if _text(d.get("builder")):
        parts.append(f"built by {_text(d.get('builder'))}")
    source = _text(d.get("source_uri"))
    if source:
        commit = _text(d.get("source_commit"))
        parts.append(f"from {source}" + (f" at {commit}" if commit else ""))
    return ", ".join(parts)


def _describe(item: EvidenceItem) -> str:
    """What the check found, in words (its reason when it did not pass)."""
    if item.status is not Status.VERIFIED:
        return item.reason or item.status.value
    if item.kind == Kind.SIGNATURE:
        return f"signed by {_who(item)}" if item.signer else "signature checked"
    if item.kind == Kind.PROVENANCE:
        who = f"signed by {_who(item)}" if item.signer else ""
        return "; ".join(p for p in (_built(item), who) if p) or "provenance checked"
    if item.kind == "checksum":
        listing = _text(item.details.get("checksums"))
        return f"matches {listing}" if listing else "checksum matches"
    if item.kind == Kind.TAG_SIGNATURE:
        return f"tag signed by {_who(item)}" if item.signer else "tag signature checked"
    return item.reason or "checked"


def verdict(report: ReleaseReport) -> list[Line]:
    """One line per kind that has checks: its worst status and what passed (or why not)."""
    lines = []
    for kind, label in VERDICT_KINDS:
        items = [i for i in report.items if i.kind == kind]
        if not items:
            continue
        status = worst({i.status for i in items}) or Status.PRESENT
        passed = [i for i in items if i.status is Status.VERIFIED]
        if status is Status.VERIFIED:
            texts = sorted({_describe(i) for i in items})
            text = f"{len(items)} of {len(items)} verified: " + "; ".join(texts)
        else:
            bad = [i for i in items if i.status is status]
            reasons = sorted({f"{i.path or kind}: {_describe(i)}" for i in bad})
            text = f"{len(passed)} of {len(items)} verified; " + "; ".join(reasons[:3])
            if len(reasons) > 3:
                text += f"; and {len(reasons) - 3} more"
        lines.append(Line(label, status, text))
    return lines


def _subjects(item: EvidenceItem) -> list[str]:
    if item.kind == Kind.PROVENANCE:
        return _strings(item.details.get("subjects"))
    if item.kind == Kind.SIGNATURE:
        artifact = _text(item.details.get("artifact"))
        return [artifact] if artifact else []
    if item.kind == "checksum" and item.path:
        return [item.path]
    return []


def file_facts(report: ReleaseReport) -> dict[str, list[Fact]]:
    """For each file of the release, the checks that concern it (as subject or as itself)."""
    facts: dict[str, list[Fact]] = {f.name: [] for f in report.files}
    for item in report.items:
        names = set(_subjects(item))
        if item.path in facts and item.kind != "checksum":
            names.add(item.path)
        for name in sorted(names):
            if name in facts:
                facts[name].append(Fact(item.kind, item.status, _describe(item)))
    return facts


def tool_of(command: str) -> str:
    for tool, prefixes in TOOLS:
        if command.startswith(prefixes):
            return tool
    return command.split(" ", 1)[0]


def commands(report: ReleaseReport) -> list[tuple[str, list[tuple[str, str]]]]:
    """Per artifact, the commands to verify it yourself, grouped by tool (tab order)."""
    by_artifact: dict[str, dict[str, list[str]]] = {}
    digests = {f.name: f.sha256 for f in report.files}
    for item in report.items:
        lines = _strings(item.details.get("commands"))
        if not lines:
            continue
        subjects = _subjects(item) or [item.path or item.kind]
        for line in lines:
            # a provenance command names its subject last; otherwise it covers every subject
            targets = [s for s in subjects if line.endswith(s)] or subjects
            for subject in targets:
                tools = by_artifact.setdefault(subject, {})
                tools.setdefault(tool_of(line), []).append(line)
    for item in report.items:  # a file a checksum list covers can be checked with sha256sum
        if item.kind == "checksum" and item.path in digests:
            by_artifact.setdefault(item.path, {})
    for name in list(by_artifact):
        if name in digests:
            by_artifact[name].setdefault("sha256sum", []).append(
                f"echo {shlex.quote(f'{digests[name]}  {name}')} | sha256sum --check"
            )
    order = [tool for tool, _ in TOOLS]
    out = []
    for name in sorted(by_artifact):
        tools = by_artifact[name]
        ranked = sorted(tools, key=lambda t: (order.index(t) if t in order else len(order), t))
        out.append((name, [(tool, "\n".join(dict.fromkeys(tools[tool]))) for tool in ranked]))
    return out
