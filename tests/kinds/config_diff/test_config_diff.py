"""Config diffs: structural and textual, redacted, with security keys and the TLS policy."""

from __future__ import annotations

import json
import logging
import pickle
from pathlib import Path

import pytest
from secrets_corpus import KEYED_SECRETS, SECRET_PARTS, VALUE_SECRETS

from secdocs.collectors import PageContext
from secdocs.config import from_mapping
from secdocs.errors import ConfigError
from secdocs.kinds.config_diff.collect import ConfigDiffCollector
from secdocs.model import Findings, Kind, Status
from secdocs.redact import REDACTED

from ..releaserepo import History, Step, build_repo

VALUES_V1 = """image: ghcr.io/acme/widget:1.0.0
replicas: 2
ingress:
  tls:
    minVersion: TLSv1.2
    cipherSuites:
      - TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256
database:
  password: first-Passw0rd-value
cors:
  origins: ["https://a.example"]
"""

VALUES_V2 = """image: ghcr.io/acme/widget:1.1.0
replicas: 2
ingress:
  tls:
    minVersion: TLSv1.0
    cipherSuites:
      - TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256
      - DES-CBC3-SHA
database:
  password: second-Passw0rd-value
logging: debug
"""


def run(root: Path, sections: dict[str, object]) -> tuple[History, dict[str, Findings]]:
    history = History(root, sections)
    return history, history.run(ConfigDiffCollector(history.config))


def render(history: History, tag: str, findings: Findings) -> str:
    collector = ConfigDiffCollector(history.config)
    page = PageContext(history.by_tag[tag], "", {}, f"releases/{tag}/index.md")
    return "\n".join(s.body for s in collector.render(findings, page))


def changes(findings: Findings, index: int = 0) -> list[tuple[object, ...]]:
    file = findings.data["files"][index]  # type: ignore[index]
    return [
        (c["path"], c["kind"], c["old"], c["new"], c["redacted"], c["security"])
        for c in file["changes"]
    ]


def test_yaml_structural_diff(tmp_path: Path) -> None:
    root = build_repo(
        tmp_path / "r",
        [
            Step({"deploy/values.yaml": VALUES_V1}, tag="v1.0.0"),
            Step({"deploy/values.yaml": VALUES_V2}, tag="v1.1.0"),
        ],
    )
    history, found = run(root, {"config_diff": {"paths": ["deploy/values.yaml"]}})
    v2 = found["v1.1.0"]
    assert changes(v2) == [
        ("cors.origins[0]", "removed", "https://a.example", None, False, True),
        ("database.password", "changed", REDACTED, REDACTED, True, False),
        (
            "image",
            "changed",
            "ghcr.io/acme/widget:1.0.0",
            "ghcr.io/acme/widget:1.1.0",
            False,
            False,
        ),
        ("ingress.tls.cipherSuites[1]", "added", None, "DES-CBC3-SHA", False, True),
        ("ingress.tls.minVersion", "changed", "TLSv1.2", "TLSv1.0", False, True),
        ("logging", "added", None, "debug", False, False),
    ]
    (item,) = v2.items
    assert (item.kind, item.path, item.status) == (
        Kind.CONFIG_DIFF,
        "deploy/values.yaml",
        Status.PRESENT,
    )
    assert item.reason == "TLS settings not on the approved list: DES-CBC3-SHA, TLS 1.0"
    assert item.details["tls_deviations"] == 2
    tls = v2.data["files"][0]["tls"]  # type: ignore[index]
    assert tls["deviations"] == [  # type: ignore[index]
        {
            "path": "ingress.tls.cipherSuites[1]",
            "kind": "cipher",
            "value": "DES-CBC3-SHA",
            "inherited": False,
        },
        {
            "path": "ingress.tls.minVersion",
            "kind": "protocol",
            "value": "TLS 1.0",
            "inherited": False,
        },
    ]
    assert [p.severity for p in v2.problems] == ["warning", "warning"]
    body = render(history, "v1.1.0", v2)
    assert "secdocs-deviation" in body and "secdocs-security-key" in body
    assert "first-Passw0rd-value" not in body and "second-Passw0rd-value" not in body
    assert "changed (secret)" in body

    v1 = found["v1.0.0"]
    assert v1.data["files"][0]["state"] == "first"  # type: ignore[index]
    assert v1.items[0].reason is None
    assert "TLS settings found, all approved" in render(history, "v1.0.0", v1)


def test_fail_on_deviation_and_custom_policy(tmp_path: Path) -> None:
    root = build_repo(
        tmp_path / "r",
        [
            Step({"deploy/values.yaml": VALUES_V1}, tag="v1.0.0"),
            Step({"deploy/values.yaml": VALUES_V2}, tag="v1.1.0"),
        ],
    )
    _, strict = run(
        root, {"config_diff": {"paths": ["deploy/values.yaml"], "fail_on_deviation": True}}
    )
    assert strict["v1.1.0"].items[0].status is Status.FAILED
    assert {p.severity for p in strict["v1.1.0"].problems} == {"error"}
    _, lenient = run(
        root,
        {
            "config_diff": {
                "paths": ["deploy/values.yaml"],
                "approved_tls": {
                    "protocols": ["TLSv1.0", "TLS 1.2"],
                    "ciphers": ["DES-CBC3-SHA", "ECDHE-RSA-AES128-GCM-SHA256"],
                },
            }
        },
    )
    assert lenient["v1.1.0"].items[0].reason is None
    assert lenient["v1.1.0"].problems == ()


def test_inherited_deviation(tmp_path: Path) -> None:
    root = build_repo(
        tmp_path / "r",
        [
            Step({"c.yaml": "tls:\n  minVersion: '1.1'\n"}, tag="v1.0.0"),
            Step({"c.yaml": "tls:\n  minVersion: '1.1'\nother: 1\n"}, tag="v1.1.0"),
        ],
    )
    _, found = run(root, {"config_diff": {"paths": ["c.yaml"]}})
    (deviation,) = found["v1.1.0"].data["files"][0]["tls"]["deviations"]  # type: ignore[index]
    assert deviation == {
        "path": "tls.minVersion",
        "kind": "protocol",
        "value": "TLS 1.1",
        "inherited": True,
    }
    assert "unchanged from the previous release" in found["v1.1.0"].problems[0].message


def test_json_and_toml_and_globs(tmp_path: Path) -> None:
    root = build_repo(
        tmp_path / "r",
        [
            Step(
                {
                    "config/app.toml": 'name = "w"\n[server]\nport = 80\n',
                    "config/extra.json": '{"a": {"b": [1, 2]}, "apiKey": "x1"}',
                    "config/ignored.txt": "x",
                },
                tag="v1.0.0",
            ),
            Step(
                {
                    "config/app.toml": 'name = "w"\n[server]\nport = 443\nstarted = 2026-01-01\n',
                    "config/extra.json": '{"a": {"b": [1, 3]}, "apiKey": "x2", "odd name": null}',
                    "config/new.toml": "[x]\ny = true\n",
                },
                tag="v1.1.0",
            ),
        ],
    )
    _, found = run(root, {"config_diff": {"paths": ["config/*.toml", "config/*.json"]}})
    v2 = found["v1.1.0"]
    assert [i.path for i in v2.items] == ["config/app.toml", "config/new.toml", "config/extra.json"]
    assert changes(v2, 0) == [
        ("server.port", "changed", "80", "443", False, False),
        ("server.started", "added", None, "2026-01-01", False, False),
    ]
    assert v2.data["files"][1]["state"] == "added"  # type: ignore[index]
    assert changes(v2, 2) == [
        ('["odd name"]', "added", None, "null", False, False),
        ("a.b[1]", "changed", "2", "3", False, False),
        ("apiKey", "changed", REDACTED, REDACTED, True, False),
    ]


def test_unified_diff_for_text_is_redacted(tmp_path: Path) -> None:
    old = (
        "server {\n  ssl_protocols TLSv1.2;\n  ssl_ciphers HIGH:!aNULL;\n  auth_token = abc123\n}\n"
    )
    new = (
        "server {\n  ssl_protocols TLSv1 TLSv1.2;\n  ssl_ciphers HIGH:!aNULL;\n"
        "  auth_token = abc456\n  proxy_pass http://u:S3cretPw9@up/;\n}\n"
    )
    root = build_repo(
        tmp_path / "r",
        [
            Step({"deploy/nginx.conf": old}, tag="v1.0.0"),
            Step({"deploy/nginx.conf": new}, tag="v1.1.0"),
            Step({"deploy/nginx.conf": new}, tag="v1.2.0"),
            Step({"deploy/nginx.conf": None}, tag="v1.3.0"),
        ],
    )
    history, found = run(root, {"config_diff": {"paths": ["deploy/*.conf"]}})
    data = found["v1.1.0"].data["files"][0]  # type: ignore[index]
    assert data["diff"] == [  # type: ignore[index]
        "--- a/deploy/nginx.conf (v1.0.0)",
        "+++ b/deploy/nginx.conf (v1.1.0)",
        "@@ -1,5 +1,6 @@",
        " server {",
        "-  ssl_protocols TLSv1.2;",
        "+  ssl_protocols TLSv1 TLSv1.2;",
        "   ssl_ciphers HIGH:!aNULL;",
        f"-  auth_token = {REDACTED}",
        f"+  auth_token = {REDACTED}",
        f"+  proxy_pass http://u:{REDACTED}@up/;",
        " }",
    ]
    values = sorted({d["value"] for d in data["tls"]["deviations"]})  # type: ignore[index]
    assert values == ["HIGH", "TLS 1.0"]
    assert found["v1.2.0"].data["files"][0]["state"] == "unchanged"  # type: ignore[index]
    assert "No differences." in render(history, "v1.2.0", found["v1.2.0"])
    assert found["v1.3.0"].data["files"][0]["state"] == "removed"  # type: ignore[index]
    body = render(history, "v1.1.0", found["v1.1.0"])
    assert "abc456" not in body and "S3cretPw9" not in body
    assert "language-diff" in body


def test_parse_error_falls_back_to_text(tmp_path: Path) -> None:
    root = build_repo(
        tmp_path / "r",
        [
            Step({"v.yaml": "a: 1\n"}, tag="v1.0.0"),
            Step({"v.yaml": "a: 1\nb: [unclosed\npassword: x9-not-shown\n"}, tag="v1.1.0"),
        ],
    )
    history, found = run(root, {"config_diff": {"paths": ["v.yaml"]}})
    v2 = found["v1.1.0"]
    (problem,) = v2.problems
    body = render(history, "v1.1.0", v2)
    # the file's problem stands in a warning admonition that counts it
    admonition = body.split('<div class="admonition warning secdocs-section-problems">', 1)
    assert len(admonition) == 2, body
    assert "1 problem with this file</p>" in admonition[1]
    assert "invalid YAML" in admonition[1].split("</div>", 1)[0]
    assert problem.path == "v.yaml" and problem.line == 3 and problem.severity == "warning"
    assert problem.message.startswith("invalid YAML: ")
    assert "compared as text instead" in problem.message
    diff = v2.data["files"][0]["diff"]  # type: ignore[index]
    assert f"+password: {REDACTED}" in diff  # type: ignore[operator]
    assert "x9-not-shown" not in json.dumps(v2.data)


def test_missing_and_unreadable(tmp_path: Path) -> None:
    root = build_repo(
        tmp_path / "r",
        [
            Step({"big.yaml": "a: " + "x" * 3000 + "\n"}, tag="v1.0.0"),
        ],
    )
    history, found = run(root, {"config_diff": {"paths": ["big.yaml", "nothing/*.yaml"]}})
    statuses = [(i.path, i.status) for i in found["v1.0.0"].items]
    assert statuses == [("big.yaml", Status.PRESENT), ("nothing/*.yaml", Status.MISSING)]
    history = History(root, {"config_diff": {"paths": ["big.yaml"]}}, max_file_size=100)
    found = history.run(ConfigDiffCollector(history.config))
    (item,) = found["v1.0.0"].items
    assert item.status is Status.FAILED
    assert "exceeds the limit of 100" in (item.reason or "")
    assert "could not be read" in render(history, "v1.0.0", found["v1.0.0"])


def test_not_configured_means_no_items(tmp_path: Path) -> None:
    root = build_repo(tmp_path / "r", [Step({"a": "1"}, tag="v1.0.0")])
    history, found = run(root, {})
    assert found["v1.0.0"] == Findings("config-diff")
    assert render(history, "v1.0.0", found["v1.0.0"]) == ""


def test_alias_bomb_is_refused(tmp_path: Path) -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
        for p, c in zip("abcdef", "bcdefg", strict=True)
    )
    root = build_repo(tmp_path / "r", [Step({"v.yaml": bomb}, tag="v1.0.0")])
    _, found = run(root, {"config_diff": {"paths": ["v.yaml"]}})
    assert "alias bomb" in found["v1.0.0"].problems[0].message


@pytest.mark.parametrize(
    ("value", "key"),
    [
        ({"paths": []}, "config_diff.paths"),
        ({"paths": "x.yaml", "fail_on_deviation": "yes"}, "config_diff.fail_on_deviation"),
        ({"paths": ["../x.yaml"]}, "config_diff.paths[0]"),
        ({"paths": ["x"], "secret_keys": [1]}, "config_diff.secret_keys[0]"),
        ({"paths": ["x"], "approved_tls": ["TLS 1.2"]}, "config_diff.approved_tls"),
        (
            {"paths": ["x"], "approved_tls": {"protocols": ["banana"]}},
            "config_diff.approved_tls.protocols",
        ),
        (
            {"paths": ["x"], "approved_tls": {"protocols": "TLS 1.2"}},
            "config_diff.approved_tls.protocols",
        ),
        ({"paths": ["x"], "approved_tls": {"suites": []}}, "config_diff.approved_tls.suites"),
        ({"paths": ["x"], "colour": 1}, "config_diff.colour"),
    ],
)
def test_bad_options(tmp_path: Path, value: object, key: str) -> None:
    with pytest.raises(ConfigError) as info:
        from_mapping({"config_diff": value}, tmp_path)
    assert info.value.key == key


def test_custom_secret_and_security_keys(tmp_path: Path) -> None:
    root = build_repo(
        tmp_path / "r",
        [
            Step({"v.yaml": "license_code: AAA\nretention: 1\n"}, tag="v1.0.0"),
            Step({"v.yaml": "license_code: BBB\nretention: 2\n"}, tag="v1.1.0"),
        ],
    )
    _, found = run(
        root,
        {
            "config_diff": {
                "paths": ["v.yaml"],
                "secret_keys": ["license"],
                "security_keys": ["retention"],
            }
        },
    )
    assert changes(found["v1.1.0"]) == [
        ("license_code", "changed", REDACTED, REDACTED, True, False),
        ("retention", "changed", "1", "2", False, True),
    ]


# --- the secret corpus --------------------------------------------------------------------


def mutate(secret: str) -> str:
    """Another secret of the same kind: same prefix, the rest reversed."""
    for password in ("Pg-S3cr3t-Value", "Ado-Pa55word-99"):
        if password in secret:
            return secret.replace(password, password[::-1])
    return secret[:8] + secret[8:][::-1]


def corpus_files(revision: int) -> dict[str, str]:
    """Each format once, holding every corpus secret (the value changes between revisions)."""
    by_value = {f"opt{n}": f"{v}" for n, v in enumerate(VALUE_SECRETS.values())}
    by_key = dict(KEYED_SECRETS)
    if revision:
        by_value = {k: v + "\n" if "BEGIN" in v else mutate(v) for k, v in by_value.items()}
        by_key = {k: v + "!" for k, v in by_key.items()}
    document = {
        "plain": {"name": "widget", "revision": revision},
        "by_value": by_value,
        "by_key": by_key,
        "list": list(by_value.values()),
    }
    toml_lines = ["[by_value]"] + [f"{k} = {json.dumps(v)}" for k, v in by_value.items()]
    toml_lines += ["[by_key]"] + [f"{k} = {json.dumps(v)}" for k, v in by_key.items()]
    text_lines = [f"OPT{n}={v}" for n, v in enumerate(by_value.values()) if "\n" not in v]
    text_lines += [f"{k}={v}" for k, v in by_key.items()]
    text_lines += [v for v in by_value.values() if "\n" in v]
    import yaml

    return {
        "cfg/values.yaml": yaml.safe_dump(document),
        "cfg/values.json": json.dumps(document, indent=1),
        "cfg/values.toml": "\n".join(toml_lines) + "\n",
        "cfg/app.env": "\n".join(text_lines) + "\n",
    }


def test_no_corpus_secret_reaches_pages_json_or_logs(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    root = build_repo(
        tmp_path / "r",
        [
            Step({"README.md": "x"}, tag="v0.1.0"),
            Step(corpus_files(0), tag="v1.0.0"),
            Step(corpus_files(1), tag="v1.1.0"),
            Step(dict.fromkeys(corpus_files(1)), tag="v1.2.0"),
        ],
    )
    history, found = run(root, {"config_diff": {"paths": ["cfg/*"]}})
    shown = []
    for tag, findings in found.items():
        shown.append(json.dumps(findings.data))
        shown.append(render(history, tag, findings))
        shown += [str(p) for p in findings.problems]
        shown += [f"{i.reason} {json.dumps(dict(i.details))}" for i in findings.items]
        # the per-release cache pickles findings to disk: nothing secret may be in them
        shown.append(pickle.dumps(findings).decode("latin-1"))
    shown.append(caplog.text)
    everything = "\n".join(shown)
    mutated = [mutate(v) for v in VALUE_SECRETS.values()] + [
        v + "!" for v in KEYED_SECRETS.values()
    ]
    leaked = [s for s in (*SECRET_PARTS, *mutated) if s in everything]
    leaked += [s[::-1] for s in SECRET_PARTS if len(s) > 8 and s[::-1] in everything]
    assert leaked == []
    # every changed secret still reads as changed, in all four formats
    v11 = found["v1.1.0"]
    kinds = {f["path"]: {c["kind"] for c in f["changes"]} for f in v11.data["files"]}  # type: ignore[union-attr, index]
    assert kinds["cfg/values.yaml"] == {"changed"}
    assert kinds["cfg/values.json"] == {"changed"}
    assert kinds["cfg/values.toml"] == {"changed"}
    env = next(f for f in v11.data["files"] if f["path"] == "cfg/app.env")  # type: ignore[union-attr]
    assert sum(line.startswith("+") and REDACTED in line for line in env["diff"]) >= len(
        KEYED_SECRETS
    )
    for file in v11.data["files"]:  # type: ignore[union-attr]
        for change in file["changes"]:
            if change["path"].startswith(("by_value", "by_key", "list")):
                assert change["redacted"] is True, change["path"]
                assert (change["old"], change["new"]) == (REDACTED, REDACTED)
    # the plain, non-secret values are still shown
    yaml_changes = {c["path"]: c for c in v11.data["files"][3]["changes"]}  # type: ignore[index]
    assert yaml_changes["plain.revision"]["new"] == "1"


def test_each_version_of_a_file_is_parsed_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import secdocs.kinds.config_diff.collect as module

    calls: list[str] = []
    real = module.parse

    def counting(text: str, fmt: str, display: str) -> object:
        calls.append(text)
        return real(text, fmt, display)

    monkeypatch.setattr(module, "parse", counting)
    root = build_repo(
        tmp_path / "r", [Step({"v.yaml": f"a: {n}\n"}, tag=f"v1.{n}.0") for n in range(4)]
    )
    _, found = run(root, {"config_diff": {"paths": ["v.yaml"]}})
    assert len(found) == 4
    assert sorted(calls) == [f"a: {n}\n" for n in range(4)]


@pytest.mark.parametrize(
    "text",
    [
        "- " * 100_000 + "x",
        "? " * 100_000 + "x",
        "{a: " * 100_000,
        "[" * 100_000,
        "a:\n" + "".join(" " * i + "b:\n" for i in range(1, 2500)),
    ],
)
def test_deep_yaml_is_an_error_not_a_crash(text: str) -> None:
    # libyaml's C composer would overflow the C stack on these (a segfault kills the build)
    from secdocs.kinds.config_diff.differ import ParseError, parse

    with pytest.raises(ParseError) as info:
        parse(text, "yaml", "deep.yaml")
    assert "RecursionError" in info.value.message or "invalid YAML" in info.value.message
