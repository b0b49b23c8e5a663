"""Generated files kept on disk until MkDocs reads them, so memory stays flat over long histories.

MkDocs reads every page before it writes any. A site of 500 releases generates about 50 MB of
Markdown and 20 MB of ``evidence.json``; held in memory (in secdocs' :class:`SiteContent` and in
MkDocs' ``File`` objects) they make the peak memory of a build grow with the history. A
:class:`Spilled` mapping writes each value to a private temporary folder as it is added and hands
MkDocs the file's path instead of the text.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Iterator, MutableMapping
from pathlib import Path
from typing import Generic, TypeVar

V = TypeVar("V", str, bytes)


class Spilled(MutableMapping[str, V], Generic[V]):
    """A mapping of site paths to file contents (text or bytes) whose values live on disk."""

    def __init__(self, folder: Path, binary: bool) -> None:
        self.folder = folder
        self.binary = binary
        self._paths: dict[str, Path] = {}

    def path(self, key: str) -> Path:
        """The file holding ``key``'s value."""
        return self._paths[key]

    def __setitem__(self, key: str, value: V) -> None:
        path = self._paths.get(key)
        if path is None:
            # Numbered names: site paths may be long or nested; the key stays in memory.
            path = self.folder / f"{len(self._paths)}.{'bin' if self.binary else 'md'}"
            self._paths[key] = path
        if isinstance(value, bytes):
            path.write_bytes(value)
        else:
            path.write_text(value, encoding="utf-8")

    def __getitem__(self, key: str) -> V:
        path = self._paths[key]
        if self.binary:
            return path.read_bytes()  # type: ignore[return-value]
        return path.read_text(encoding="utf-8")  # type: ignore[return-value]

    def __delitem__(self, key: str) -> None:
        self._paths.pop(key).unlink(missing_ok=True)

    def __iter__(self) -> Iterator[str]:
        return iter(self._paths)

    def __len__(self) -> int:
        return len(self._paths)

    def __contains__(self, key: object) -> bool:
        return key in self._paths


class SpillFolder:
    """A private temporary folder for one build's spilled files; removed by :meth:`close`."""

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="secdocs-build-"))
        (self.root / "pages").mkdir()
        (self.root / "files").mkdir()
        (self.root / "blocks").mkdir()
        self._blocks = 0

    def pages(self) -> Spilled[str]:
        return Spilled(self.root / "pages", binary=False)

    def files(self) -> Spilled[bytes]:
        return Spilled(self.root / "files", binary=True)

    def blocks(self, blocks: list[str]) -> Path:
        """Keep a page's lifted HTML blocks on disk until the page is written."""
        self._blocks += 1
        path = self.root / "blocks" / f"{self._blocks}.json"
        path.write_text(json.dumps(blocks), encoding="utf-8")
        return path

    @staticmethod
    def read_blocks(path: Path) -> list[str]:
        return [str(block) for block in json.loads(path.read_text(encoding="utf-8"))]

    def close(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)
