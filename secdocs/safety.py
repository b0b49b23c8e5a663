"""Guards for hostile input: safe names, confined paths, bounded reads, bounded JSON.

Every byte secdocs reads from evidence, from a tag's tree or from a config file goes through one
of these functions, so the limits are enforced in one place.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import stat
import tempfile
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from secdocs.errors import EvidenceError, LimitExceededError, UnsafePathError

MAX_JSON_DEPTH = 64

# A path segment that is safe on every file system and in every URL: no separators, no control
# characters, no leading dot or dash, nothing a shell or a browser reads specially.
_SAFE_SEGMENT = re.compile(r"^[A-Za-z0-9_+@=,~][A-Za-z0-9._+@=,~-]{0,199}$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def is_safe_segment(name: str) -> bool:
    """Whether ``name`` can be used as one path segment of the site (a tag, a file name)."""
    return bool(_SAFE_SEGMENT.match(name)) and name not in (".", "..")


def check_segment(name: str, what: str) -> str:
    """Return ``name`` or raise :class:`UnsafePathError` saying why it is refused."""
    if not is_safe_segment(name):
        raise UnsafePathError(name, f"{what} is not a safe path segment: {describe(name)}")
    return name


def check_relative(path: str, what: str) -> str:
    """Check a POSIX relative path made of safe segments; return it normalised."""
    if not path or path.startswith("/") or "\\" in path or _CONTROL.search(path):
        raise UnsafePathError(path, f"{what} must be a relative path without control characters")
    parts = PurePosixPath(path).parts
    if not parts or parts == (".",):
        raise UnsafePathError(path, f"{what} must name something below its root")
    for part in parts:
        if part == "..":
            raise UnsafePathError(path, f"{what} must not contain '..'")
        check_segment(part, what)
    return "/".join(parts)


def describe(name: str) -> str:
    """A printable, unambiguous rendering of a hostile name for error messages."""
    shown = name.encode("unicode_escape", "backslashreplace").decode("ascii")
    if len(shown) > 120:
        shown = shown[:117] + "..."
    return repr(shown)


def confined(root: Path, relative: str) -> Path:
    """``root / relative``, refusing anything (``..``, absolute, symlinks) that leaves ``root``."""
    check_relative(relative, "path")
    root_resolved = root.resolve()
    candidate = (root_resolved / relative).resolve()
    if candidate != root_resolved and root_resolved not in candidate.parents:
        raise UnsafePathError(relative, f"resolves outside {root}")
    return candidate


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename, so a
    reader (another build, another process) never sees a half-written file. Raises ``OSError``;
    the temporary file never outlives a failure."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def read_limited(path: Path, limit: int, display: str | None = None) -> bytes:
    """Read a regular file of at most ``limit`` bytes, never following a symlink."""
    shown = display or str(path)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise EvidenceError(shown, f"cannot read: {exc.strerror or exc}") from exc
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise EvidenceError(shown, "not a regular file")
        if info.st_size > limit:
            raise LimitExceededError(shown, f"{info.st_size} bytes exceeds the limit of {limit}")
        chunks = []
        remaining = limit + 1
        while remaining > 0:
            chunk = os.read(fd, min(remaining, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
        data = b"".join(chunks)
        if len(data) > limit:
            raise LimitExceededError(shown, f"grew beyond the limit of {limit} bytes while read")
        return data
    finally:
        os.close(fd)


def check_json_depth(data: bytes | str, max_depth: int, display: str) -> None:
    """Reject JSON nested deeper than ``max_depth`` before a parser recurses into it.

    String literals are removed first (brackets inside them do not count), then only the
    brackets are scanned, so the cost is a regex pass plus one step per bracket.
    """
    raw = data.encode() if isinstance(data, str) else data
    brackets = _JSON_STRING.sub(b"", raw).translate(None, _NOT_BRACKETS)
    depth = 0
    for byte in brackets:
        if byte in _OPENERS:
            depth += 1
            if depth > max_depth:
                raise LimitExceededError(display, f"JSON nested deeper than {max_depth} levels")
        else:
            depth -= 1


_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_OPENERS = frozenset(b"[{")
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")


def load_json(data: bytes, display: str, max_depth: int = MAX_JSON_DEPTH) -> Any:
    """Parse untrusted JSON with a depth limit; errors name the file and the line."""
    check_json_depth(data, max_depth, display)
    try:
        return json.loads(data)
    except json.JSONDecodeError as exc:
        raise EvidenceError(display, f"invalid JSON: {exc.msg}", line=exc.lineno) from exc
    except (UnicodeDecodeError, RecursionError) as exc:
        raise EvidenceError(display, f"invalid JSON: {exc}") from exc


#: the most YAML nodes a document may expand to once aliases are followed
MAX_YAML_NODES = 100_000


class YAMLExpansionError(yaml.YAMLError):
    """A YAML document whose aliases expand beyond :data:`MAX_YAML_NODES` (an alias bomb)."""


def safe_yaml_load(data: str | bytes, max_nodes: int = MAX_YAML_NODES) -> Any:
    """``yaml.safe_load`` that refuses alias bombs and recursive aliases (a ``yaml.YAMLError``)."""
    loader = yaml.SafeLoader(data)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _check_expansion(node, max_nodes)
        return loader.construct_document(node)
    except RecursionError as exc:
        raise YAMLExpansionError("YAML nested too deeply") from exc
    finally:
        loader.dispose()


def safe_yaml_load_all(data: str | bytes, max_nodes: int = MAX_YAML_NODES) -> list[Any]:
    """Every document of a stream, each bounded like :func:`safe_yaml_load`."""
    loader = yaml.SafeLoader(data)
    documents = []
    try:
        while loader.check_node():
            node = loader.get_node()
            if node is None:
                continue
            _check_expansion(node, max_nodes)
            documents.append(loader.construct_document(node))
    except RecursionError as exc:
        raise YAMLExpansionError("YAML nested too deeply") from exc
    finally:
        loader.dispose()
    return documents


def _check_expansion(root: yaml.Node, limit: int) -> None:
    """Count the nodes ``root`` stands for with aliases expanded, memoised per node: linear in
    the document, however many times an anchor is reused."""
    sizes: dict[int, int] = {}
    visiting: set[int] = set()

    def size(node: yaml.Node) -> int:
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in visiting:
            raise YAMLExpansionError("recursive YAML alias")
        visiting.add(key)
        total = 1
        if isinstance(node, yaml.SequenceNode):
            total += sum(size(child) for child in node.value)
        elif isinstance(node, yaml.MappingNode):
            total += sum(size(k) + size(v) for k, v in node.value)
        visiting.discard(key)
        if total > limit:
            raise YAMLExpansionError(f"YAML expands to more than {limit} nodes (alias bomb)")
        sizes[key] = total
        return total

    size(root)
