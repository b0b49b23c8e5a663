"""The secdocs configuration: the ``secdocs`` block of ``mkdocs.yml``.

The core options are validated here into a frozen :class:`Config`. Feature blocks (``signer``,
``provenance``, ``sbom``, …) are kept as plain mappings in :attr:`Config.sections` and validated by
the collector that owns them, so a new collector never needs a change to this module.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from secdocs.errors import ConfigError

DEFAULT_TAGS = "v*"
DEFAULT_EVIDENCE = "evidence/{tag}"
DEFAULT_MAX_FILE_SIZE = 64 * 1024 * 1024
DEFAULT_MAX_CONFIG_SIZE = 1024 * 1024

#: Feature blocks owned by collectors and site generators; validated where they are used.
SECTION_KEYS = (
    "signer",
    "trusted_root",
    "public_keys",
    "provenance",
    "tag_signers",
    "sbom",
    "threat_model",
    "changelog",
    "config_diff",
    "security",
)

CORE_KEYS = (
    "repo",
    "tags",
    "evidence",
    "strict",
    "max_file_size",
    "collectors",
    "site_name",
    "cache_dir",
    "jobs",
)

KNOWN_KEYS = CORE_KEYS + SECTION_KEYS

_PLACEHOLDERS = ("{tag}", "{version}")


@dataclass(frozen=True, slots=True)
class Config:
    repo: Path
    tags: str = DEFAULT_TAGS
    evidence: str = DEFAULT_EVIDENCE
    strict: bool = False
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    #: third-party collectors enabled by name, with their options
    collectors: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    site_name: str | None = None
    cache_dir: Path | None = None
    jobs: int = 1
    sections: Mapping[str, Any] = field(default_factory=dict)

    def section(self, key: str) -> Any:
        """The raw value of a feature block (``None`` when absent)."""
        return self.sections.get(key)

    def evidence_path(self, tag: str, version: str) -> str:
        """The evidence folder of one release, relative to the repository."""
        return self.evidence.replace("{tag}", tag).replace("{version}", version)

    def fingerprint(self) -> str:
        """A stable digest of every option, for cache keys."""
        payload = {
            "repo": str(self.repo),
            "tags": self.tags,
            "evidence": self.evidence,
            "max_file_size": self.max_file_size,
            "collectors": self.collectors,
            "sections": self.sections,
        }
        blob = json.dumps(payload, sort_keys=True, default=str).encode()
        return hashlib.sha256(blob).hexdigest()


def from_mapping(options: Mapping[str, Any], base_dir: Path) -> Config:
    """Validate the plugin options. Relative paths are resolved against ``base_dir``."""
    if not isinstance(options, Mapping):
        raise ConfigError("secdocs", "expected a mapping of options")
    unknown = sorted(str(k) for k in set(options) - set(KNOWN_KEYS))
    if unknown:
        raise ConfigError(unknown[0], f"unknown option (known: {', '.join(KNOWN_KEYS)})")

    repo_opt = options.get("repo") or "."
    if not isinstance(repo_opt, str | os.PathLike):
        raise ConfigError("repo", "expected a path")
    repo = (base_dir / Path(repo_opt)).resolve()

    tags = _string(options, "tags", DEFAULT_TAGS)
    evidence = _string(options, "evidence", DEFAULT_EVIDENCE)
    _check_evidence_template(evidence)

    strict = options.get("strict", False)
    if not isinstance(strict, bool):
        raise ConfigError("strict", "expected true or false")

    max_file_size = options.get("max_file_size", DEFAULT_MAX_FILE_SIZE)
    if isinstance(max_file_size, bool) or not isinstance(max_file_size, int) or max_file_size <= 0:
        raise ConfigError("max_file_size", "expected a positive number of bytes")

    jobs = options.get("jobs", 1)
    if isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 0:
        raise ConfigError("jobs", "expected 0 (one per core) or a positive number")

    cache_opt = options.get("cache_dir")
    cache_dir = None
    if cache_opt is not None:
        if not isinstance(cache_opt, str):
            raise ConfigError("cache_dir", "expected a path")
        cache_dir = (base_dir / cache_opt).resolve()

    site_name = options.get("site_name")
    if site_name is not None and not isinstance(site_name, str):
        raise ConfigError("site_name", "expected a string")

    return Config(
        repo=repo,
        tags=tags,
        evidence=evidence,
        strict=strict,
        max_file_size=max_file_size,
        collectors=_collectors(options.get("collectors")),
        site_name=site_name,
        cache_dir=cache_dir,
        jobs=jobs,
        sections={k: options[k] for k in SECTION_KEYS if options.get(k) is not None},
    )


def load_mkdocs_yml(path: Path) -> tuple[Config, Mapping[str, Any]]:
    """Read the ``secdocs`` plugin block from an ``mkdocs.yml``, without building anything.

    Returns the validated config and the whole mkdocs configuration mapping.
    """
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigError(str(path), f"cannot read: {exc.strerror}") from exc
    if len(raw) > DEFAULT_MAX_CONFIG_SIZE:
        raise ConfigError(str(path), f"larger than {DEFAULT_MAX_CONFIG_SIZE} bytes")
    try:
        document = yaml.load(raw, Loader=_MkDocsLoader)  # noqa: S506  # nosec B506 - SafeLoader
    except yaml.YAMLError as exc:
        raise ConfigError(str(path), f"invalid YAML: {exc}") from exc
    if not isinstance(document, Mapping):
        raise ConfigError(str(path), "expected a mapping at the top level")
    options = plugin_options(document)
    if options is None:
        raise ConfigError(f"{path}: plugins", "no 'secdocs' plugin configured")
    return from_mapping(options, path.parent), document


def plugin_options(document: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """The options of the ``secdocs`` entry of ``plugins`` (``{}`` when it has none)."""
    plugins = document.get("plugins") or []
    if isinstance(plugins, Mapping):
        plugins = [{k: v} for k, v in plugins.items()]
    for entry in plugins:
        if entry == "secdocs":
            return {}
        if isinstance(entry, Mapping) and "secdocs" in entry:
            return entry["secdocs"] or {}
    return None


class _MkDocsLoader(yaml.SafeLoader):
    """SafeLoader that tolerates the tags mkdocs.yml files commonly use."""


def _ignore_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return loader.construct_mapping(node)  # type: ignore[arg-type]


_MkDocsLoader.add_multi_constructor("!", _ignore_tag)
_MkDocsLoader.add_multi_constructor("tag:yaml.org,2002:python/", _ignore_tag)


def _string(options: Mapping[str, Any], key: str, default: str) -> str:
    value = options.get(key, default)
    if not isinstance(value, str) or not value:
        raise ConfigError(key, "expected a non-empty string")
    return value


def _check_evidence_template(template: str) -> None:
    if Path(template).is_absolute() or template.startswith("/"):
        raise ConfigError("evidence", "must be relative to the repository")
    parts = template.replace("\\", "/").split("/")
    if ".." in parts:
        raise ConfigError("evidence", "must not contain '..'")
    stripped = template
    for placeholder in _PLACEHOLDERS:
        stripped = stripped.replace(placeholder, "")
    if "{" in stripped or "}" in stripped:
        raise ConfigError("evidence", "only the placeholders {tag} and {version} are allowed")


def _collectors(value: Any) -> Mapping[str, Mapping[str, Any]]:
    if value is None:
        return {}
    if isinstance(value, list):
        result: dict[str, Mapping[str, Any]] = {}
        for entry in value:
            if isinstance(entry, str):
                result[entry] = {}
            elif isinstance(entry, Mapping) and len(entry) == 1:
                name, opts = next(iter(entry.items()))
                if opts is not None and not isinstance(opts, Mapping):
                    raise ConfigError(f"collectors.{name}", "expected a mapping of options")
                result[str(name)] = dict(opts or {})
            else:
                raise ConfigError("collectors", "expected names or {name: options} entries")
        return result
    if isinstance(value, Mapping):
        out: dict[str, Mapping[str, Any]] = {}
        for name, opts in value.items():
            if opts is not None and not isinstance(opts, Mapping):
                raise ConfigError(f"collectors.{name}", "expected a mapping of options")
            out[str(name)] = dict(opts or {})
        return out
    raise ConfigError("collectors", "expected a list or a mapping")
