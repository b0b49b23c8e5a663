"""The tests are laid out like the code: a kind's tests are found from its package name."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
KINDS = ROOT / "secdocs" / "kinds"
KIND_TESTS = ROOT / "tests" / "kinds"


def packages(folder: Path) -> set[str]:
    return {p.parent.name for p in folder.glob("*/__init__.py")}


def test_every_kind_test_folder_names_a_kind() -> None:
    assert packages(KIND_TESTS) <= packages(KINDS)


def test_every_kind_with_a_model_has_its_test_folder() -> None:
    with_model = {p.parent.name for p in KINDS.glob("*/model.py")}
    assert len(with_model) >= 10
    missing = sorted(with_model - packages(KIND_TESTS))
    assert missing == [], f"tests of these kinds belong in tests/kinds/<kind>/: {missing}"


def test_shared_packages_tests_follow_their_names() -> None:
    for name in ("verify", "sbom", "commands"):
        assert (ROOT / "secdocs" / name / "__init__.py").is_file()
        assert list((ROOT / "tests" / name).glob("test_*.py")), name
