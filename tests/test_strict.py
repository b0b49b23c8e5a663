"""Strictness: `strict:` (also from a given release on) and `secdocs build --strict`."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from gitutil import Repo, new_repo

from secdocs.cli import main
from secdocs.config import from_mapping
from secdocs.errors import ConfigError
from secdocs.model import Assurance, EvidenceItem, Release, ReleaseReport, Status
from secdocs.pipeline import exit_status, failures, is_strict_for

YML = """\
site_name: Widget
plugins:
  - secdocs:
{options}
"""


def project(tmp_path: Path, options: str = "      tags: 'v*'") -> Repo:
    repo = new_repo(tmp_path / "widget")
    repo.write("mkdocs.yml", YML.format(options=options))
    repo.write("docs/index.md", "# Widget\n")
    repo.release("v1.0.0")
    # a tampered artifact: the checksum file says otherwise
    repo.evidence("v1.0.0", "widget-1.0.0.tar.gz", b"tampered")
    digest = hashlib.sha256(b"original").hexdigest()
    repo.evidence("v1.0.0", "SHA256SUMS", f"{digest}  widget-1.0.0.tar.gz\n")
    repo.release("v2.0.0")
    return repo


def build(repo: Repo, tmp_path: Path, *flags: str) -> int:
    site = tmp_path / "site"
    return main(["build", "-f", str(repo.root / "mkdocs.yml"), "-d", str(site), *flags])


def test_build_strict_fails_on_a_tampered_artifact(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    repo = project(tmp_path)
    assert build(repo, tmp_path) == 0  # MkDocs' own strictness is not about evidence
    caplog.clear()
    assert build(repo, tmp_path, "--strict") == 2
    assert "v1.0.0: failed checksum widget-1.0.0.tar.gz" in caplog.text


def test_strict_from_a_release_on(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    # v1.0.0 is tampered and v2.0.0 has no evidence: strict from v3.0.0 covers neither
    later = project(tmp_path / "a", "      strict: {from: v3.0.0}")
    assert build(later, tmp_path / "a") == 0
    caplog.clear()
    # strict from v2.0.0: its missing evidence fails the build, v1.0.0 is not listed
    from_v2 = project(tmp_path / "b", "      strict: {from: v2.0.0}")
    assert build(from_v2, tmp_path / "b") == 2
    err = next(r.getMessage() for r in caplog.records if "strict" in r.getMessage())
    assert "strict from v2.0.0" in err and "v2.0.0: missing" in err
    assert "  v1.0.0:" not in err  # the tampered older release is not listed
    # verify: the config's strict.from limits strictness; an explicit --strict covers all
    config_file = str(from_v2.root / "mkdocs.yml")
    assert main(["verify", "-f", config_file, "--tag", "v1.0.0"]) == 1  # failed always counts
    assert main(["verify", "-f", config_file, "--tag", "v2.0.0", "--strict"]) == 1


def test_strict_fails_on_a_security_txt_about_to_expire(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    security = (
        "      security:\n        project: widget\n        site_url: https://example.org/\n"
        "        contacts: [security@example.org]\n        expires_days: 10\n"
    )
    repo = project(tmp_path, "      strict: {from: v9.0.0}\n" + security)
    caplog.clear()
    assert build(repo, tmp_path) == 2
    assert "security.txt is not fresh" in caplog.text and "days left" in caplog.text


@pytest.mark.parametrize(
    ("value", "key"),
    [
        ("yes", "strict"),
        ({"from": "soon"}, "strict.from"),
        ({"since": "v1"}, "strict.since"),
        ({"from": 3}, "strict"),
    ],
)
def test_strict_option_errors(tmp_path: Path, value: object, key: str) -> None:
    with pytest.raises(ConfigError) as caught:
        from_mapping({"strict": value}, tmp_path)
    # the error names the option and, inside it, the key that is wrong
    assert caught.value.key == key.split(".")[0]
    assert key.split(".", 1)[-1] in str(caught.value)


def _report(tag: str, status: Status) -> ReleaseReport:
    from datetime import UTC, datetime

    from secdocs.model import Findings

    release = Release(tag, tag.lstrip("v"), "0" * 40, datetime(2026, 1, 1, tzinfo=UTC), True, False)
    reason = None if status is Status.VERIFIED else "why"
    assurance = Assurance.VALIDITY if status is Status.VERIFIED else None
    item = EvidenceItem("sbom", "x", status, reason, assurance=assurance)
    return ReleaseReport(release, None, (), (Findings("c", (item,)),))


def test_exit_status_scopes_strictness_by_version() -> None:
    old, new = _report("v1.0.0", Status.MISSING), _report("v1.10.0", Status.VERIFIED)
    assert exit_status([old, new], strict=True) == 1
    assert exit_status([old, new], strict=True, strict_from="v1.2.0") == 0  # 1.10 > 1.2
    assert exit_status([old, new], strict=False) == 0
    assert exit_status([_report("v1.0.0", Status.FAILED)], False, "v2.0.0") == 1
    assert is_strict_for(old.release, None) and not is_strict_for(old.release, "v1.0.1")
    assert failures(old, True) == ["v1.0.0: missing sbom x: why"]
    assert failures(old, False) == []
