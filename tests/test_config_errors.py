"""Bad configuration is refused when it loads: every error at once, one line each naming the
dotted key and the fix, exit 2, no traceback — from ``secdocs build``, ``secdocs verify``, the
other commands and ``mkdocs build`` alike (issue 11, "configuration checked before any work")."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from secdocs.cli import main

#: (case, secdocs options, the dotted key each error names, a word of the fix in the message)
CASES: list[tuple[str, dict[str, Any], list[tuple[str, str]]]] = [
    (
        "changelog-unknown-key",
        {"changelog": {"pth": "x"}},
        [("changelog.pth", "did you mean path?")],
    ),
    ("changelog-list", {"changelog": ["CHANGELOG.md"]}, [("changelog", "{path: CHANGELOG.md}")]),
    (
        "changelog-absolute",
        {"changelog": {"path": "/etc/passwd"}},
        [("changelog.path", "relative")],
    ),
    ("threat-model-unknown-key", {"threat_model": {"paht": "x"}}, [("threat_model.paht", "path")]),
    (
        "threat-model-escape",
        {"threat_model": {"folder": "../outside"}},
        [("threat_model.folder", "'..'")],
    ),
    ("config-diff-no-paths", {"config_diff": {"paths": []}}, [("config_diff.paths", "list")]),
    (
        "config-diff-unknown-key",
        {"config_diff": {"paths": ["x.yaml"], "colour": 1}},
        [("config_diff.colour", "known: approved_tls")],
    ),
    (
        "config-diff-bad-tls",
        {"config_diff": {"paths": ["x.yaml"], "approved_tls": {"protocols": ["banana"]}}},
        [("config_diff.approved_tls.protocols", "TLS 1.2")],
    ),
    (
        "config-diff-flag",
        {"config_diff": {"paths": ["x.yaml"], "fail_on_deviation": "yes"}},
        [("config_diff.fail_on_deviation", "true or false")],
    ),
    ("missing-public-key", {"public_keys": ["keys/release.pub"]}, [("public_keys[0]", "exist")]),
    ("missing-trusted-root", {"trusted_root": "trust/root.json"}, [("trusted_root", "exist")]),
    ("missing-allowed-signers", {"tag_signers": "allowed_signers"}, [("tag_signers", "exist")]),
    (
        "trusted-root-typo",
        {"trusted_root": "prodution"},
        [("trusted_root", "did you mean production?")],
    ),
    ("signer-scalar", {"signer": "me"}, [("signer", "issuer")]),
    (
        "signer-both",
        {"signer": {"identity": "a", "identity_regex": "b", "issuer": "i"}},
        [("signer.identity_regex", "not both")],
    ),
    (
        "signer-bad-regex",
        {"signer": {"identity_regex": "("}},
        [("signer.identity_regex", "regular")],
    ),
    ("provenance-unknown", {"provenance": {"builder": "x"}}, [("provenance.builder", "builders")]),
    ("sbom-validate", {"sbom": {"validate": "yes"}}, [("sbom.validate", "true or false")]),
    ("sbom-licences", {"sbom": {"licenses": {"allow": "MIT"}}}, [("sbom.licenses.allow", "list")]),
    ("unknown-top-level", {"colour": 1}, [("colour", "known: ")]),
    ("evidence-escape", {"evidence": "../{tag}"}, [("evidence", "'..'")]),
    ("max-file-size", {"max_file_size": 0}, [("max_file_size", "positive")]),
    ("security-expires", {"security": {"expires_days": 400}}, [("security.expires_days", "365")]),
    (
        "security-contact",
        {"security": {"contacts": ["nobody"]}},
        [("security.contacts[0]", "email")],
    ),
    ("security-unknown", {"security": {"contact": "x"}}, [("security.contact", "contacts")]),
    ("security-file-missing", {"security": {"file": "security.yml"}}, [("security.file", "exist")]),
    ("unknown-collector", {"collectors": ["nope"]}, [("collectors.nope", "installed")]),
    (
        "junit-options",
        {"collectors": {"junit": {"requires": True}}},
        [("collectors.junit.requires", "require")],
    ),
    (
        "several-at-once",
        {
            "changelog": {"pth": "x"},
            "trusted_root": "prodution",
            "public_keys": ["keys/release.pub"],
            "sbom": {"validate": "yes"},
        },
        [
            ("trusted_root", "production"),
            ("public_keys[0]", "exist"),
            ("sbom.validate", "true or false"),
            ("changelog.pth", "path"),
        ],
    ),
]


def project(root: Path, options: dict[str, Any]) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "docs").mkdir(exist_ok=True)
    (root / "docs" / "index.md").write_text("# x\n")
    document = {"site_name": "x", "plugins": [{"secdocs": options}]}
    path = root / "mkdocs.yml"
    path.write_text(yaml.safe_dump(document))
    return path


def expect_lines(stderr: str, expected: list[tuple[str, str]], prefix: str) -> None:
    assert "Traceback" not in stderr
    lines = [line for line in stderr.splitlines() if line.startswith(prefix)]
    assert len(lines) == len(expected), stderr
    for key, fix in expected:
        matching = [line for line in lines if line.startswith(f"{prefix}{key}: ")]
        assert len(matching) == 1, (key, stderr)
        assert fix in matching[0], (fix, matching[0])


@pytest.mark.parametrize(("case", "options", "expected"), CASES, ids=[c[0] for c in CASES])
@pytest.mark.parametrize("command", ["build", "verify", "policy", "collect"])
def test_cli_refuses_bad_configuration(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    case: str,
    options: dict[str, Any],
    expected: list[tuple[str, str]],
    command: str,
) -> None:
    config = project(tmp_path, options)
    extra = {
        "build": ["-d", str(tmp_path / "site")],
        "verify": [],
        "policy": ["--check"],
        "collect": ["--tag", "v1.0.0", str(config)],
    }[command]
    code = main([command, "-f", str(config), *extra])
    assert code == 2
    expect_lines(capsys.readouterr().err, expected, "secdocs: error: config: ")
    assert not (tmp_path / "site").exists()


def test_mkdocs_build_refuses_bad_configuration_the_same_way(tmp_path: Path) -> None:
    case = next(c for c in CASES if c[0] == "several-at-once")
    config = project(tmp_path, case[1])
    env = {k: v for k, v in os.environ.items() if k != "PYTHONWARNINGS"}
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config)],
        capture_output=True,
        text=True,
        check=False,
        env=env,
        timeout=120,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    for key, fix in case[2]:
        line = next(
            line
            for line in result.stderr.splitlines()
            if f"Plugin 'secdocs' option '{key}': " in line
        )
        assert fix in line
    assert not (tmp_path / "site").exists()


def test_shorthand_and_block_form_mean_the_same(tmp_path: Path) -> None:
    from secdocs.config import from_mapping

    short = from_mapping({"changelog": "HISTORY.md", "threat_model": "tm/{version}.md"}, tmp_path)
    block = from_mapping(
        {"changelog": {"path": "HISTORY.md"}, "threat_model": {"path": "tm/{version}.md"}},
        tmp_path,
    )
    assert short.options.as_data() == block.options.as_data()
    assert short.fingerprint() == block.fingerprint()
    assert short.options.changelog.path == "HISTORY.md"


def test_existing_files_are_accepted(tmp_path: Path) -> None:
    from secdocs.config import from_mapping

    (tmp_path / "keys").mkdir()
    (tmp_path / "keys" / "release.pub").write_text("k")
    (tmp_path / "allowed_signers").write_text("s")
    (tmp_path / "root.json").write_text("{}")
    (tmp_path / "security.yml").write_text("contacts: [security@example.org]\n")
    config = from_mapping(
        {
            "public_keys": "keys/release.pub",
            "tag_signers": "allowed_signers",
            "trusted_root": "root.json",
            "security": {"file": "security.yml", "expires_days": 30},
        },
        tmp_path,
    )
    assert sorted(config.options.named_files()) == [
        "allowed_signers",
        "keys/release.pub",
        "root.json",
        "security.yml",
    ]
    assert config.options.security.contacts == ("mailto:security@example.org",)
    assert config.options.security.expires_days == 30
