"""Reading checksum files: the GNU coreutils format (``<hex>  <name>``, ``<hex> *<name>``) and the
BSD tag format (``SHA256 (<name>) = <hex>``). The algorithm follows from the digest length or tag.
"""

from __future__ import annotations

import re

from secdocs.kinds.checksums.model import Entry
from secdocs.model import Problem

_GNU = re.compile(r"^(?P<digest>[0-9a-fA-F]{32,128}) [ *](?P<name>.+)$")
_BSD = re.compile(
    r"^(?P<algo>SHA256|SHA512|SHA384|SHA1|MD5) \((?P<name>.+)\) = (?P<digest>[0-9a-fA-F]+)$"
)
_BY_LENGTH = {64: "sha256", 96: "sha384", 128: "sha512"}
_WEAK = {"md5", "sha1"}
MAX_LINES = 100_000


def parse(text: str, display: str) -> tuple[list[Entry], list[Problem]]:
    """Entries of a checksum file; malformed lines become problems naming file and line."""
    entries: list[Entry] = []
    problems: list[Problem] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        if number > MAX_LINES:
            problems.append(
                Problem(f"more than {MAX_LINES} lines; the rest ignored", display, number)
            )
            break
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        gnu = _GNU.match(line)
        bsd = None if gnu else _BSD.match(line)
        if gnu:
            digest, name = gnu["digest"].lower(), gnu["name"]
            algorithm = _BY_LENGTH.get(len(digest))
        elif bsd:
            digest, name = bsd["digest"].lower(), bsd["name"]
            algorithm = bsd["algo"].lower()
        else:
            problems.append(Problem("not a checksum line", display, number))
            continue
        if algorithm is None or algorithm in _WEAK:
            problems.append(
                Problem(f"unsupported or weak digest ({len(digest)} hex digits)", display, number)
            )
            continue
        if name.startswith("./"):
            name = name[2:]
        entries.append(Entry(algorithm, digest, name, number))
    return entries, problems
