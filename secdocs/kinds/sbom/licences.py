"""Licence rules: ``sbom: {licenses: {allow: [...], deny: [...]}}`` evaluated on SPDX expressions.

An expression is allowed when some choice of its ``OR`` branches uses only allowed licences
(``AND`` needs all of its parts); a licence on the deny list is never allowed, even if it is also
on the allow list (deny wins). Without an allow list everything not denied is allowed. Licence ids
are compared case-insensitively after license-expression normalised them against the SPDX list.
Free-text licence names cannot be evaluated: with an allow list they are violations unless the
exact name is listed.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from license_expression import (
    AND,
    OR,
    ExpressionError,
    LicenseSymbol,
    LicenseWithExceptionSymbol,
    Licensing,
    get_spdx_licensing,
)

from secdocs.kinds.sbom.options import LicenceOptions
from secdocs.options import validate_block
from secdocs.sbom.model import Component, Licence


@dataclass(frozen=True, slots=True)
class LicenceRules:
    allow: frozenset[str] = frozenset()
    deny: frozenset[str] = frozenset()

    @property
    def active(self) -> bool:
        return bool(self.allow or self.deny)


@dataclass(frozen=True, slots=True)
class Verdict:
    allowed: bool
    reason: str = ""


def parse_licence_rules(value: object) -> LicenceRules:
    """The policy of a ``licenses`` block (validated by :class:`LicenceOptions`)."""
    return licence_rules(validate_block(LicenceOptions, value, "sbom.licenses"))


def licence_rules(options: LicenceOptions) -> LicenceRules:
    return LicenceRules(
        allow=frozenset(_normalise_id(e) for e in options.allow),
        deny=frozenset(_normalise_id(e) for e in options.deny),
    )


@functools.lru_cache(maxsize=1)
def licensing() -> Licensing:
    return get_spdx_licensing()


def _normalise_id(value: str) -> str:
    try:
        parsed = licensing().parse(value.strip(), validate=False)
    except ExpressionError:
        return value.strip().lower()
    return str(parsed).lower() if parsed is not None else value.strip().lower()


class LicenceChecker:
    """Evaluates components against one policy, caching verdicts per distinct licence text."""

    def __init__(self, policy: LicenceRules) -> None:
        self.policy = policy
        self._cache: dict[tuple[Licence, ...], Verdict] = {}

    def component(self, component: Component) -> Verdict:
        key = component.licences
        found = self._cache.get(key)
        if found is None:
            found = self._cache[key] = self._evaluate(component.licences)
        return found

    def _evaluate(self, licences: tuple[Licence, ...]) -> Verdict:
        if not self.policy.active:
            return Verdict(True)
        if not licences:
            return Verdict(not self.policy.allow, "no licence declared")
        for licence in licences:
            verdict = self._one(licence)
            if not verdict.allowed:
                return verdict
        return Verdict(True)

    def _one(self, licence: Licence) -> Verdict:
        if licence.kind == "name":
            name = licence.value.strip().lower()
            if name in self.policy.deny:
                return Verdict(False, f"{licence.value} is denied")
            if self.policy.allow and name not in self.policy.allow:
                return Verdict(False, f"licence name {licence.value!r} is not an SPDX id")
            return Verdict(True)
        try:
            parsed = licensing().parse(licence.value, validate=False)
        except ExpressionError as exc:
            return Verdict(False, f"unparseable licence expression: {exc}")
        if parsed is None:
            return Verdict(False, "empty licence expression")
        if self._satisfiable(parsed):
            return Verdict(True)
        denied = sorted(s for s in self._symbols(parsed) if self._denied(s))
        if denied:
            return Verdict(False, f"denied: {', '.join(denied)}")
        return Verdict(False, f"not on the allow list: {parsed}")

    def _symbols(self, node: Any) -> list[str]:
        if isinstance(node, LicenseWithExceptionSymbol | LicenseSymbol):
            return [str(node)]
        return [s for arg in node.args for s in self._symbols(arg)]

    def _denied(self, text: str) -> bool:
        lowered = text.lower()
        return lowered in self.policy.deny or lowered.split(" with ")[0] in self.policy.deny

    def _satisfiable(self, node: Any) -> bool:
        if isinstance(node, LicenseWithExceptionSymbol | LicenseSymbol):
            text = str(node)
            if self._denied(text):
                return False
            if not self.policy.allow:
                return True
            lowered = text.lower()
            return lowered in self.policy.allow or lowered.split(" with ")[0] in self.policy.allow
        if isinstance(node, OR):
            return any(self._satisfiable(arg) for arg in node.args)
        if isinstance(node, AND):
            return all(self._satisfiable(arg) for arg in node.args)
        return False  # pragma: no cover - license-expression builds only these node types
