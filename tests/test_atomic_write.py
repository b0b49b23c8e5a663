"""The caches write through one helper: whole files or nothing, no temporary file left behind."""

from __future__ import annotations

from pathlib import Path

import pytest

from secdocs.safety import write_atomically


def test_writes_and_replaces_whole_files(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "entry"
    write_atomically(target, b"first")
    write_atomically(target, b"second")
    assert target.read_bytes() == b"second"
    assert [p.name for p in target.parent.iterdir()] == ["entry"]


def test_a_failed_write_leaves_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "entry"
    target.mkdir()  # a folder where the file should go: the rename fails
    (target / "keep").write_text("x")
    with pytest.raises(OSError):
        write_atomically(target, b"data")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["entry"]
