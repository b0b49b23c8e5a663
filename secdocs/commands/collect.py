"""``secdocs collect --tag vX.Y.Z FILES…``: record a release's evidence.

Two places can hold it (the ``evidence:`` option):

* a working-tree folder (``evidence: evidence/{tag}``): files are copied in, and the command
  refuses to write into a release's folder when any file it would write already exists;
* a git ref (``evidence: {ref: refs/secdocs/evidence, path: "{tag}"}``): a new commit on that ref
  is written with git plumbing (``hash-object``, ``mktree``, ``commit-tree``, ``update-ref`` with
  the old value, so a concurrent writer makes it fail instead of being overwritten). No checkout
  and no index are involved, so ignore rules cannot drop a file. The ref is append-only: changing
  a release that is already on it needs ``--replace`` and a ``--reason``, both recorded in the
  commit message.

Release binaries (files whose role is ``artifact``) are known by name and digest: only their
SHA-256 goes into the digest list (:data:`~secdocs.digests.DIGEST_LIST`) unless
``--keep-binaries`` (or ``evidence: {keep_binaries: true}``) keeps them too. Bundles, signatures,
SBOMs, provenance, reports and checksum files are always kept. The tag must exist.
"""

from __future__ import annotations

import hashlib
import os
import stat
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import git
from git.exc import GitCommandError

from secdocs.config import Config, load_mkdocs_yml
from secdocs.digests import DIGEST_LIST
from secdocs.discover import parse_version
from secdocs.errors import EvidenceError, GitError, SecdocsError
from secdocs.git import GitRepo
from secdocs.model import Kind
from secdocs.roles import classify
from secdocs.safety import check_relative, check_segment, read_limited

_ZERO = "0" * 40
#: who the evidence commit names when git has no identity configured (as in a fresh CI runner)
_IDENTITY = {
    "GIT_AUTHOR_NAME": "secdocs collect",
    "GIT_AUTHOR_EMAIL": "secdocs@localhost",
    "GIT_COMMITTER_NAME": "secdocs collect",
    "GIT_COMMITTER_EMAIL": "secdocs@localhost",
}


@dataclass(frozen=True)
class Collected:
    #: where the evidence went: a folder, or ``ref:path`` for an evidence ref
    location: str
    #: the files written (kept files and the digest list), sorted
    files: tuple[str, ...]
    #: binaries known by digest only (not kept)
    digest_only: tuple[str, ...] = ()
    #: the new commit of the evidence ref
    commit: str | None = None


def evidence_folder(config: Config, tag: str) -> Path:
    return config.repo / _release_path(config, tag)


def _release_path(config: Config, tag: str) -> str:
    check_segment(tag, "tag")
    version = parse_version(tag)
    relative = config.evidence_path(tag, str(version) if version else tag.lstrip("v"))
    return check_relative(relative, "evidence folder")


def collect(
    config: Config,
    tag: str,
    sources: Sequence[Path],
    *,
    keep_binaries: bool | None = None,
    replace: bool = False,
    reason: str | None = None,
) -> Collected:
    """Record ``sources`` as the evidence of ``tag`` (nothing is written on any error).

    Raises :class:`SecdocsError` when a name is unsafe or repeated, a source is not a regular
    file or is too large, the tag does not exist, or the release already has evidence (without
    ``replace`` and a ``reason``).
    """
    if not sources:
        raise SecdocsError("collect: no files given")
    relative = _release_path(config, tag)
    if replace and not (reason or "").strip():
        raise SecdocsError("collect: --replace needs --reason saying why the evidence changes")
    if replace and config.evidence_ref is None:
        raise SecdocsError(
            "collect: --replace works on an evidence ref only; a working-tree evidence folder "
            "is immutable (move it to a ref: evidence: {ref: refs/secdocs/evidence})"
        )
    payload = _read_sources(config, sources)
    keep = config.keep_binaries if keep_binaries is None else keep_binaries
    kept = {n: d for n, d in payload.items() if keep or classify(n) != Kind.ARTIFACT}
    digest_only = tuple(sorted(set(payload) - set(kept)))
    listing = "".join(
        f"{hashlib.sha256(data).hexdigest()}  {name}\n" for name, data in sorted(payload.items())
    ).encode()
    kept[DIGEST_LIST] = listing
    with GitRepo(config.repo) as repo:
        tag_commit = repo.resolve(f"refs/tags/{tag}^{{commit}}")
    if tag_commit is None:
        raise SecdocsError(
            f"collect: no tag {tag!r} in {config.repo}; create and push the tag first "
            "(in CI, fetch tags: git fetch --tags)"
        )
    if config.evidence_ref is not None:
        return _to_ref(config, tag, tag_commit, relative, kept, digest_only, replace, reason)
    return _to_folder(config.repo / relative, kept, digest_only)


def _read_sources(config: Config, sources: Sequence[Path]) -> dict[str, bytes]:
    payload: dict[str, bytes] = {}
    for source in sources:
        name = check_segment(source.name, "file name")
        if name == DIGEST_LIST:
            raise SecdocsError(f"collect: {source}: {DIGEST_LIST} is written by secdocs itself")
        if name in payload:
            raise SecdocsError(f"collect: two files are named {name!r}")
        try:
            mode = os.lstat(source).st_mode
        except OSError as exc:
            raise EvidenceError(str(source), f"cannot read: {exc.strerror}") from exc
        if not stat.S_ISREG(mode):
            raise EvidenceError(str(source), "not a regular file")
        payload[name] = read_limited(source, config.max_file_size, str(source))
    return payload


def _to_folder(folder: Path, kept: dict[str, bytes], digest_only: tuple[str, ...]) -> Collected:
    for parent in (folder, *folder.parents):
        if parent.is_symlink():
            raise SecdocsError(f"collect: {parent} is a symbolic link")
    targets = sorted(kept)
    existing = [n for n in targets if (folder / n).exists() or (folder / n).is_symlink()]
    if existing:
        raise SecdocsError(
            f"collect: evidence is immutable and {folder} already has {', '.join(existing)}; "
            "nothing was written"
        )
    folder.mkdir(parents=True, exist_ok=True)
    for name in targets:
        with (folder / name).open("xb") as handle:
            handle.write(kept[name])
    return Collected(str(folder), tuple(targets), digest_only)


# ----------------------------------------------------------------------------- evidence ref


class _Plumbing:
    """The few git plumbing commands that write the evidence ref."""

    def __init__(self, path: Path) -> None:
        try:
            self.repo = git.Repo(path, search_parent_directories=False)
        except (git.InvalidGitRepositoryError, git.NoSuchPathError) as exc:
            raise GitError(f"{path}: not a git repository") from exc
        self.env: dict[str, str] = {}
        try:
            self.repo.git.var("GIT_COMMITTER_IDENT")
            self.repo.git.var("GIT_AUTHOR_IDENT")
        except GitCommandError:
            self.env = dict(_IDENTITY)

    def close(self) -> None:
        self.repo.close()

    def run(self, *args: str, stdin: bytes | None = None) -> str:
        try:
            if stdin is None:
                out = self.repo.git.execute(["git", *args], env=self.env or None)
            else:
                with tempfile.TemporaryFile() as handle:
                    handle.write(stdin)
                    handle.seek(0)
                    out = self.repo.git.execute(
                        ["git", *args], istream=handle, env=self.env or None
                    )
        except GitCommandError as exc:
            raise GitError(f"git {args[0]}: {str(exc.stderr).strip()}") from exc
        return str(out).strip()

    def blob(self, data: bytes) -> str:
        return self.run("hash-object", "-w", "--no-filters", "--stdin", stdin=data)

    def tree(self, entries: dict[str, tuple[str, str, str]]) -> str:
        """``mktree`` from name → (mode, type, sha)."""
        lines = b"".join(
            f"{mode} {kind} {sha}\t{name}".encode() + b"\x00"
            for name, (mode, kind, sha) in sorted(entries.items())
        )
        return self.run("mktree", "-z", stdin=lines)

    def entries(self, tree: str | None) -> dict[str, tuple[str, str, str]]:
        """The direct children of ``tree`` (name → (mode, type, sha))."""
        if tree is None:
            return {}
        out = self.run("ls-tree", "-z", tree)
        found: dict[str, tuple[str, str, str]] = {}
        for record in out.split("\x00"):
            if record:
                meta, _, name = record.partition("\t")
                mode, kind, sha = meta.split()
                found[name] = (mode, kind, sha)
        return found


def _to_ref(
    config: Config,
    tag: str,
    tag_commit: str,
    relative: str,
    kept: dict[str, bytes],
    digest_only: tuple[str, ...],
    replace: bool,
    reason: str | None,
) -> Collected:
    ref = config.evidence_ref or ""
    plumbing = _Plumbing(config.repo)
    try:
        old = _resolve(plumbing, f"{ref}^{{commit}}")
        release_tree = plumbing.tree(
            {name: ("100644", "blob", plumbing.blob(data)) for name, data in kept.items()}
        )
        parts = relative.split("/")
        root = _resolve(plumbing, f"{old}^{{tree}}") if old else None
        previous = _resolve(plumbing, f"{old}:{relative}") if old else None
        if previous is not None and not replace:
            raise SecdocsError(
                f"collect: {ref} already holds the evidence of {tag} ({relative}); published "
                "evidence is append-only: to change it, run again with --replace --reason TEXT "
                "(the reason is recorded in the evidence commit); nothing was written"
            )
        new_root = _insert(plumbing, root, parts, release_tree)
        message = _message(tag, tag_commit, relative, kept, digest_only, previous, reason)
        args = ["commit-tree", new_root, "-F", "-"]
        if old:
            args[2:2] = ["-p", old]
        commit = plumbing.run(*args, stdin=message.encode())
        plumbing.run("update-ref", "-m", f"secdocs collect {tag}", ref, commit, old or _ZERO)
    finally:
        plumbing.close()
    return Collected(f"{ref}:{relative}", tuple(sorted(kept)), digest_only, commit)


def _resolve(plumbing: _Plumbing, rev: str) -> str | None:
    try:
        return plumbing.run("rev-parse", "--verify", "--quiet", "--end-of-options", rev) or None
    except GitError:
        return None


def _insert(plumbing: _Plumbing, tree: str | None, parts: list[str], leaf: str) -> str:
    """A copy of ``tree`` with ``parts`` (a path) pointing at the tree ``leaf``."""
    entries = plumbing.entries(tree)
    head, rest = parts[0], parts[1:]
    if rest:
        current = entries.get(head)
        child = current[2] if current is not None and current[1] == "tree" else None
        leaf = _insert(plumbing, child, rest, leaf)
    entries[head] = ("040000", "tree", leaf)
    return plumbing.tree(entries)


def _message(
    tag: str,
    tag_commit: str,
    relative: str,
    kept: dict[str, bytes],
    digest_only: tuple[str, ...],
    previous: str | None,
    reason: str | None,
) -> str:
    verb = "Replace" if previous else "Add"
    lines = [
        f"{verb} the evidence of {tag}",
        "",
        f"Release: {tag} ({tag_commit})",
        f"Path: {relative}",
    ]
    if previous:
        lines += [f"Replaces: tree {previous}", f"Reason: {' '.join((reason or '').split())}"]
    lines += ["", "Kept:"]
    lines += [f"  {hashlib.sha256(kept[n]).hexdigest()}  {n}" for n in sorted(kept)]
    if digest_only:
        lines += ["", f"Known by digest only (listed in {DIGEST_LIST}):"]
        lines += [f"  {n}" for n in digest_only]
    return "\n".join(lines) + "\n"


def collect_command(
    config_file: Path,
    tag: str,
    files: Sequence[Path],
    *,
    keep_binaries: bool | None = None,
    replace: bool = False,
    reason: str | None = None,
) -> int:
    config, _document = load_mkdocs_yml(config_file)
    result = collect(
        config, tag, files, keep_binaries=keep_binaries, replace=replace, reason=reason
    )
    for name in result.files:
        print(f"{result.location}/{name}")
    for name in result.digest_only:
        print(f"{name}: digest only (pass --keep-binaries to keep the file)")
    if result.commit:
        print(f"secdocs collect: {result.location} is commit {result.commit}")
    return 0
