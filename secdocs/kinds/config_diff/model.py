"""What the config-diff kind finds: each compared file's changes, deviations and Kubernetes flags
(no I/O)."""

from __future__ import annotations

from dataclasses import dataclass

from secdocs.kinds.config_diff.differ import (
    Change,
)
from secdocs.kinds.containers import k8s
from secdocs.model import Problem


@dataclass(frozen=True, slots=True)
class Deviation:
    path: str
    kind: str
    value: str
    #: the previous release had the same setting
    inherited: bool


@dataclass(frozen=True, slots=True)
class FileDiff:
    path: str
    format: str
    #: ``changed`` | ``unchanged`` | ``added`` | ``removed`` | ``first`` | ``unreadable``
    state: str
    changes: tuple[Change, ...] = ()
    diff: tuple[str, ...] = ()
    deviations: tuple[Deviation, ...] = ()
    approved: tuple[str, ...] = ()
    problems: tuple[Problem, ...] = ()
    redacted: int = 0
    #: Kubernetes / Helm least-privilege flags of this release (see :mod:`..kinds.containers.k8s`)
    k8s: tuple[K8sFlag, ...] = ()
    #: flags of the previous release that this release no longer has
    k8s_resolved: tuple[K8sFlag, ...] = ()


@dataclass(frozen=True, slots=True)
class K8sFlag:
    rule: str
    where: str
    value: str
    #: the previous release had the same flag
    inherited: bool = False

    @property
    def title(self) -> str:
        return k8s.RULES[self.rule]


@dataclass(frozen=True, slots=True)
class ConfigDiffDetail:
    previous: str | None
    files: tuple[FileDiff, ...]
    unmatched: tuple[str, ...]
