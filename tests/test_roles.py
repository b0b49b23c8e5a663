"""File roles come from the kinds' claims: one table, built from the built-in kinds."""

from __future__ import annotations

import pytest

from secdocs.collectors import Collector, FileNames
from secdocs.errors import SecdocsError
from secdocs.model import Kind
from secdocs.roles import build_table, builtin_table, classify


class _Reports(Collector):
    name = "reports"
    claims = (FileNames("report", suffixes=(".report.json", ".json"), names=("REPORT.txt",)),)


class _Pattern(Collector):
    name = "pattern"
    claim_rule = staticmethod(lambda name: "special" if name.startswith("special/") else None)


class _Clash(Collector):
    name = "clash"
    claims = (FileNames("other", suffixes=(".report.json",)),)


def test_a_kinds_claims_decide_the_roles_of_its_files() -> None:
    table = build_table([("reports", _Reports), ("pattern", _Pattern)])
    assert table.role("dist/x.report.json") == "report"
    assert table.role("report.txt") == "report"  # names are matched lower-cased
    assert table.role("special/x.report.json") == "special"  # a kind's rule comes first
    assert table.role("x.tar.gz") == Kind.ARTIFACT
    assert [s for s, _ in table.suffixes] == [".report.json", ".json"]  # longest first


def test_two_kinds_claiming_one_suffix_differently_is_an_error() -> None:
    message = r"reports kind claims the suffix '\.report\.json' as report, but the clash kind"
    with pytest.raises(SecdocsError, match=message):
        build_table([("reports", _Reports), ("clash", _Clash)])
    same = build_table([("reports", _Reports), ("again", _Reports)])
    assert same.role("a.report.json") == "report"


def test_the_built_in_kinds_claim_the_field_conventions() -> None:
    table = builtin_table()
    claimed = {role for _, role in table.suffixes} | set(table.names.values())
    assert {Kind.SIGNATURE, Kind.PROVENANCE, Kind.SBOM, Kind.VEX, Kind.CHECKSUMS} <= claimed
    assert table.rules  # the containers kind's image names
    assert classify("app.oci.sigstore.json") == "image-signature"
    assert classify("app.sigstore.json") == Kind.SIGNATURE
