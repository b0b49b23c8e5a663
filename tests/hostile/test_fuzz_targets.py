"""The fuzz targets run in the ordinary test suite over their seeds and hostile payloads.

This keeps ``fuzz/targets.py`` importable and its invariants honest between fuzzing runs (the
seeds are the inputs the fuzzer starts from; none may raise anything but a typed error).
"""

from __future__ import annotations

import contextlib
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from .payloads import CLASSES

FUZZ = Path(__file__).resolve().parents[2] / "fuzz"


def load_targets() -> ModuleType:
    spec = importlib.util.spec_from_file_location("secdocs_fuzz_targets", FUZZ / "targets.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


TARGETS = load_targets()
PAYLOADS = [t.format(n="0_0").encode() for _, t in CLASSES]


def test_every_target_has_seeds() -> None:
    missing = [name for name in TARGETS.TARGETS if not any((FUZZ / "corpus" / name).glob("*"))]
    assert missing == []


@pytest.mark.parametrize("name", sorted(TARGETS.TARGETS))
def test_target_accepts_its_seeds_and_hostile_payloads(name: str) -> None:
    run = TARGETS.TARGETS[name]
    allowed = TARGETS.expected(name)
    inputs = [p.read_bytes() for p in sorted((FUZZ / "corpus" / name).glob("*"))]
    inputs += [b"", b"\x00\xff" * 8, b"[" * 200, *PAYLOADS]
    for data in inputs:
        with contextlib.suppress(allowed):
            run(data)


def test_invariant_checks_can_fail() -> None:
    with pytest.raises(AssertionError):
        TARGETS.assert_inert('<a href="javascript:alert(1)">x</a>', "test")
    with pytest.raises(AssertionError):
        TARGETS.assert_inert("<img src=x onerror=alert(1)>", "test")
    TARGETS.assert_inert("&lt;script&gt;alert(1)&lt;/script&gt;", "test")


def test_runner_refuses_unknown_targets(capsys: pytest.CaptureFixture[str]) -> None:
    spec = importlib.util.spec_from_file_location("secdocs_fuzz_run", FUZZ / "run.py")
    assert spec is not None and spec.loader is not None
    runner = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(runner)
    with pytest.raises(SystemExit):
        runner.main(["--seconds", "1", "no-such-target"])
    assert "unknown targets" in capsys.readouterr().err
