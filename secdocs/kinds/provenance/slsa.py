"""Reading SLSA provenance (v0.2 and v1.0 predicates in in-toto Statements v0.1 and v1)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

SLSA_V02 = "https://slsa.dev/provenance/v0.2"
SLSA_V1 = "https://slsa.dev/provenance/v1"
SLSA_TYPES = (SLSA_V02, SLSA_V1, "https://slsa.dev/provenance/v1.0")

_HEX = re.compile(r"^[0-9a-f]{40}([0-9a-f]{24})?$")


@dataclass(frozen=True)
class ProvenanceSummary:
    predicate_type: str
    builder: str | None
    build_type: str | None
    source_uri: str | None
    source_ref: str | None
    source_commit: str | None
    trigger: str | None
    entry_point: str | None


def _get(data: Any, *path: str) -> Any:
    for key in path:
        if not isinstance(data, Mapping):
            return None
        data = data.get(key)
    return data


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def split_uri(uri: str | None) -> tuple[str | None, str | None]:
    """``git+https://github.com/o/r@refs/tags/v1`` → (``git+https://github.com/o/r``, ref)."""
    if not uri:
        return None, None
    head, sep, ref = uri.rpartition("@")
    if sep and "/" in head and ref:
        return head, ref
    return uri, None


def normalize_source(uri: str | None) -> str | None:
    """A repository URI reduced to ``host/owner/name`` for comparison."""
    if not uri:
        return None
    text = uri.strip()
    text = text.removeprefix("git+")
    for scheme in ("https://", "http://", "ssh://", "git://"):
        text = text.removeprefix(scheme)
    text = text.removeprefix("git@").replace(":", "/", 1) if text.startswith("git@") else text
    text = text.split("@", 1)[0] if "@" in text.split("/", 1)[-1] else text
    text = text.rstrip("/").removesuffix(".git")
    return text.lower()


def summarize(statement: Mapping[str, Any]) -> ProvenanceSummary | None:
    """Builder, source and trigger of a SLSA provenance statement (``None`` if it is not one)."""
    ptype = _str(statement.get("predicateType"))
    predicate = statement.get("predicate")
    if ptype not in SLSA_TYPES or not isinstance(predicate, Mapping):
        return None
    if ptype == SLSA_V02:
        config = _get(predicate, "invocation", "configSource")
        v02_uri, v02_ref = split_uri(_str(_get(config, "uri")))
        trigger = _str(_get(predicate, "invocation", "environment", "github_event_name"))
        return ProvenanceSummary(
            predicate_type=ptype,
            builder=_str(_get(predicate, "builder", "id")),
            build_type=_str(predicate.get("buildType")),
            source_uri=v02_uri,
            source_ref=v02_ref,
            source_commit=_str(_get(config, "digest", "sha1")),
            trigger=trigger,
            entry_point=_str(_get(config, "entryPoint")),
        )
    build = predicate.get("buildDefinition")
    workflow = _get(build, "externalParameters", "workflow")
    uri: str | None = None
    ref: str | None = None
    commit: str | None = None
    deps = _get(build, "resolvedDependencies")
    if isinstance(deps, list):
        for dep in deps:
            dep_uri = _str(_get(dep, "uri"))
            dep_commit = _str(_get(dep, "digest", "gitCommit")) or _str(_get(dep, "digest", "sha1"))
            if dep_uri and dep_uri.startswith("git+"):
                uri, ref = split_uri(dep_uri)
                commit = dep_commit
                break
    if uri is None:
        uri = _str(_get(workflow, "repository"))
    if ref is None:
        ref = _str(_get(workflow, "ref"))
    trigger = _str(_get(build, "internalParameters", "github", "event_name"))
    return ProvenanceSummary(
        predicate_type=ptype,
        builder=_str(_get(predicate, "runDetails", "builder", "id")),
        build_type=_str(_get(build, "buildType")),
        source_uri=uri,
        source_ref=ref,
        source_commit=commit.lower() if commit and _HEX.match(commit.lower()) else commit,
        trigger=trigger,
        entry_point=_str(_get(workflow, "path")),
    )


def builder_allowed(builder: str | None, allowed: tuple[str, ...]) -> bool:
    """Exact match, or an allowed id without ``@ref`` matching the builder id's prefix."""
    if not builder:
        return False
    for entry in allowed:
        if builder == entry:
            return True
        if "@" not in entry and builder.split("@", 1)[0] == entry:
            return True
    return False


def ref_names_tag(ref: str | None, tag: str) -> bool:
    return ref in (tag, f"refs/tags/{tag}")
