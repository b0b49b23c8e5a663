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
