"""Findings of the fuzzers that live in other engineers' modules, kept as strict xfails.

Each fails today for the reason given and turns into an unexpected pass (a failure under
``strict=True``) once fixed, so the fix is noticed and the xfail removed. The fuzz targets work
around exactly these findings (see ``fuzz/targets.py: _str_keys``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from secdocs.config import from_mapping
from secdocs.errors import ConfigError
from secdocs.policy.settings import parse


@pytest.mark.xfail(
    strict=True,
    raises=TypeError,
    reason="config.from_mapping sorts unknown keys of mixed types: TypeError, not ConfigError",
)
def test_plugin_options_with_mixed_type_unknown_keys_are_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError):
        from_mapping({1: "x", "zz": "y"}, tmp_path)


@pytest.mark.xfail(
    strict=True,
    raises=TypeError,
    reason="policy.settings.parse sorts unknown keys of mixed types: TypeError, not ConfigError",
)
def test_security_block_with_mixed_type_unknown_keys_is_a_config_error() -> None:
    with pytest.raises(ConfigError):
        parse({1: "x", "zz": "y"}, "project")


#: YAML aliases: a few hundred bytes that expand to 9**depth strings when a value is str()-ed.
def yaml_alias_bomb(depth: int) -> str:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{i}: &a{i} [{','.join([f'*a{i - 1}'] * 9)}]" for i in range(1, depth + 1)]
    return "\n".join(lines)


@pytest.mark.xfail(
    strict=True,
    reason="delta front matter: str(title) expands YAML aliases (depth 8: hang, unbounded "
    "memory); a non-text title should be a problem",
)
def test_delta_title_made_of_yaml_aliases_is_refused() -> None:
    from secdocs.history.delta import parse_delta

    text = f"---\n{yaml_alias_bomb(2)}\ntitle: *a2\n---\n# Delta\n\n## What changes\n\nx\n"
    delta = parse_delta(text.encode(), "docs/threat-model/deltas/1.0.0.md")
    assert delta.title is None or "lol" not in delta.title
    assert delta.problems


@pytest.mark.xfail(
    strict=True,
    reason="metrics.compute.freshness: str(name) expands YAML aliases (depth 8: hang, unbounded "
    "memory); a non-text name should be a problem",
)
def test_version_index_name_made_of_yaml_aliases_is_refused() -> None:
    import yaml

    from secdocs.metrics import compute

    raw = yaml.safe_load(f"{yaml_alias_bomb(2)}\ncomponents:\n  - {{name: *a2, version: '1'}}\n")
    found, problems = compute.freshness(raw, "version-index.yaml")
    assert found == [] and problems
