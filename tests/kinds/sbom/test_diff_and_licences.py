"""Unit tests of the sbom kind: version order, diff, licence policy, the dependency tree."""

from __future__ import annotations

import pytest

from secdocs.kinds.sbom.diff import compare_versions, diff_components, diff_vulnerabilities
from secdocs.kinds.sbom.licences import LicenceChecker, parse_licence_rules
from secdocs.sbom.model import (
    Component,
    Licence,
    Vulnerability,
)


def c(name: str, version: str, licence: str = "MIT", purl: bool = True) -> Component:
    return Component(
        name=name,
        version=version,
        purl=f"pkg:npm/{name}@{version}" if purl else "",
        licences=(Licence("expression", licence),) if licence else (),
    )


@pytest.mark.parametrize(
    ("old", "new", "order"),
    [
        ("1.0.0", "1.0.1", 1),
        ("2.0", "1.9", -1),
        ("1.0", "1.0", 0),
        ("v1.2.0", "v1.10.0", 1),
        ("1.0.0-beta", "1.0.0", 1),
        ("2020-01-x", "2021-01-x", 1),
        ("abc", "abd", 1),
        ("", "x", 0),
        ("1.2.3rc1", "1.2.3", 1),
    ],
)
def test_compare_versions(old: str, new: str, order: int) -> None:
    assert compare_versions(old, new) == order


def test_diff_multiset_and_licences() -> None:
    before = [
        c("a", "1.0"),
        c("a", "2.0"),
        c("b", "1.0"),
        c("gone", "1"),
        c("lic", "1", "MIT"),
        c("plain", "1", purl=False),
    ]
    after = [
        c("a", "2.0"),
        c("a", "3.0"),
        c("a", "4.0"),
        c("b", "0.9"),
        c("new", "1"),
        c("lic", "1", "Apache-2.0"),
        c("plain", "2", purl=False),
    ]
    diff = diff_components(before, after, "v1")
    assert sorted((x.name, x.old, x.new) for x in diff.upgraded) == [
        ("a", "1.0", "3.0"),
        ("plain", "1", "2"),
    ]
    assert [(x.name, x.new) for x in diff.added] == [("a", "4.0"), ("new", "1")]
    assert [(x.name, x.old) for x in diff.removed] == [("gone", "1")]
    assert [(x.name, x.old, x.new) for x in diff.downgraded] == [("b", "1.0", "0.9")]
    assert [(x.name, x.old, x.new) for x in diff.licences] == [("lic", "MIT", "Apache-2.0")]
    assert not diff.empty
    vulns = diff_vulnerabilities(
        diff,
        [Vulnerability("A"), Vulnerability("B", state="not_affected")],
        [Vulnerability("B"), Vulnerability("C", state="resolved")],
    )
    assert [v.id for v in vulns.introduced] == ["B"] and [v.id for v in vulns.resolved] == ["A"]
    assert diff_components([c("x", "1")], [c("x", "1")], "v0").empty


def test_licence_policy_or_branches_and_deny_wins() -> None:
    policy = parse_licence_rules(
        {"allow": ["MIT", "apache-2.0", "GPL-2.0-only"], "deny": ["GPL-2.0-only"]}
    )
    evaluate = LicenceChecker(policy).component
    assert evaluate(c("x", "1", "MIT OR GPL-3.0-only")).allowed
    assert evaluate(c("x", "1", "mit AND Apache-2.0")).allowed
    assert not evaluate(c("x", "1", "MIT AND GPL-3.0-only")).allowed
    denied = evaluate(c("x", "1", "GPL-2.0-only"))
    assert not denied.allowed and "denied" in denied.reason
    assert evaluate(c("x", "1", "GPL-2.0-only WITH Classpath-exception-2.0 OR MIT")).allowed
    assert not evaluate(c("x", "1", "GPL-2.0-only WITH Classpath-exception-2.0")).allowed
    assert not evaluate(c("x", "1", "MIT AND (")).allowed
    assert not evaluate(c("x", "1", "")).allowed  # no licence with an allow list
    named = Component("n", licences=(Licence("name", "Some Licence"),))
    assert not evaluate(named).allowed
    rules = parse_licence_rules({"deny": ["Some Licence", "AGPL-3.0-only"]})
    deny_only = LicenceChecker(rules).component
    assert not deny_only(named).allowed
    assert deny_only(c("x", "1", "")).allowed
    assert deny_only(c("x", "1", "BSD-2-Clause")).allowed
    assert not deny_only(c("x", "1", "AGPL-3.0-only")).allowed
    assert LicenceChecker(parse_licence_rules(None)).component(c("x", "1", "anything")).allowed


def test_dependency_tree_bounds_the_direct_list_too() -> None:
    """A flat SBOM whose 5,000 components are all direct dependencies: the tree stops at
    TREE_NODES entries and says how many it left out."""
    from secdocs.kinds.sbom.render import TREE_NODES, dependency_tree
    from secdocs.sbom.model import Component, Dependency, Sbom

    count = TREE_NODES + 2_000
    refs = tuple(f"ref-{i}" for i in range(count))
    sbom = Sbom(
        "flat.cdx.json",
        "CycloneDX",
        "json",
        "1.6",
        components=tuple(Component(f"pkg-{i}", "1.0", ref=r) for i, r in enumerate(refs)),
        dependencies=tuple(Dependency(r) for r in refs),
    )
    html = dependency_tree(sbom, refs)
    assert html.count("<li>") == TREE_NODES
    assert "pkg-0 1.0" in html and f"pkg-{TREE_NODES} 1.0" not in html
    assert f"{count - TREE_NODES} more direct dependencies are not shown here" in html
