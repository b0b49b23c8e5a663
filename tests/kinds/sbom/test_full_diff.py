"""A two-release site from two large real npm SBOMs: every removed component is named on the
release page or its full-diff page, and evidence.json lists every one of them.

The expected removals are counted here from the SBOM files themselves (package URL without version
as identity), not from secdocs' diff.
"""

from __future__ import annotations

import json
from collections import Counter
from html import unescape
from pathlib import Path

import pytest
from gitutil import new_repo

from secdocs.cli import main

pytestmark = pytest.mark.corpus

OLD = "cyclonedx-node-npm/demo/juice-shop/example-results/flat/bom.1.6.json"  # 1,101 components
NEW = "cyclonedx-bom-examples/SBOM/juice-shop/v11.1.2/bom.json"  # 840 components


def _key(component: dict) -> str:  # type: ignore[type-arg]
    purl = component.get("purl") or ""
    if purl:
        base = purl.split("#", 1)[0].split("?", 1)[0]
        at, slash = base.rfind("@"), base.rfind("/")
        return base[:at] if at > slash else base
    group = component.get("group")
    name = f"{group}/{component['name']}" if group else component["name"]
    return f"{component.get('type', 'library')}:{name}"


def _versions(path: Path) -> dict[str, Counter[str]]:
    out: dict[str, Counter[str]] = {}
    for component in json.loads(path.read_text())["components"]:
        out.setdefault(_key(component), Counter())[component.get("version", "")] += 1
    return out


def test_every_removed_component_is_named(corpus_dir: Path, tmp_path: Path) -> None:
    old, new = _versions(corpus_dir / OLD), _versions(corpus_dir / NEW)
    # packages gone entirely: every instance of every version is a removal
    gone = {(key, version): n for key in old.keys() - new.keys() for version, n in old[key].items()}
    assert sum(gone.values()) > 200
    # per package, instances beyond the new release's count are removals (equal versions cancel,
    # the rest are paired as upgrades or downgrades)
    surplus = sum(max(0, sum(old[k].values()) - sum(new.get(k, Counter()).values())) for k in old)

    repo = new_repo(tmp_path / "project")
    repo.write(
        "mkdocs.yml",
        "site_name: shop\ntheme:\n  name: material\nplugins:\n  - secdocs:\n      tags: 'v*'\n",
    )
    repo.write("docs/index.md", "# shop\n")
    repo.release("v1.0.0")
    repo.evidence("v1.0.0", "shop.cdx.json", (corpus_dir / OLD).read_bytes())
    repo.release("v2.0.0")
    repo.evidence("v2.0.0", "shop.cdx.json", (corpus_dir / NEW).read_bytes())
    site = tmp_path / "site"
    assert main(["build", "-f", str(repo.root / "mkdocs.yml"), "-d", str(site)]) == 0

    evidence = json.loads((site / "evidence.json").read_text())
    (release,) = [r for r in evidence["releases"] if r["tag"] == "v2.0.0"]
    diff = release["collectors"]["sbom"]["diff"]
    listed: Counter[tuple[str, str]] = Counter()
    for entry in diff["removed"]:
        listed[(entry["key"], entry["from"])] += entry["count"]
        assert entry["count"] >= 1
    # no cap: the listed instances add up to the count, and every package gone is listed in full
    assert sum(listed.values()) == diff["counts"]["removed"] == surplus
    for (key, version), n in gone.items():
        assert listed[(key, version)] >= n, (key, version)
    # identical instances collapse into one entry, with their install paths
    assert len(diff["removed"]) < diff["counts"]["removed"]
    assert any(e["count"] > 1 and len(e["paths"]) == e["count"] for e in diff["removed"])

    page = unescape((site / "releases/v2.0.0/index.html").read_text())
    full = unescape((site / "releases/v2.0.0/sbom-diff/index.html").read_text())
    assert 'href="sbom-diff/"' in page
    names = {
        _key(c): f"{c['group']}/{c['name']}" if c.get("group") else c["name"]
        for c in json.loads((corpus_dir / OLD).read_text())["components"]
    }
    for key, version in gone:
        name = names[key]
        shown = f"{name} <code>{version}</code>"
        assert shown in page or shown in full, shown
    removed = f"Removed ({diff['counts']['removed']} instances in {len(diff['removed'])} rows)"
    assert removed in full and removed in page
    # the full-diff page is built from the real HTML blocks, not left to Markdown
    assert full.count("<li>") >= len(diff["removed"])
