"""The evidence-kind contract: one registry (entry points), everything declared on the kind."""

from __future__ import annotations

import re
from importlib.metadata import entry_points
from pathlib import Path

import pytest
from test_site import make_project

from secdocs.cli import main
from secdocs.collectors import Collector, load_kinds
from secdocs.config import SecdocsConfig, from_mapping
from secdocs.options import Block, Options, TagPath
from secdocs.roles import builtin_table

DOCS = Path(__file__).resolve().parents[1] / "docs" / "collectors.md"


def builtin_kinds(tmp_path: Path) -> list[Collector]:
    return load_kinds(from_mapping({}, tmp_path))


def test_every_builtin_kind_is_an_entry_point_and_declares_its_parts(tmp_path: Path) -> None:
    kinds = builtin_kinds(tmp_path)
    names = {ep.name for ep in entry_points(group="secdocs.collectors")}
    assert {k.name for k in kinds} <= names
    assert {"security-policy", "advisories", "metrics"} <= {k.name for k in kinds}
    assert all(k.per_release is False for k in kinds if k.name in {"metrics", "advisories"})
    positions = [k.coverage.position for k in kinds if k.coverage is not None]
    assert len(positions) == len(set(positions)) == 7


def test_the_plugin_block_is_the_union_of_the_kinds_options(tmp_path: Path) -> None:
    """Every key of the secdocs block is declared by the core or by exactly one kind's class."""
    core = {"repo", "tags", "evidence", "strict", "max_file_size", "collectors"}
    core |= {"site_name", "cache_dir", "jobs"}
    owners: dict[str, list[str]] = {}
    for kind in builtin_kinds(tmp_path):
        options = kind.options_class
        if options is None:
            continue
        assert issubclass(SecdocsConfig, options), kind.name
        for key, _option in options._schema:
            owners.setdefault(key, []).append(kind.name)
    keys = {key for key, _option in SecdocsConfig._schema}
    assert keys == core | set(owners)
    assert {k: v for k, v in owners.items() if len(v) != 1} == {}


def test_every_file_role_is_claimed_by_the_kind_that_examines_it(tmp_path: Path) -> None:
    table = builtin_table()
    roles = {role for _suffix, role in table.suffixes} | set(table.names.values())
    roles |= {role for _marker, role in table.json_markers}
    examined = {role for kind in builtin_kinds(tmp_path) for role in kind.roles}
    assert roles - examined == set()
    for kind in builtin_kinds(tmp_path):
        assert {claim.role for claim in kind.claims} <= set(kind.roles), kind.name


def _blocks(language: str) -> list[str]:
    text = DOCS.read_text(encoding="utf-8")
    return re.findall(rf"```{language}\n(.*?)```", text, flags=re.S)


def test_worked_example_from_the_docs_installs_through_an_entry_point(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The example kind in docs/collectors.md, installed as a distribution with one entry point,
    is found, configured, run and rendered — with no change to secdocs."""
    (toml,) = [b for b in _blocks("toml") if "secdocs-codeowners" in b]
    (source,) = [b for b in _blocks("python") if "class CodeOwners(" in b]
    target = re.search(r'^codeowners = "(.+)"$', toml, flags=re.M)
    assert target is not None
    site_packages = tmp_path / "site-packages"
    dist = site_packages / "secdocs_codeowners-0.1.0.dist-info"
    dist.mkdir(parents=True)
    (site_packages / "secdocs_codeowners.py").write_text(source)
    (dist / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: secdocs-codeowners\nVersion: 0.1.0\n"
    )
    (dist / "entry_points.txt").write_text(
        f"[secdocs.collectors]\ncodeowners = {target.group(1)}\n"
    )
    monkeypatch.syspath_prepend(str(site_packages))

    extra = "      collectors:\n        codeowners:\n          require: true"
    repo = make_project(tmp_path / "p", extra=extra)
    repo.write(".github/CODEOWNERS", "* @acme/security\n")
    repo.release("v3.0.0", message="with owners")
    site = tmp_path / "site"
    assert main(["build", "-f", str(repo.root / "mkdocs.yml"), "-d", str(site)]) == 0
    index = (site / "releases" / "index.html").read_text()
    assert "Code owners" in index
    page = (site / "releases" / "v3.0.0" / "index.html").read_text()
    assert "Code owners" in page and ".github/CODEOWNERS" in page
    older = (site / "releases" / "v1.0.0" / "index.html").read_text()
    assert "is not in the release" in older  # required, and absent before v3.0.0

    bad = repo.root / "mkdocs.yml"
    bad.write_text(bad.read_text().replace("require: true", "requires: true"))
    assert main(["verify", "-f", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "config: collectors.codeowners.requires: unknown option (did you mean require?)" in err


def _tag_paths(options: type[Options]) -> bool:
    for _key, option in options._schema:
        inner = getattr(option, "item", option)
        if isinstance(inner, TagPath):
            return True
        if isinstance(option, Block) and _tag_paths(option.config_class):
            return True
    return False


def test_kinds_with_paths_read_at_the_tag_say_so(tmp_path: Path) -> None:
    """A per-release kind whose options name paths in the release's tree declares
    ``reads_tag_tree`` (and the others do not claim it without reason)."""
    for kind in builtin_kinds(tmp_path):
        if not kind.per_release or kind.options_class is None:
            continue
        if _tag_paths(kind.options_class):
            assert kind.reads_tag_tree, kind.name
    flagged = {k.name for k in builtin_kinds(tmp_path) if k.reads_tag_tree}
    assert flagged == {"tag-signatures", "threat-model", "changelog", "config-diff"}
