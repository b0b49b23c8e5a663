"""The secdocs configuration: the ``secdocs`` block of ``mkdocs.yml``.

:class:`SecdocsConfig` is the block's MkDocs config class: the core options plus the option class
of every built-in evidence kind (each declared next to its kind). The plugin and every CLI command
validate through it; :class:`Config` is the validated configuration one run reads.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from mkdocs.config.base import ValidationError

from secdocs.collectors import load_collectors
from secdocs.errors import ConfigError, printable
from secdocs.kinds.changelog.options import ChangelogOptions
from secdocs.kinds.config_diff.options import ConfigDiffOptions
from secdocs.kinds.containers.options import ContainersOptions
from secdocs.kinds.provenance.options import ProvenanceOptions
from secdocs.kinds.sbom.options import SbomOptions
from secdocs.kinds.security_policy.options import SecurityOptions
from secdocs.kinds.signatures.options import SignaturesOptions
from secdocs.kinds.tag_signatures.options import TagSignaturesOptions
from secdocs.kinds.threat_model.options import ThreatModelOptions
from secdocs.options import (
    Checked,
    ConfigErrors,
    Number,
    Options,
    Text,
    repository_root,
    validate_block,
)

DEFAULT_TAGS = "v*"
DEFAULT_EVIDENCE = "evidence/{tag}"
DEFAULT_MAX_FILE_SIZE = 64 * 1024 * 1024
DEFAULT_MAX_CONFIG_SIZE = 1024 * 1024

_PLACEHOLDERS = ("{tag}", "{version}")


def _evidence_template(value: object) -> str:
    if not isinstance(value, str) or not value:
        raise ValueError("expected a folder template such as evidence/{tag}")
    if Path(value).is_absolute() or value.startswith("/"):
        raise ValueError("must be relative to the repository (for example evidence/{tag})")
    if ".." in value.replace("\\", "/").split("/"):
        raise ValueError("must not contain '..'")
    stripped = value
    for placeholder in _PLACEHOLDERS:
        stripped = stripped.replace(placeholder, "")
    if "{" in stripped or "}" in stripped:
        raise ValueError("only the placeholders {tag} and {version} are allowed")
    return value


def _collectors(value: object) -> dict[str, dict[str, Any]]:
    """Third-party collectors enabled by name: ``[junit, {other: {…}}]`` or ``{junit: {…}}``."""
    entries: list[tuple[object, object]] = []
    if isinstance(value, list):
        for entry in value:
            if isinstance(entry, str):
                entries.append((entry, None))
            elif isinstance(entry, Mapping) and len(entry) == 1:
                entries.append(next(iter(entry.items())))
            else:
                raise ValueError("expected names or {name: options} entries")
    elif isinstance(value, Mapping):
        entries = list(value.items())
    else:
        raise ValueError("expected a list of collector names or a mapping name: options")
    result: dict[str, dict[str, Any]] = {}
    for name, opts in entries:
        if opts is not None and not isinstance(opts, Mapping):
            raise ValueError(f"{name}: expected a mapping of options")
        result[str(name)] = dict(opts or {})
    return result


EVIDENCE_KEYS = ("ref", "path", "keep_binaries")
#: the path of a release's evidence inside an evidence ref's tree
DEFAULT_REF_EVIDENCE = "{tag}"


def _evidence(value: object) -> dict[str, Any]:
    """``evidence:`` is a folder template, or ``{ref:, path:, keep_binaries:}`` for evidence on
    its own git ref."""
    if isinstance(value, str):
        return {"path": _evidence_template(value), "ref": None, "keep_binaries": False}
    if not isinstance(value, Mapping):
        raise ValueError(
            "expected a folder template (evidence/{tag}) or a mapping such as "
            '{ref: refs/secdocs/evidence, path: "{tag}"}'
        )
    unknown = sorted(str(k) for k in set(value) - set(EVIDENCE_KEYS))
    if unknown:
        raise ValueError(f"{unknown[0]}: unknown option (known: {', '.join(EVIDENCE_KEYS)})")
    ref = value.get("ref")
    if ref is not None and not (isinstance(ref, str) and _valid_ref(ref)):
        raise ValueError("ref: expected a full git ref name such as refs/secdocs/evidence")
    try:
        path = _evidence_template(
            value.get("path", DEFAULT_REF_EVIDENCE if ref else DEFAULT_EVIDENCE)
        )
    except ValueError as exc:
        raise ValueError(f"path: {exc}") from exc
    keep = value.get("keep_binaries", False)
    if not isinstance(keep, bool):
        raise ValueError("keep_binaries: expected true or false")
    return {"path": path, "ref": ref, "keep_binaries": keep}


def _valid_ref(ref: str) -> bool:
    """A full ref name below ``refs/``, not a branch or a tag (those hold code and releases)."""
    if not ref.startswith("refs/") or ref.startswith(("refs/heads/", "refs/tags/")):
        return False
    return ".." not in ref and all(
        part
        and not part.startswith(".")
        and not part.endswith((".lock", "."))
        and all(ch.isalnum() or ch in "-_." for ch in part)
        for part in ref.split("/")
    )


def _strict(value: object) -> dict[str, Any]:
    """``strict:`` is true/false, or ``{from: TAG}`` to apply it from one release on."""
    if isinstance(value, bool):
        return {"strict": value, "from": None}
    if isinstance(value, Mapping) and set(value) == {"strict", "from"}:
        return dict(value)  # already validated (the default)
    if isinstance(value, Mapping):
        unknown = sorted(str(k) for k in set(value) - {"from"})
        if unknown:
            raise ValueError(f"{unknown[0]}: unknown option (known: from)")
        start = value.get("from")
        if isinstance(start, str) and start:
            from secdocs.discover import parse_version

            if parse_version(start) is None:
                raise ValueError(f"from: {start!r} is not a PEP 440 or SemVer version")
            return {"strict": True, "from": start}
    raise ValueError("expected true, false, or {from: TAG} (for example v4.0.0)")


class CoreOptions(Options):
    """The options every run reads (the evidence kinds declare their own)."""

    repo = Text(".")
    tags = Text(DEFAULT_TAGS)
    evidence: Checked[dict[str, Any]] = Checked(_evidence, _evidence(DEFAULT_EVIDENCE))
    strict: Checked[dict[str, Any]] = Checked(_strict, _strict(False))
    max_file_size = Number(DEFAULT_MAX_FILE_SIZE, minimum=1, meaning="a positive number of bytes")
    collectors: Checked[dict[str, dict[str, Any]]] = Checked(_collectors, {})
    site_name = Text()
    cache_dir = Text()
    jobs = Number(1, minimum=0, meaning="0 (one per core) or a positive number")


class SecdocsConfig(
    CoreOptions,
    SignaturesOptions,
    ProvenanceOptions,
    TagSignaturesOptions,
    SbomOptions,
    ThreatModelOptions,
    ChangelogOptions,
    ConfigDiffOptions,
    SecurityOptions,
    ContainersOptions,
):
    """The ``secdocs`` block of ``mkdocs.yml``: the core options and every built-in kind's.

    Files named by options are looked up in ``repo`` (relative to ``mkdocs.yml``).
    """

    def _validate(self) -> tuple[list[tuple[str, Exception]], list[tuple[str, str]]]:
        repo = self.get("repo")
        base = Path(self.config_file_path).parent if self.config_file_path else Path()
        root: Path | None = None
        if isinstance(repo, str) and repo:
            root = (base / repo).resolve()
        failed: list[tuple[str, Exception]] = []
        if root is not None and not root.is_dir():
            failed.append(("repo", ValidationError(f"{printable(str(root))} is not a folder")))
            root = None
        with repository_root(root):
            more, warnings = super()._validate()
        return failed + more, warnings


@dataclass(frozen=True, slots=True)
class Config:
    """The validated configuration of one run."""

    repo: Path
    options: SecdocsConfig
    tags: str = DEFAULT_TAGS
    evidence: str = DEFAULT_EVIDENCE
    #: the git ref that holds the evidence (``evidence: {ref: …}``); ``None``: a working-tree folder
    evidence_ref: str | None = None
    #: ``secdocs collect`` keeps release binaries, not only their digests
    keep_binaries: bool = False
    strict: bool = False
    #: strictness applies to this release and newer ones only (``strict: {from: TAG}``)
    strict_from: str | None = None
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    #: third-party collectors enabled by name, with their options
    collectors: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    site_name: str | None = None
    cache_dir: Path | None = None
    jobs: int = 1

    def evidence_path(self, tag: str, version: str) -> str:
        """The evidence folder of one release, relative to the repository."""
        return self.evidence.replace("{tag}", tag).replace("{version}", version)

    def fingerprint(self) -> str:
        """A digest of the whole validated configuration, for cache keys."""
        payload = {"repo": str(self.repo), "options": self.options.as_data()}
        blob = json.dumps(payload, sort_keys=True, default=str).encode()
        return hashlib.sha256(blob).hexdigest()


def validate(options: Mapping[Any, Any], config_file_path: str) -> SecdocsConfig:
    """The validated ``secdocs`` block; :class:`ConfigErrors` lists every error at once."""
    if not isinstance(options, Mapping):
        raise ConfigErrors([("secdocs", "expected a mapping of options")])
    return validate_block(SecdocsConfig, options, config_file_path=config_file_path)


def settings(options: SecdocsConfig) -> Config:
    """The run's :class:`Config` from a validated block."""
    base = Path(options.config_file_path).parent if options.config_file_path else Path()
    cache_dir = options.cache_dir
    evidence = (
        options.evidence if isinstance(options.evidence, dict) else _evidence(options.evidence)
    )
    strict = options.strict if isinstance(options.strict, dict) else _strict(options.strict)
    return Config(
        repo=(base / options.repo).resolve(),
        options=options,
        tags=options.tags,
        evidence=evidence["path"],
        evidence_ref=evidence["ref"],
        keep_binaries=evidence["keep_binaries"],
        strict=strict["strict"],
        strict_from=strict["from"],
        max_file_size=options.max_file_size,
        collectors=options.collectors,
        site_name=options.site_name,
        cache_dir=(base / cache_dir).resolve() if cache_dir is not None else None,
        jobs=options.jobs,
    )


def from_mapping(options: Mapping[Any, Any], base_dir: Path) -> Config:
    """Validate the plugin options. Relative paths are resolved against ``base_dir``."""
    return settings(validate(options, str(base_dir / "mkdocs.yml")))


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
    config = from_mapping(options, path.parent)
    load_collectors(config)  # third-party collectors and their options, checked the same way
    return config, document


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
