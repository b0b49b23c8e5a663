from __future__ import annotations

from pathlib import Path

import pytest

from secdocs.config import Config, from_mapping, load_mkdocs_yml, plugin_options
from secdocs.errors import ConfigError


def test_defaults_and_sections(tmp_path: Path) -> None:
    config = from_mapping({"signer": {"identity": "x"}, "sbom": None}, tmp_path)
    assert config.repo == tmp_path.resolve()
    assert (config.tags, config.evidence, config.strict) == ("v*", "evidence/{tag}", False)
    assert config.options.signer.identity == "x" and config.options.signer.issuer is None
    assert config.options.sbom.validate_ is True and config.options.sbom.licenses.allow == ()
    assert config.options.config_diff is None and config.options.security is None
    assert config.evidence_path("v1.0.0", "1.0.0") == "evidence/v1.0.0"
    assert from_mapping({"evidence": "ev/{version}"}, tmp_path).evidence_path("v1", "1") == "ev/1"


def test_fingerprint_changes_with_options(tmp_path: Path) -> None:
    a = from_mapping({}, tmp_path).fingerprint()
    assert a == from_mapping({}, tmp_path).fingerprint()
    assert a != from_mapping({"signer": {"identity": "y"}}, tmp_path).fingerprint()


@pytest.mark.parametrize(
    "options",
    [
        {"tags": "release-*"},
        {"evidence": "ev/{tag}"},
        {"changelog": "HISTORY.md"},
        {"threat_model": {"folder": "tm"}},
        {"config_diff": {"paths": ["a.yaml"]}},
        {"config_diff": {"paths": ["a.yaml"], "approved_tls": {"protocols": ["TLS 1.3"]}}},
        {"sbom": {"licenses": {"deny": ["GPL-3.0-only"]}}},
        {"provenance": {"builders": ["b"]}},
        {"security": {"expires_days": 30}},
        {"max_file_size": 1024},
    ],
)
def test_fingerprint_covers_every_option(tmp_path: Path, options: dict[str, object]) -> None:
    """The cache key hashes the whole validated configuration: no option can be left off."""
    assert from_mapping(options, tmp_path).fingerprint() != from_mapping({}, tmp_path).fingerprint()


@pytest.mark.parametrize(
    ("options", "key"),
    [
        ({"colour": 1}, "colour"),
        ({"repo": 3}, "repo"),
        ({"tags": ""}, "tags"),
        ({"evidence": "/abs/{tag}"}, "evidence"),
        ({"evidence": "../{tag}"}, "evidence"),
        ({"evidence": "ev/{commit}"}, "evidence"),
        ({"strict": "yes"}, "strict"),
        ({"max_file_size": 0}, "max_file_size"),
        ({"max_file_size": True}, "max_file_size"),
        ({"jobs": -1}, "jobs"),
        ({"cache_dir": 5}, "cache_dir"),
        ({"site_name": 5}, "site_name"),
        ({"collectors": 5}, "collectors"),
        ({"collectors": [5]}, "collectors"),
        ({"collectors": [{"junit": 5}]}, "collectors"),
        ({"collectors": {"junit": 5}}, "collectors"),
    ],
)
def test_invalid_options_name_the_key(tmp_path: Path, options: dict[str, object], key: str) -> None:
    with pytest.raises(ConfigError) as info:
        from_mapping(options, tmp_path)
    assert info.value.key == key


def test_collectors_forms(tmp_path: Path) -> None:
    as_list = from_mapping({"collectors": ["junit", {"other": {"a": 1}}]}, tmp_path)
    assert as_list.collectors == {"junit": {}, "other": {"a": 1}}
    as_map = from_mapping({"collectors": {"junit": None}, "cache_dir": "c"}, tmp_path)
    assert as_map.collectors == {"junit": {}}
    assert as_map.cache_dir == (tmp_path / "c").resolve()
    assert isinstance(as_map, Config)
    with pytest.raises(ConfigError):
        from_mapping([], tmp_path)  # type: ignore[arg-type]


def test_load_mkdocs_yml(tmp_path: Path) -> None:
    yml = tmp_path / "mkdocs.yml"
    yml.write_text(
        "site_name: x\nmarkdown_extensions:\n  - pymdownx.emoji:\n"
        "      emoji_index: !!python/name:material.extensions.emoji.twemoji\n"
        "plugins:\n  - search\n  - secdocs:\n      tags: 'release-*'\n      strict: true\n"
        "extra:\n  x: !ENV [HOME, x]\n"
    )
    config, document = load_mkdocs_yml(yml)
    assert config.tags == "release-*" and config.strict
    assert document["site_name"] == "x"
    yml.write_text("plugins:\n  - search\n")
    with pytest.raises(ConfigError, match="no 'secdocs' plugin"):
        load_mkdocs_yml(yml)
    yml.write_text("plugins: [secdocs\n")
    with pytest.raises(ConfigError, match="invalid YAML"):
        load_mkdocs_yml(yml)
    yml.write_text("- a list\n")
    with pytest.raises(ConfigError, match="mapping"):
        load_mkdocs_yml(yml)
    with pytest.raises(ConfigError, match="cannot read"):
        load_mkdocs_yml(tmp_path / "absent.yml")


def test_plugin_options_forms() -> None:
    assert plugin_options({"plugins": ["secdocs"]}) == {}
    assert plugin_options({"plugins": {"secdocs": {"tags": "x"}}}) == {"tags": "x"}
    assert plugin_options({"plugins": [{"secdocs": None}]}) == {}
    assert plugin_options({}) is None
