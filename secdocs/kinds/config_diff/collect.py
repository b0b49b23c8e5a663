"""The ``config-diff`` collector: configuration and values files compared with the previous release.

Configured paths or globs are read at the previous release's tag and at this one (through git).
YAML, JSON and TOML are compared key path by key path; other text as a unified diff. Secrets are
redacted while the diff is made (see :mod:`secdocs.redact`), so no secret reaches the
findings, the pages, ``evidence.json`` or the logs. TLS protocol versions and cipher suites in
the release's configuration are checked against an approved list (default: BSI TR-02102-2).
"""

from __future__ import annotations

import fnmatch
import hashlib
from collections.abc import Sequence
from dataclasses import replace

from secdocs.collectors import Collector, Coverage, PageContext, ReleaseContext
from secdocs.errors import SecdocsError
from secdocs.kinds.config_diff.differ import (
    Flattener,
    Leaf,
    ParseError,
    file_format,
    parse,
    structural_diff,
    text_tls_findings,
    tls_findings,
    unified_diff,
)
from secdocs.kinds.config_diff.model import ConfigDiffDetail, Deviation, FileDiff, K8sFlag
from secdocs.kinds.config_diff.options import ConfigDiffBlock, ConfigDiffOptions
from secdocs.kinds.config_diff.render import section
from secdocs.kinds.containers import k8s
from secdocs.model import EvidenceItem, Findings, JSONValue, Kind, Problem, Section, Status
from secdocs.redact import Redactor, redact_spans
from secdocs.release_files import (
    MAX_DOCUMENT,
    decode,
)
from secdocs.render.html import html_block

KEY = "config_diff"
_CACHE_SIZE = 64
_GLOB = "*?["


class ConfigDiffCollector(Collector):
    name = "config-diff"
    order = 62
    options_class = ConfigDiffOptions
    coverage = Coverage(Kind.CONFIG_DIFF, "Config diff", position=70)
    reads_tag_tree = True

    def collect(self, ctx: ReleaseContext) -> Findings:
        options = ctx.config.options.config_diff
        if options is None:
            return Findings(self.name)
        differ = self._differ_for(options)
        previous = ctx.previous.commit if ctx.previous else None
        limit = ctx.config.max_file_size
        files: list[FileDiff] = []
        unmatched: list[str] = []
        seen: set[str] = set()
        for pattern in options.paths:
            matched = _matches(ctx, pattern, ctx.release.commit)
            if previous is not None:
                matched |= _matches(ctx, pattern, previous)
            if not matched:
                unmatched.append(pattern)
            for path in sorted(matched - seen):
                seen.add(path)
                files.append(differ.diff_file(ctx, path, previous, limit))
        detail = ConfigDiffDetail(
            ctx.previous.tag if ctx.previous else None, tuple(files), tuple(unmatched)
        )
        items = [self._item(f, options) for f in files]
        items += [
            EvidenceItem(
                Kind.CONFIG_DIFF,
                pattern,
                Status.MISSING,
                f"no file matches {pattern} at {ctx.release.tag}"
                + (f" or {ctx.previous.tag}" if ctx.previous else ""),
                self.name,
            )
            for pattern in unmatched
        ]
        problems = [p for f in files for p in f.problems]
        for f in files:
            for flag in f.k8s:
                problems.append(
                    Problem(
                        f"Kubernetes: {flag.title} at {flag.where} ({flag.value})"
                        + (
                            " (unchanged from the previous release)"
                            if flag.inherited
                            else " (new in this release)"
                        ),
                        f.path,
                        None,
                        "warning",
                    )
                )
            for deviation in f.deviations:
                problems.append(
                    Problem(
                        f"TLS {deviation.kind} {deviation.value} at {deviation.path} is not on the "
                        f"approved list"
                        + (" (unchanged from the previous release)" if deviation.inherited else ""),
                        f.path,
                        None,
                        "error" if options.fail_on_deviation else "warning",
                    )
                )
        return Findings(self.name, tuple(items), tuple(problems), _data(detail), detail)

    def _differ_for(self, options: ConfigDiffBlock) -> _Differ:
        # one differ per options, so a file parsed as this release's "new" side is reused as
        # the next release's "old" side
        cached = getattr(self, "_differ", None)
        if not isinstance(cached, _Differ) or cached.options is not options:
            cached = _Differ(options)
            self._differ = cached
        return cached

    def _item(self, diff: FileDiff, options: ConfigDiffBlock) -> EvidenceItem:
        details: dict[str, JSONValue] = {
            "state": diff.state,
            "changes": len(diff.changes) or max(0, len(diff.diff) - 2),
            "redacted": diff.redacted,
            "tls_deviations": len(diff.deviations),
        }
        if diff.state == "unreadable":
            reason = diff.problems[0].message if diff.problems else "cannot be read"
            return EvidenceItem(
                Kind.CONFIG_DIFF, diff.path, Status.FAILED, reason, self.name, None, details
            )
        details["kubernetes_flags"] = len(diff.k8s)
        details["kubernetes_resolved"] = len(diff.k8s_resolved)
        reasons = []
        status = Status.PRESENT
        if diff.deviations:
            shown = ", ".join(sorted({d.value for d in diff.deviations})[:5])
            reasons.append(f"TLS settings not on the approved list: {shown}")
            status = Status.FAILED if options.fail_on_deviation else Status.PRESENT
        if diff.k8s:
            new = sum(1 for f in diff.k8s if not f.inherited)
            reasons.append(
                f"Kubernetes settings flagged: {new} new in this release, "
                f"{len(diff.k8s) - new} already there"
            )
        if reasons:
            return EvidenceItem(
                Kind.CONFIG_DIFF, diff.path, status, "; ".join(reasons), self.name, None, details
            )
        return EvidenceItem(
            Kind.CONFIG_DIFF, diff.path, Status.PRESENT, None, self.name, None, details
        )

    def render(self, findings: Findings, page: PageContext) -> Sequence[Section]:
        detail = findings.detail
        if not isinstance(detail, ConfigDiffDetail):
            return ()
        body = section(detail)
        return (Section("config-diff", "Configuration changes", html_block(body), 62),)


def _matches(ctx: ReleaseContext, pattern: str, commit: str) -> set[str]:
    if not any(c in pattern for c in _GLOB):
        listed = ctx.repo.list_files(commit, pattern)
        return {pattern} if pattern in listed else set()
    literal = pattern[: min(pattern.index(c) for c in _GLOB if c in pattern)]
    prefix = literal.rsplit("/", 1)[0] if "/" in literal else ""
    return {p for p in ctx.repo.list_files(commit, prefix) if fnmatch.fnmatchcase(p, pattern)}


class _Differ:
    def __init__(self, options: ConfigDiffBlock) -> None:
        self.options = options
        self.policy = options.approved_tls.policy
        self.redactor = Redactor(options.secret_keys)
        self.flattener = Flattener(self.redactor, options.all_security_keys)
        self._parsed: dict[tuple[str, str, str], dict[str, Leaf] | ParseError] = {}
        self._flags: dict[tuple[str, str, str], list[k8s.Flag]] = {}

    def diff_file(
        self, ctx: ReleaseContext, path: str, previous: str | None, limit: int
    ) -> FileDiff:
        fmt = file_format(path)
        try:
            new = ctx.read_at_tag(path)
            old = ctx.repo.read(previous, path, limit) if previous else None
        except SecdocsError as exc:
            return FileDiff(
                path, fmt, "unreadable", problems=(Problem(f"cannot read: {_safe(exc)}", path),)
            )
        for data in (new, old):
            if data is not None and len(data) > MAX_DOCUMENT:
                return FileDiff(
                    path,
                    fmt,
                    "unreadable",
                    problems=(Problem(f"larger than {MAX_DOCUMENT} bytes", path),),
                )
        old_text = decode(old)[0] if old is not None else None
        new_text = decode(new)[0] if new is not None else None
        if previous is None:
            state = "first"
        elif old_text is None:
            state = "added"
        elif new_text is None:
            state = "removed"
        else:
            state = "changed" if old_text != new_text else "unchanged"

        problems: list[Problem] = []
        if fmt != "text":
            try:
                old_leaves = self._leaves(old_text, fmt, path, problems, "previous release")
                new_leaves = self._leaves(new_text, fmt, path, problems, "this release")
            except ParseError:
                pass
            else:
                diff = self._structural(path, fmt, state, old_leaves, new_leaves, problems)
                return self._with_k8s(diff, path, fmt, old_text, new_text)
        return self._text(ctx, path, fmt, state, old_text, new_text, problems)

    def _leaves(
        self, text: str | None, fmt: str, path: str, problems: list[Problem], which: str
    ) -> dict[str, Leaf]:
        if text is None:
            return {}
        key = (path, fmt, hashlib.sha256(text.encode()).hexdigest())
        cached = self._parsed.get(key)
        if cached is None:
            try:
                document = parse(text, fmt, path)
                cached = self.flattener.flatten(document)
                self._flags[key] = k8s.flags(document, path)
            except ParseError as exc:
                cached = exc
            if len(self._parsed) >= _CACHE_SIZE:
                dropped = next(iter(self._parsed))
                self._parsed.pop(dropped)
                self._flags.pop(dropped, None)
            self._parsed[key] = cached
        if not isinstance(cached, ParseError):
            return cached
        problems.append(
            Problem(
                f"{cached.message} (in the {which}); compared as text instead",
                path,
                cached.line,
                "warning",
            )
        )
        raise ParseError(cached.message, cached.line)

    def _structural(
        self,
        path: str,
        fmt: str,
        state: str,
        old: dict[str, Leaf],
        new: dict[str, Leaf],
        problems: list[Problem],
    ) -> FileDiff:
        changes = structural_diff(old, new)
        new_tls = tls_findings(new, self.policy)
        old_bad = {(f.path, f.value) for f in tls_findings(old, self.policy) if not f.approved}
        deviations = tuple(
            Deviation(f.path, f.kind, f.value, (f.path, f.value) in old_bad)
            for f in new_tls
            if not f.approved
        )
        approved = tuple(sorted({f.value for f in new_tls if f.approved}))
        redacted = sum(1 for c in changes if c.redacted)
        return FileDiff(
            path, fmt, state, tuple(changes), (), deviations, approved, tuple(problems), redacted
        )

    def _k8s_flags(self, text: str | None, fmt: str, path: str) -> list[k8s.Flag]:
        if text is None:
            return []
        return self._flags.get((path, fmt, hashlib.sha256(text.encode()).hexdigest()), [])

    def _with_k8s(
        self, diff: FileDiff, path: str, fmt: str, old_text: str | None, new_text: str | None
    ) -> FileDiff:
        new = self._k8s_flags(new_text, fmt, path)
        old = self._k8s_flags(old_text, fmt, path)
        if not new and not old:
            return diff
        before = {f.key for f in old}
        after = {f.key for f in new}
        # flags quote names and values: secrets in them are redacted like every shown value
        return replace(
            diff,
            k8s=tuple(
                K8sFlag(f.rule, redact_spans(f.where), redact_spans(f.value), f.key in before)
                for f in new
            ),
            k8s_resolved=tuple(
                K8sFlag(f.rule, redact_spans(f.where), redact_spans(f.value), True)
                for f in old
                if f.key not in after
            ),
        )

    def _text(
        self,
        ctx: ReleaseContext,
        path: str,
        fmt: str,
        state: str,
        old_text: str | None,
        new_text: str | None,
        problems: list[Problem],
    ) -> FileDiff:
        old_lines = _lines(old_text)
        new_lines = _lines(new_text)
        old_shown = self.redactor.redact_text(old_text)[: len(old_lines)] if old_text else []
        new_shown = self.redactor.redact_text(new_text)[: len(new_lines)] if new_text else []
        before = f"a/{path} ({ctx.previous.tag})" if ctx.previous else "/dev/null"
        lines = unified_diff(
            old_lines, new_lines, old_shown, new_shown, before, f"b/{path} ({ctx.release.tag})"
        )
        new_tls = text_tls_findings(new_shown, self.policy)
        old_bad = {f.value for f in text_tls_findings(old_shown, self.policy) if not f.approved}
        deviations = tuple(
            Deviation(f.path, f.kind, f.value, f.value in old_bad)
            for f in new_tls
            if not f.approved
        )
        approved = tuple(sorted({f.value for f in new_tls if f.approved}))
        redacted = sum(1 for line in lines if "«redacted»" in line)
        return FileDiff(
            path, fmt, state, (), tuple(lines), deviations, approved, tuple(problems), redacted
        )


def _lines(text: str | None) -> list[str]:
    if not text:
        return []
    return text.removesuffix("\n").split("\n")


def _safe(exc: Exception) -> str:
    from secdocs.redact import redact_message

    return redact_message(str(exc))


def _data(detail: ConfigDiffDetail) -> dict[str, JSONValue]:
    files: list[JSONValue] = []
    for f in detail.files:
        files.append(
            {
                "path": f.path,
                "format": f.format,
                "state": f.state,
                "changes": [
                    {
                        "path": c.path,
                        "kind": c.kind,
                        "old": c.old,
                        "new": c.new,
                        "redacted": c.redacted,
                        "security": c.security,
                    }
                    for c in f.changes
                ],
                "diff": list(f.diff),
                "tls": {
                    "approved": list(f.approved),
                    "deviations": [
                        {"path": d.path, "kind": d.kind, "value": d.value, "inherited": d.inherited}
                        for d in f.deviations
                    ],
                },
                "redacted": f.redacted,
                "kubernetes": {
                    "flags": [_flag_json(k) for k in f.k8s],
                    "resolved": [_flag_json(k) for k in f.k8s_resolved],
                },
            }
        )
    return {
        "previous": detail.previous,
        "files": files,
        "unmatched": list(detail.unmatched),
        "tls_deviations": sum(len(f.deviations) for f in detail.files),
        "kubernetes_flags": sum(len(f.k8s) for f in detail.files),
    }


def _flag_json(flag: K8sFlag) -> dict[str, JSONValue]:
    return {
        "rule": flag.rule,
        "title": flag.title,
        "where": flag.where,
        "value": flag.value,
        "inherited": flag.inherited,
    }
