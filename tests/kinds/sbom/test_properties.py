"""Property tests of the sbom kind's version order."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from secdocs.kinds.sbom.diff import compare_versions


@given(st.text(max_size=12), st.text(max_size=12))
def test_version_order_is_antisymmetric(a: str, b: str) -> None:
    assert compare_versions(a, b) == -compare_versions(b, a)
