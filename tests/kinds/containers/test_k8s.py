"""Kubernetes manifests and Helm values: every least-privilege rule flags what it should."""

from __future__ import annotations

import pytest

from secdocs.kinds.config_diff.differ import ParseError, parse
from secdocs.kinds.containers.k8s import RULES, flags, is_helm_values

HARDENED = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: prod}
spec:
  template:
    spec:
      automountServiceAccountToken: false
      securityContext: {runAsNonRoot: true}
      containers:
        - name: web
          image: ghcr.io/acme/web@sha256:%s
          securityContext: {allowPrivilegeEscalation: false}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: reader}
rules:
  - apiGroups: [""]
    resources: [configmaps]
    verbs: [get, list]
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web}
spec:
  tls: [{hosts: [example.com], secretName: web-tls}]
""" % ("a" * 64)

RISKY = """\
apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: Pod
    metadata: {name: debug}
    spec:
      hostNetwork: true
      hostPID: "true"
      containers:
        - name: shell
          image: busybox:latest
          securityContext: {privileged: true, runAsNonRoot: false, allowPrivilegeEscalation: true}
  - apiVersion: rbac.authorization.k8s.io/v1
    kind: ClusterRole
    metadata: {name: everything}
    rules:
      - apiGroups: ["*"]
        resources: ["*"]
        verbs: ["*"]
  - apiVersion: rbac.authorization.k8s.io/v1
    kind: ClusterRoleBinding
    metadata: {name: admin}
    roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
  - apiVersion: networking.k8s.io/v1
    kind: Ingress
    metadata: {name: open}
    spec: {rules: []}
  - apiVersion: batch/v1
    kind: CronJob
    metadata: {name: nightly}
    spec:
      jobTemplate:
        spec:
          template:
            spec:
              automountServiceAccountToken: false
              initContainers: [{name: init, image: "alpine@sha256:%s",
                                securityContext: {runAsNonRoot: true,
                                                  allowPrivilegeEscalation: false}}]
""" % ("b" * 64)


def test_hardened_manifest_has_no_flags() -> None:
    assert flags(parse(HARDENED, "yaml", "k8s.yaml"), "k8s.yaml") == []


def test_every_rule_fires_on_a_risky_manifest() -> None:
    found = flags(parse(RISKY, "yaml", "k8s.yaml"), "k8s.yaml")
    assert {f.rule for f in found} == set(RULES)
    where = {(f.rule, f.where) for f in found}
    assert ("privileged", "Pod/debug: spec.containers[0].securityContext.privileged") in where
    assert ("rbac-wildcard", "ClusterRole/everything: rules[0].verbs") in where
    assert ("rbac-wildcard", "ClusterRole/everything: rules[0].resources") in where
    assert ("cluster-admin", "ClusterRoleBinding/admin: roleRef.name") in where
    assert ("host-namespace", "Pod/debug: spec.hostPID") in where
    assert ("ingress-without-tls", "Ingress/open: spec.tls") in where
    # the hardened CronJob adds nothing
    assert not [f for f in found if f.where.startswith("CronJob/")]


def test_helm_values() -> None:
    values = """\
image: {repository: ghcr.io/acme/web, tag: "1.0"}
podSecurityContext: {runAsNonRoot: false}
securityContext: {privileged: true, allowPrivilegeEscalation: true}
serviceAccount: {create: true, automount: true}
ingress: {enabled: true, tls: []}
hostNetwork: true
rbac:
  rules: [{apiGroups: [""], resources: ["*"], verbs: [get]}]
  clusterRole: cluster-admin
"""
    found = flags(parse(values, "yaml", "chart/values.yaml"), "chart/values.yaml")
    assert {f.rule for f in found} == set(RULES)
    pinned = "image: {repository: ghcr.io/acme/web, digest: 'sha256:%s'}\n" % ("c" * 64)
    assert flags(parse(pinned, "yaml", "values-prod.yaml"), "values-prod.yaml") == []
    assert is_helm_values("deploy/values-prod.yml") and not is_helm_values("app.yaml")
    # the same keys in a file that is neither a manifest nor Helm values are not judged
    assert flags(parse(values, "yaml", "settings.yaml"), "settings.yaml") == []


def test_alias_bomb_is_refused_by_the_shared_loader() -> None:
    bomb = "a: &a [x,x,x,x,x,x,x,x,x,x]\n" + "".join(
        f"{c}: &{c} [*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p}]\n"
        for p, c in zip("abcdefg", "bcdefgh", strict=True)
    )
    with pytest.raises(ParseError, match="alias bomb"):
        parse(bomb, "yaml", "values.yaml")


def test_hostile_values_are_data() -> None:
    doc = parse(
        'apiVersion: v1\nkind: Pod\nmetadata: {name: "<script>x</script>"}\n'
        "spec: {containers: [{image: '<img src=x onerror=alert(1)>'}]}\n",
        "yaml",
        "pod.yaml",
    )
    found = flags(doc, "pod.yaml")
    assert any(f.value == "<img src=x onerror=alert(1)>" for f in found)
    assert all(f.where.startswith("Pod/<script>x</script>") for f in found)
