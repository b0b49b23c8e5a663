"""Reading a git repository in bulk through GitPython's command interface.

Per-tag lookups through GitPython's object model re-scan ``packed-refs`` and grow with the
square of the tag count, so refs are listed with one ``git for-each-ref`` and blobs are read
through GitPython's persistent ``git cat-file --batch`` process.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import git
from git.exc import GitCommandError, InvalidGitRepositoryError, NoSuchPathError

from secdocs.errors import GitError, LimitExceededError

_FIELD = "%00"
_RECORD = "%1e"


@dataclass(frozen=True, slots=True)
class TagRef:
    """A tag as ``for-each-ref`` reports it; ``commit`` is the peeled commit."""

    name: str
    commit: str
    object: str
    annotated: bool
    date: datetime
    tagger: str | None
    message: str


@dataclass(frozen=True, slots=True)
class TreeEntry:
    """One entry of ``git ls-tree -r -l``: ``path`` relative to the listed tree."""

    mode: str
    type: str
    sha: str
    size: int | None
    path: str


@dataclass(frozen=True, slots=True)
class CommitInfo:
    sha: str
    author: str
    date: datetime
    subject: str
    body: str


class GitRepo:
    """A read-only view of one repository."""

    def __init__(self, path: Path) -> None:
        try:
            self._repo = git.Repo(path, search_parent_directories=False)
        except (InvalidGitRepositoryError, NoSuchPathError) as exc:
            raise GitError(f"{path}: not a git repository") from exc
        self.path = Path(self._repo.working_tree_dir or path)
        self._lock = threading.Lock()
        self._listings: dict[tuple[str, str], list[str]] = {}

    def close(self) -> None:
        self._repo.close()

    def __enter__(self) -> GitRepo:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def is_shallow(self) -> bool:
        return Path(self._repo.git_dir, "shallow").exists()

    def tags(self, pattern: str = "*") -> list[TagRef]:
        """Every tag whose short name matches ``pattern`` (``fnmatch`` semantics of git)."""
        fmt = _FIELD.join(
            [
                "%(refname:strip=2)",
                "%(objecttype)",
                "%(*objectname)",
                "%(objectname)",
                "%(taggerdate:unix)",
                "%(committerdate:unix)",
                "%(*committerdate:unix)",
                "%(taggername) %(taggeremail)",
                "%(contents)",
            ]
        )
        try:
            out = self._repo.git.for_each_ref(
                f"--format={fmt}{_RECORD}", f"refs/tags/{pattern}", strip_newline_in_stdout=False
            )
        except GitCommandError as exc:
            raise GitError(f"{self.path}: cannot list tags: {exc.stderr.strip()}") from exc
        tags = []
        for record in out.split("\x1e"):
            record = record.lstrip("\n")
            if not record:
                continue
            fields = record.split("\x00")
            if len(fields) != 9:
                continue
            name, objtype, peeled, obj, tagdate, cdate, peeled_cdate, tagger, contents = fields
            annotated = objtype == "tag"
            if annotated and not peeled:
                continue  # a tag of a tree or blob: not a release
            if objtype not in ("tag", "commit"):
                continue
            epoch = (tagdate or peeled_cdate) if annotated else cdate
            tags.append(
                TagRef(
                    name=name,
                    commit=peeled if annotated else obj,
                    object=obj,
                    annotated=annotated,
                    date=datetime.fromtimestamp(int(epoch or 0), tz=UTC),
                    tagger=tagger.strip() or None if annotated else None,
                    message=_strip_signature(contents) if annotated else "",
                )
            )
        return tags

    def read(self, rev: str, path: str, limit: int) -> bytes | None:
        """The blob at ``rev:path``; ``None`` when it does not exist there.

        Raises :class:`LimitExceededError` when it is larger than ``limit``.
        """
        spec = f"{rev}:{path}"
        with self._lock:
            try:
                _hexsha, objtype, size = self._repo.git.get_object_header(spec)
            except ValueError:
                return None
            if objtype not in (b"blob", "blob"):
                return None
            if size > limit:
                raise LimitExceededError(
                    f"{path}@{rev}", f"{size} bytes exceeds the limit of {limit}"
                )
            _hexsha, _objtype, _size, data = self._repo.git.get_object_data(spec)
        return bytes(data)

    def resolve(self, rev: str) -> str | None:
        """The object id ``rev`` names (``None`` when it does not exist)."""
        try:
            out: str = self._repo.git.rev_parse("--verify", "--quiet", "--end-of-options", rev)
        except GitCommandError:
            return None
        return out.strip() or None

    def tree_entries(self, rev: str, path: str) -> list[TreeEntry] | None:
        """Every entry below the tree ``rev:path`` (recursive, with sizes; trees themselves are
        not listed). ``None`` when ``rev:path`` is not a tree."""
        spec = f"{rev}:{path}" if path else f"{rev}^{{tree}}"
        with self._lock:
            try:
                _sha, objtype, _size = self._repo.git.get_object_header(spec)
            except ValueError:
                return None
        if objtype not in (b"tree", "tree"):
            return None
        try:
            out = self._repo.git.ls_tree("-r", "-l", "-z", "--full-tree", spec)
        except GitCommandError as exc:
            raise GitError(f"cannot list {spec}: {exc.stderr.strip()}") from exc
        entries = []
        for record in out.split("\x00"):
            if not record:
                continue
            meta, _, name = record.partition("\t")
            mode, objtype, sha, size = meta.split()
            entries.append(
                TreeEntry(mode, objtype, sha, int(size) if size.isdigit() else None, name)
            )
        return entries

    def read_blob(self, sha: str, limit: int, display: str) -> bytes:
        """The bytes of blob ``sha`` through the persistent ``cat-file --batch`` process.

        Raises :class:`LimitExceededError` when it is larger than ``limit``.
        """
        with self._lock:
            try:
                _hexsha, objtype, size = self._repo.git.get_object_header(sha)
            except ValueError as exc:
                raise GitError(f"{display}: object {sha} is missing") from exc
            if objtype not in (b"blob", "blob"):
                raise GitError(f"{display}: object {sha} is not a file")
            if size > limit:
                raise LimitExceededError(display, f"{size} bytes exceeds the limit of {limit}")
            _hexsha, _objtype, _size, data = self._repo.git.get_object_data(sha)
        return bytes(data)

    def list_files(self, rev: str, prefix: str) -> list[str]:
        """Paths of the blobs under ``prefix`` at ``rev`` (recursive, sorted; memoised, since
        consecutive releases ask for each other's listings)."""
        key = (rev, prefix)
        if key not in self._listings:
            if len(self._listings) > 4096:
                self._listings.clear()
            self._listings[key] = self._list_files(rev, prefix)
        return list(self._listings[key])

    def _list_files(self, rev: str, prefix: str) -> list[str]:
        try:
            args = ["-r", "-z", "--name-only", rev]
            if prefix:
                args += ["--", prefix]
            out = self._repo.git.ls_tree(*args)
        except GitCommandError:
            return []
        return sorted(p for p in out.split("\x00") if p)

    def added_files(self, old: str | None, new: str, prefix: str) -> list[str]:
        """Files under ``prefix`` added between ``old`` and ``new`` (all, when no ``old``)."""
        if old is None:
            return self.list_files(new, prefix)
        try:
            out = self._repo.git.diff(
                "--name-only", "-z", "--diff-filter=A", "--no-renames", old, new, "--", prefix
            )
        except GitCommandError as exc:
            raise GitError(f"cannot diff {old}..{new}: {exc.stderr.strip()}") from exc
        return sorted(p for p in out.split("\x00") if p)

    def commits_between(self, old: str | None, new: str, limit: int = 10_000) -> list[CommitInfo]:
        """Commits reachable from ``new`` and not from ``old``, newest first."""
        rng = f"{old}..{new}" if old else new
        fmt = "%x00".join(["%H", "%an <%ae>", "%ct", "%s", "%b"])
        try:
            out = self._repo.git.log(
                f"--format={fmt}%x1e",
                f"--max-count={limit}",
                rng,
                "--",
                strip_newline_in_stdout=False,
            )
        except GitCommandError as exc:
            raise GitError(f"cannot list commits {rng}: {exc.stderr.strip()}") from exc
        commits = []
        for record in out.split("\x1e"):
            record = record.lstrip("\n")
            if not record:
                continue
            fields = record.split("\x00")
            if len(fields) != 5:
                continue
            sha, author, epoch, subject, body = fields
            commits.append(
                CommitInfo(
                    sha=sha,
                    author=author,
                    date=datetime.fromtimestamp(int(epoch), tz=UTC),
                    subject=subject,
                    body=body.rstrip("\n"),
                )
            )
        return commits

    def verify_tag(self, tag: str, env: dict[str, str] | None = None) -> tuple[bool, str]:
        """Run ``git verify-tag --raw``; returns (exit status 0, combined output)."""
        full_env = dict(os.environ)
        if env:
            full_env.update(env)
        try:
            status, stdout, stderr = self._repo.git.execute(
                ["git", "verify-tag", "--raw", "--", tag],
                with_extended_output=True,
                with_exceptions=False,
                env=full_env,
            )
        except GitCommandError as exc:  # pragma: no cover - with_exceptions=False
            return False, str(exc)
        return status == 0, f"{stdout}\n{stderr}".strip()


def _strip_signature(message: str) -> str:
    """The tag message without an inline OpenPGP/SSH signature block."""
    for marker in ("-----BEGIN PGP SIGNATURE-----", "-----BEGIN SSH SIGNATURE-----"):
        index = message.find(marker)
        if index != -1:
            message = message[:index]
    return message.strip()


def tag_names(tags: Sequence[TagRef]) -> list[str]:
    return [t.name for t in tags]
