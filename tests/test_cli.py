from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema_rs
import pytest
from test_site import make_project, tree

from secdocs.cli import main
from secdocs.render.json import schema


def verify(repo_root: Path, *args: str) -> int:
    return main(["verify", "-f", str(repo_root / "mkdocs.yml"), *args])


def test_verify_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = make_project(tmp_path)
    assert verify(repo.root) == 0
    out = capsys.readouterr().out
    assert "v0.1.0: missing" in out and "no evidence folder" in out
    # Missing evidence fails only under --strict.
    assert verify(repo.root, "--strict") == 1
    assert verify(repo.root, "--tag", "v1.0.0") == 0
    (repo.root / "evidence" / "v1.0.0" / "widget-v1.0.0.tar.gz").write_bytes(b"tampered")
    assert verify(repo.root) == 1
    assert verify(repo.root, "--tag", "v1.1.0") == 0
    assert "digest mismatch" in capsys.readouterr().out


def test_verify_json_has_the_evidence_json_shape(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = make_project(tmp_path)
    assert verify(repo.root, "--json") == 0
    document = json.loads(capsys.readouterr().out)
    jsonschema_rs.validator_for(schema()).validate(document)
    assert [r["tag"] for r in document["releases"]] == [
        "v2.0.0-rc.1",
        "v1.1.0",
        "v1.0.0",
        "v0.1.0",
    ]
    assert document["latest"] == "v1.1.0"
    assert verify(repo.root, "--json", "--tag", "v1.0.0") == 0
    captured = capsys.readouterr()
    single = json.loads(captured.out)
    assert [r["tag"] for r in single["releases"]] == ["v1.0.0"]
    assert single["releases"][0]["previous"] == "v0.1.0"
    # --tag checks one release; the site's latest release is still v1.1.0
    assert single["latest"] == "v1.1.0"
    # the summary goes to stderr so stdout stays one JSON document
    assert captured.err.strip().splitlines()[-1].startswith("secdocs verify: OK: 1 release;")


def test_verify_json_names_the_project(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = make_project(tmp_path)  # mkdocs.yml: site_name: Acme widget
    assert verify(repo.root, "--json") == 0
    assert json.loads(capsys.readouterr().out)["project"] == "Acme widget"
    # the plugin's own site_name option wins, as on the built site
    text = (repo.root / "mkdocs.yml").read_text()
    (repo.root / "mkdocs.yml").write_text(
        text.replace('tags: "v*"', 'tags: "v*"\n      site_name: W')
    )
    assert verify(repo.root, "--json") == 0
    assert json.loads(capsys.readouterr().out)["project"] == "W"


def test_verify_ends_with_a_summary_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = make_project(tmp_path)
    assert verify(repo.root) == 0
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert verify(repo.root, "--json") == 0
    document = json.loads(capsys.readouterr().out)
    counts = document["summary"]["status_counts"]
    order = ("verified", "present", "missing", "unverifiable", "failed")
    verified = document["summary"]["assurance_counts"]
    assert sum(verified.values()) == counts["verified"]
    expected = ", ".join(f"{counts[status]} {status}" for status in order).replace(
        " verified,",
        f" verified ({verified['authenticity']} authenticity, {verified['integrity']} "
        f"integrity, {verified['validity']} validity),",
    )
    assert last.startswith(f"secdocs verify: OK: {len(document['releases'])} releases; ")
    assert f"; {expected};" in last
    assert last.endswith("exit 0")
    (repo.root / "evidence" / "v1.0.0" / "widget-v1.0.0.tar.gz").write_bytes(b"tampered")
    assert verify(repo.root, "--strict") == 1
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert last.startswith("secdocs verify: FAILED (strict): ") and last.endswith("exit 1")
    assert re.search(r", [1-9][0-9]* failed;", last), last


def test_usage_and_config_errors_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = make_project(tmp_path)
    assert verify(repo.root, "--tag", "v9.9.9") == 2
    assert main(["verify", "-f", str(tmp_path / "absent.yml")]) == 2
    assert main(["frobnicate"]) == 2
    assert main([]) == 2
    (repo.root / "mkdocs.yml").write_text("plugins:\n  - secdocs:\n      strict: maybe\n")
    assert verify(repo.root) == 2
    assert "strict" in capsys.readouterr().err
    not_git = tmp_path / "plain"
    not_git.mkdir()
    (not_git / "mkdocs.yml").write_text("plugins:\n  - secdocs\n")
    assert verify(not_git) == 2


def test_version_flag(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.startswith("secdocs ")


@pytest.mark.slow
def test_demo_is_deterministic(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert main(["demo", str(tmp_path / "one")]) == 0
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert main(["demo", str(tmp_path / "two")]) == 0
    assert "site built in" in capsys.readouterr().out
    one, two = tree(tmp_path / "one" / "site"), tree(tmp_path / "two" / "site")
    assert one == two
    releases = json.loads(one["evidence.json"])["releases"]
    assert len(releases) >= 6
    assert any(r["prerelease"] for r in releases)
    assert {r["annotated"] for r in releases} == {True, False}
    assert "versions.json" in one
    for release in releases:
        assert f"releases/{release['tag']}/index.html" in one
    with pytest.raises(FileExistsError):
        main(["demo", str(tmp_path / "one")])


def test_validate_sbom_flag_turns_validation_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = make_project(tmp_path, extra="      sbom:\n        validate: false")
    repo.evidence(
        "v1.1.0",
        "widget.cdx.json",
        '{"bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1,'
        ' "components": [{"type": "no-such-type", "name": "x"}]}',
    )
    assert verify(repo.root, "--json", "--tag", "v1.1.0") == 0
    plain = json.loads(capsys.readouterr().out)["releases"][0]["items"]
    assert not any(i["kind"] == "sbom" and i["status"] == "failed" for i in plain)
    assert verify(repo.root, "--json", "--tag", "v1.1.0", "--validate-sbom") == 1
    checked = json.loads(capsys.readouterr().out)["releases"][0]["items"]
    assert any(i["kind"] == "sbom" and i["status"] == "failed" for i in checked)
