"""Least-privilege and hardening flags in Kubernetes manifests and Helm values.

Input is what :func:`secdocs.kinds.config_diff.differ.parse` returns for a YAML or JSON file
(the shared safe loader, with its alias and depth limits; a multi-document file is a list). A
document with ``apiVersion`` and ``kind`` is a Kubernetes object; a file named ``values*.yaml``
(or under a chart's folder) is Helm values, checked by the keys charts conventionally use.

Each flag names its rule, where it is (``Kind/namespace/name: key path``) and the value seen.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

MAX_FLAGS = 500
MAX_OBJECTS = 2_000

RULES = {
    "rbac-wildcard": "RBAC rule with a wildcard verb or resource",
    "cluster-admin": "binding to cluster-admin",
    "privileged": "privileged container",
    "run-as-non-root": "runAsNonRoot is not true",
    "privilege-escalation": "allowPrivilegeEscalation is not false",
    "host-namespace": "host namespace shared (hostNetwork, hostPID or hostIPC)",
    "service-account-token": "service-account token mounted by default",
    "image-not-pinned": "image not pinned by digest",
    "ingress-without-tls": "Ingress without TLS",
}

_POD_PATHS = {
    "Pod": ("spec",),
    "Deployment": ("spec", "template", "spec"),
    "StatefulSet": ("spec", "template", "spec"),
    "DaemonSet": ("spec", "template", "spec"),
    "ReplicaSet": ("spec", "template", "spec"),
    "ReplicationController": ("spec", "template", "spec"),
    "Job": ("spec", "template", "spec"),
    "CronJob": ("spec", "jobTemplate", "spec", "template", "spec"),
}
_CONTAINER_LISTS = ("initContainers", "containers", "ephemeralContainers")


@dataclass(frozen=True, slots=True)
class Flag:
    rule: str
    where: str
    value: str

    @property
    def title(self) -> str:
        return RULES[self.rule]

    @property
    def key(self) -> tuple[str, str]:
        return (self.rule, self.where)


def is_helm_values(path: str) -> bool:
    base = path.rsplit("/", 1)[-1].lower()
    return base.startswith("values") and base.endswith((".yaml", ".yml"))


def flags(document: Any, path: str) -> list[Flag]:
    """Every flag of a parsed file (Kubernetes objects, or Helm values by name)."""
    found: list[Flag] = []
    docs = document if isinstance(document, list) else [document]
    objects = [d for d in _objects(docs) if isinstance(d.get("kind"), str)]
    if objects:
        for obj in objects[:MAX_OBJECTS]:
            found += _object_flags(obj)
    elif is_helm_values(path) and isinstance(document, Mapping):
        found += _helm_flags(document)
    unique = list(dict.fromkeys(found))
    return unique[:MAX_FLAGS]


def _objects(docs: list[Any]) -> Iterator[Mapping[str, Any]]:
    for doc in docs:
        if not isinstance(doc, Mapping) or "apiVersion" not in doc:
            continue
        items = doc.get("items")
        if doc.get("kind") == "List" and isinstance(items, list):
            yield from (i for i in items if isinstance(i, Mapping))
        else:
            yield doc


def _get(value: Any, *keys: str) -> Any:
    for key in keys:
        if not isinstance(value, Mapping):
            return None
        value = value.get(key)
    return value


def _name(obj: Mapping[str, Any]) -> str:
    meta = obj.get("metadata")
    meta = meta if isinstance(meta, Mapping) else {}
    parts = [str(obj.get("kind")), str(meta.get("namespace") or ""), str(meta.get("name") or "?")]
    return "/".join(p for p in parts if p)


def _object_flags(obj: Mapping[str, Any]) -> list[Flag]:
    kind = obj.get("kind")
    where = _name(obj)
    out: list[Flag] = []
    if kind in ("Role", "ClusterRole"):
        rules = obj.get("rules")
        for n, rule in enumerate(rules if isinstance(rules, list) else []):
            for key in ("verbs", "resources", "apiGroups"):
                values = _get(rule, key)
                if key != "apiGroups" and isinstance(values, list) and "*" in values:
                    out.append(Flag("rbac-wildcard", f"{where}: rules[{n}].{key}", "*"))
    elif kind in ("RoleBinding", "ClusterRoleBinding"):
        if _get(obj, "roleRef", "name") == "cluster-admin":
            out.append(Flag("cluster-admin", f"{where}: roleRef.name", "cluster-admin"))
    elif kind == "Ingress":
        tls = _get(obj, "spec", "tls")
        if not (isinstance(tls, list) and tls):
            out.append(Flag("ingress-without-tls", f"{where}: spec.tls", "absent"))
    elif kind == "ServiceAccount":
        pass  # a pod's own setting decides; the pod check below reports it
    path = _POD_PATHS.get(str(kind))
    if path is not None:
        spec = _get(obj, *path)
        if isinstance(spec, Mapping):
            out += _pod_flags(spec, f"{where}: {'.'.join(path)}")
    return out


def _truthy(value: Any) -> bool:
    return value is True or (isinstance(value, str) and value.lower() == "true")


def _falsy(value: Any) -> bool:
    return value is False or (isinstance(value, str) and value.lower() == "false")


def _pod_flags(spec: Mapping[str, Any], where: str) -> list[Flag]:
    out: list[Flag] = []
    for key in ("hostNetwork", "hostPID", "hostIPC"):
        if _truthy(spec.get(key)):
            out.append(Flag("host-namespace", f"{where}.{key}", "true"))
    if not _falsy(spec.get("automountServiceAccountToken")):
        shown = spec.get("automountServiceAccountToken")
        out.append(
            Flag(
                "service-account-token",
                f"{where}.automountServiceAccountToken",
                "unset" if shown is None else str(shown),
            )
        )
    pod_non_root = _get(spec, "securityContext", "runAsNonRoot")
    for list_key in _CONTAINER_LISTS:
        containers = spec.get(list_key)
        for n, container in enumerate(containers if isinstance(containers, list) else []):
            if not isinstance(container, Mapping):
                continue
            here = f"{where}.{list_key}[{n}]"
            context = container.get("securityContext")
            context = context if isinstance(context, Mapping) else {}
            if _truthy(context.get("privileged")):
                out.append(Flag("privileged", f"{here}.securityContext.privileged", "true"))
            non_root = context.get("runAsNonRoot", pod_non_root)
            if not _truthy(non_root):
                out.append(
                    Flag(
                        "run-as-non-root",
                        f"{here}.securityContext.runAsNonRoot",
                        "unset" if non_root is None else str(non_root),
                    )
                )
            escalation = context.get("allowPrivilegeEscalation")
            if not _falsy(escalation):
                out.append(
                    Flag(
                        "privilege-escalation",
                        f"{here}.securityContext.allowPrivilegeEscalation",
                        "unset" if escalation is None else str(escalation),
                    )
                )
            image = container.get("image")
            if isinstance(image, str) and "@sha256:" not in image:
                out.append(Flag("image-not-pinned", f"{here}.image", image))
    return out


def _helm_flags(values: Mapping[str, Any], prefix: str = "", depth: int = 0) -> list[Flag]:
    """Chart conventions: ``securityContext``/``podSecurityContext``, ``image.digest``,
    ``ingress.tls``, ``serviceAccount.automount``, ``rbac.rules``, ``host*``."""
    out: list[Flag] = []
    if depth > 20:
        return out
    for key, value in values.items():
        here = f"{prefix}{key}"
        if key == "privileged" and _truthy(value):
            out.append(Flag("privileged", here, "true"))
        elif key == "allowPrivilegeEscalation" and not _falsy(value):
            out.append(Flag("privilege-escalation", here, str(value)))
        elif key == "runAsNonRoot" and not _truthy(value):
            out.append(Flag("run-as-non-root", here, str(value)))
        elif key in ("hostNetwork", "hostPID", "hostIPC") and _truthy(value):
            out.append(Flag("host-namespace", here, "true"))
        elif key in ("automountServiceAccountToken", "automount") and _truthy(value):
            out.append(Flag("service-account-token", here, "true"))
        elif key == "image" and isinstance(value, Mapping) and "repository" in value:
            if not value.get("digest"):
                shown = f"{value.get('repository')}:{value.get('tag', '')}".rstrip(":")
                out.append(Flag("image-not-pinned", f"{here}.digest", shown))
        elif key == "ingress" and isinstance(value, Mapping) and _truthy(value.get("enabled")):
            tls = value.get("tls")
            if not (isinstance(tls, list) and tls):
                out.append(Flag("ingress-without-tls", f"{here}.tls", "absent"))
        elif key == "rules" and isinstance(value, list):
            for n, rule in enumerate(value):
                for field in ("verbs", "resources"):
                    listed = _get(rule, field)
                    if isinstance(listed, list) and "*" in listed:
                        out.append(Flag("rbac-wildcard", f"{here}[{n}].{field}", "*"))
        elif key in ("clusterRole", "roleRef") and value == "cluster-admin":
            out.append(Flag("cluster-admin", here, "cluster-admin"))
        if isinstance(value, Mapping):
            out += _helm_flags(value, f"{here}.", depth + 1)
    return out
