"""The configuration diff flags Kubernetes settings: new in a release, already there, resolved."""

from __future__ import annotations

from pathlib import Path

from secdocs.collectors import PageContext
from secdocs.kinds.config_diff.collect import ConfigDiffCollector

from ..releaserepo import History, Step, build_repo

ROLE = """\
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {{name: app, namespace: prod}}
rules:
  - apiGroups: [""]
    resources: {resources}
    verbs: {verbs}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {{name: app}}
spec:
  tls: [{{hosts: [a.example], secretName: a}}]
"""

NARROW = ROLE.format(resources="[configmaps]", verbs="[get]")
WIDE = ROLE.format(resources='["*"]', verbs='["*"]')


def test_rbac_widening_flagged_then_resolved(tmp_path: Path) -> None:
    root = build_repo(
        tmp_path / "r",
        [
            Step({"deploy/k8s.yaml": NARROW}, tag="v1.0.0"),
            Step({"deploy/k8s.yaml": WIDE}, tag="v1.1.0"),
            Step({"deploy/k8s.yaml": WIDE + "# comment\n"}, tag="v1.2.0"),
            Step({"deploy/k8s.yaml": NARROW}, tag="v1.3.0"),
        ],
    )
    history = History(root, {"config_diff": {"paths": ["deploy/*.yaml"]}})
    collector = ConfigDiffCollector(history.config)
    found = history.run(collector)

    def flags(tag: str, key: str = "flags") -> list[tuple[str, str, bool]]:
        (file,) = found[tag].data["files"]  # type: ignore[misc]
        return [(f["rule"], f["where"], f["inherited"]) for f in file["kubernetes"][key]]

    assert flags("v1.0.0") == []
    wide = [
        ("rbac-wildcard", "Role/prod/app: rules[0].verbs", False),
        ("rbac-wildcard", "Role/prod/app: rules[0].resources", False),
    ]
    assert sorted(flags("v1.1.0")) == sorted(wide)
    assert sorted(flags("v1.2.0")) == sorted((r, w, True) for r, w, _ in wide)
    assert flags("v1.3.0") == [] and len(flags("v1.3.0", "resolved")) == 2

    item = found["v1.1.0"].items[0]
    assert item.reason == "Kubernetes settings flagged: 2 new in this release, 0 already there"
    messages = [p.message for p in found["v1.1.0"].problems]
    assert any("new in this release" in m and "wildcard" in m for m in messages)
    assert any("unchanged from the previous" in p.message for p in found["v1.2.0"].problems)

    page = PageContext(history.by_tag["v1.3.0"], "", {}, "releases/v1.3.0/index.md")
    html = "\n".join(s.body for s in collector.render(found["v1.3.0"], page))
    assert "Resolved in this release" in html
    page = PageContext(history.by_tag["v1.1.0"], "", {}, "releases/v1.1.0/index.md")
    html = "\n".join(s.body for s in collector.render(found["v1.1.0"], page))
    assert "Kubernetes least-privilege settings flagged" in html
    assert "no — new in this release" in html
