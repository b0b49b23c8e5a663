"""Regression tests for what the fuzzers found: mixed-type option keys and YAML alias bombs."""

from __future__ import annotations

from pathlib import Path

import pytest

from secdocs.config import from_mapping
from secdocs.errors import ConfigError
from secdocs.kinds.security_policy.model import parse


def test_plugin_options_with_mixed_type_unknown_keys_are_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError):
        from_mapping({1: "x", "zz": "y"}, tmp_path)


def test_security_block_with_mixed_type_unknown_keys_is_a_config_error() -> None:
    with pytest.raises(ConfigError):
        parse({1: "x", "zz": "y"}, "project")


#: YAML aliases: a few hundred bytes that expand to 9**depth strings when a value is str()-ed.
def yaml_alias_bomb(depth: int) -> str:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{i}: &a{i} [{','.join([f'*a{i - 1}'] * 9)}]" for i in range(1, depth + 1)]
    return "\n".join(lines)


def test_delta_title_made_of_yaml_aliases_is_refused() -> None:
    from secdocs.kinds.threat_model.delta import parse_delta

    text = f"---\n{yaml_alias_bomb(2)}\ntitle: *a2\n---\n# Delta\n\n## What changes\n\nx\n"
    delta = parse_delta(text.encode(), "docs/threat-model/deltas/1.0.0.md")
    assert delta.title is None or "lol" not in delta.title
    assert delta.problems


def test_version_index_name_made_of_yaml_aliases_is_refused() -> None:
    import yaml

    from secdocs.kinds.metrics import compute

    raw = yaml.safe_load(f"{yaml_alias_bomb(2)}\ncomponents:\n  - {{name: *a2, version: '1'}}\n")
    found, problems = compute.freshness(raw, "version-index.yaml")
    assert found == [] and problems


def test_alias_bombs_and_recursive_aliases_are_refused_everywhere_yaml_is_read() -> None:
    import yaml

    from secdocs.safety import YAMLExpansionError, safe_yaml_load, safe_yaml_load_all

    bomb = yaml_alias_bomb(8)  # 9**8 strings once expanded, a few hundred bytes on disk
    with pytest.raises(YAMLExpansionError, match="alias bomb"):
        safe_yaml_load(bomb)
    with pytest.raises(YAMLExpansionError):
        safe_yaml_load_all("a: 1\n---\n" + bomb)
    with pytest.raises(YAMLExpansionError, match="recursive"):
        safe_yaml_load("a: &a [*a]")
    with pytest.raises(yaml.YAMLError):
        safe_yaml_load("a: [")
    # Anchors used sensibly still work.
    assert safe_yaml_load("base: &b {x: 1}\nother: *b") == {"base": {"x": 1}, "other": {"x": 1}}
    assert safe_yaml_load("") is None
    assert safe_yaml_load_all("a: 1\n---\nb: 2\n") == [{"a": 1}, {"b": 2}]
