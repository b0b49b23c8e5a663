"""`secdocs init`: the workflow a security engineer signs off, and adoption by a real repository."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
import yaml
from gitutil import git, new_repo

from secdocs import __version__
from secdocs.cli import main
from secdocs.commands.init import (
    ACTIONS,
    DELTA_TEMPLATE,
    EVIDENCE_REF,
    REQUIREMENTS_PATH,
    SEPARATE_CONFIG,
    WORKFLOW_PATH,
    Project,
    files,
    scaffold,
)
from secdocs.config import from_mapping
from secdocs.kinds.threat_model.delta import parse_delta

ROOT = Path(__file__).resolve().parents[2]
HISTORY = ROOT.parent / "shared" / "repos" / "sigstore-python-history.bundle"
SHA_PIN = re.compile(r"^[\w.-]+/[\w.-]+@[0-9a-f]{40}$")
HASH = "sha256:" + "ab" * 32


def workflow() -> dict:  # type: ignore[type-arg]
    loaded = yaml.safe_load(files("widget")[WORKFLOW_PATH])
    assert isinstance(loaded, dict)
    return loaded


def test_jobs_are_split_by_privilege() -> None:
    flow = workflow()
    assert flow["permissions"] == {}
    jobs = flow["jobs"]
    assert list(jobs) == ["build", "sign", "publish-evidence", "pages"]
    assert jobs["build"]["permissions"] == {"contents": "read"}
    assert jobs["sign"]["permissions"] == {
        "contents": "read",
        "id-token": "write",
        "attestations": "write",
    }
    assert jobs["publish-evidence"]["permissions"] == {"contents": "write"}
    assert jobs["pages"]["permissions"] == {
        "contents": "read",
        "pages": "write",
        "id-token": "write",
    }
    assert jobs["sign"]["needs"] == "build"
    assert jobs["publish-evidence"]["needs"] == ["build", "sign"]
    # only publish-evidence keeps git credentials, and it pushes the evidence ref only
    for name, job in jobs.items():
        for step in job["steps"]:
            if "checkout" in step.get("uses", ""):
                persisted = step["with"]["persist-credentials"]
                assert persisted is (name == "publish-evidence"), (name, step)
            assert "git push" not in step.get("run", "") or name == "publish-evidence"
    pushes = [
        line.strip()
        for step in jobs["publish-evidence"]["steps"]
        for line in step.get("run", "").splitlines()
        if "git push" in line
    ]
    assert pushes == [f'git push origin "{EVIDENCE_REF}:{EVIDENCE_REF}"']


def test_build_output_reaches_signing_as_an_artifact_with_its_digests() -> None:
    jobs = workflow()["jobs"]
    build, sign = jobs["build"], jobs["sign"]
    assert build["outputs"] == {"hashes": "${{ steps.hash.outputs.hashes }}"}
    uploads = [s for s in build["steps"] if s.get("uses", "").startswith("actions/upload-art")]
    downloads = [s for s in sign["steps"] if s.get("uses", "").startswith("actions/download")]
    assert uploads[0]["with"]["name"] == downloads[0]["with"]["name"] == "dist"
    names = [s.get("name") for s in sign["steps"]]
    assert names.index("Check the build output") < names.index("Sign (keyless)")
    check = next(s for s in sign["steps"] if s.get("name") == "Check the build output")
    assert check["env"] == {"HASHES": "${{ needs.build.outputs.hashes }}"}
    # no id-token in the job that runs the project's build backend
    assert "id-token" not in build["permissions"]
    # the SBOM describes the package in an environment of its own, and is signed and attested
    sbom = next(s for s in build["steps"] if s.get("name") == "SBOM of the package")["run"]
    assert "environment --of JSON" in sbom and '"$RUNNER_TEMP/package/bin/python"' in sbom
    assert "venv --without-pip" in sbom
    signing = next(s for s in sign["steps"] if s.get("name") == "Sign (keyless)")["run"]
    assert "dist/*.cdx.json" in signing
    attest = next(s for s in sign["steps"] if s.get("name") == "Attest provenance")
    assert "dist/*.cdx.json" in attest["with"]["subject-path"]


def test_every_action_and_tool_is_pinned() -> None:
    flow = workflow()
    uses = [s["uses"] for job in flow["jobs"].values() for s in job["steps"] if "uses" in s]
    assert uses and all(SHA_PIN.match(u) for u in uses), uses
    assert {u.split("@")[0] for u in uses} == {a.split("@")[0] for a in ACTIONS.values()}
    installs = [
        line.strip()
        for job in flow["jobs"].values()
        for step in job["steps"]
        for line in step.get("run", "").splitlines()
        if re.search(r"\bpip\b.*\binstall\b", line)
    ]
    assert installs
    for line in installs:
        pinned = "--require-hashes --no-deps -r" in line and "$REQUIREMENTS" in line
        # the one other install: the built wheel into a throwaway environment, to describe
        # the package's own dependencies in its SBOM (read-only job, no token, no OIDC)
        package = '--python "$RUNNER_TEMP/package/bin/python" install dist/*.whl' in line
        assert pinned or package, line
    assert not any("pipx" in line or "uvx" in line for line in installs)
    # values reach scripts through env:, never through ${{ }} inside a script (no injection)
    for job in flow["jobs"].values():
        for step in job["steps"]:
            assert "${{" not in step.get("run", ""), step


def test_requirements_pin_secdocs_and_every_tool_with_hashes() -> None:
    text = files("widget", secdocs_hashes=[HASH])[REQUIREMENTS_PATH]
    requirements = re.findall(r"^([A-Za-z0-9_.-]+)==(\S+)((?:\s*\\\n\s+--hash=\S+)+)", text, re.M)
    names = {name.lower(): version for name, version, _ in requirements}
    assert names["secdocs"] == __version__
    for tool in ("sigstore", "build", "cyclonedx-bom", "mkdocs", "mkdocs-material"):
        assert tool in names, tool
    starts = [ln for ln in text.splitlines() if ln and not ln.startswith((" ", "#"))]
    assert len(starts) == len(requirements)  # every requirement line carries hashes
    assert f"--hash={HASH}" in text
    # without secdocs' hashes, pip --require-hashes refuses the file: never an unchecked install
    unhashed = files("widget")[REQUIREMENTS_PATH]
    assert f"\nsecdocs=={__version__}\n" in unhashed and "TODO(secdocs)" in unhashed


def test_schedule_dispatch_and_maintenance_tags() -> None:
    flow = workflow()
    triggers = flow[True]  # YAML 1.1 reads "on" as true
    assert triggers["push"] == {"tags": ["v*"]}
    assert re.fullmatch(r"\d+ \d+ 1 \* \*", triggers["schedule"][0]["cron"])  # monthly
    assert triggers["workflow_dispatch"]["inputs"]["tag"]["required"] is True
    assert flow["env"]["TAG"] == "${{ inputs.tag || github.ref_name }}"
    for name in ("build", "sign", "publish-evidence"):
        assert flow["jobs"][name].get("if", "") == "" or "schedule" in flow["jobs"][name]["if"]
    assert flow["jobs"]["build"]["if"] == "github.event_name != 'schedule'"
    assert "schedule" in flow["jobs"]["pages"]["if"]
    # configuration from the default branch; the tag only for the build
    for name in ("publish-evidence", "pages"):
        checkout = flow["jobs"][name]["steps"][0]
        assert checkout["with"]["ref"] == "${{ env.DEFAULT_BRANCH }}"
        assert checkout["with"]["fetch-depth"] == 0
    build_checkout = flow["jobs"]["build"]["steps"][0]
    assert build_checkout["with"]["ref"] == "refs/tags/${{ env.TAG }}"
    gate = next(
        s for s in flow["jobs"]["publish-evidence"]["steps"] if s.get("name") == "Gate the release"
    )
    assert 'secdocs verify -f "$CONFIG" --strict --tag "$TAG"' in gate["run"]


def test_delta_template_passes_secdocs_own_validation() -> None:
    delta = parse_delta(DELTA_TEMPLATE.replace("<version>", "1.2.0").encode(), "1.2.0.md")
    assert delta.valid and not delta.problems, delta.problems
    assert [r.id for r in delta.risks] == ["RISK-1"]


def test_new_repository_gets_mkdocs_yml_without_external_fonts(tmp_path: Path) -> None:
    repo = new_repo(tmp_path / "widget")
    result = scaffold(repo.root)
    assert result.config == "mkdocs.yml" and "mkdocs.yml" in result.written
    document = yaml.safe_load((repo.root / "mkdocs.yml").read_text())
    assert document["theme"]["font"] is False
    options = document["plugins"][1]["secdocs"]
    config = from_mapping(options, repo.root)
    assert config.evidence_ref == EVIDENCE_REF and config.strict
    assert "security/advisories/index.md" in result.written
    assert not any(p.endswith(".txt") for p in result.written)


def test_init_never_overwrites(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "mkdocs.yml").write_text("site_name: mine\n")
    (tmp_path / REQUIREMENTS_PATH).parent.mkdir(parents=True)
    (tmp_path / REQUIREMENTS_PATH).write_text("mine\n")
    result = scaffold(tmp_path, "w")
    assert REQUIREMENTS_PATH in result.skipped
    assert (tmp_path / "mkdocs.yml").read_text() == "site_name: mine\n"
    assert (tmp_path / REQUIREMENTS_PATH).read_text() == "mine\n"
    assert main(["init", str(tmp_path)]) == 0
    assert f"kept    {SEPARATE_CONFIG}" in capsys.readouterr().out
    assert main(["init", str(tmp_path / "missing")]) == 2
    assert main(["init", str(tmp_path), "--secdocs-hash", "md5:00"]) == 2


def _history(tmp_path: Path) -> Path:
    if not HISTORY.is_file():
        pytest.skip(f"release history not found at {HISTORY}")
    work = tmp_path / "sigstore-python"
    subprocess.run(["git", "clone", "-q", str(HISTORY), str(work)], check=True)
    return work


def test_real_repository_keeps_its_mkdocs_yml_and_gets_the_block(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    work = _history(tmp_path)
    before = (work / "mkdocs.yml").read_bytes()
    assert main(["init", str(work)]) == 0
    out = capsys.readouterr().out
    assert (work / "mkdocs.yml").read_bytes() == before
    assert f"created {SEPARATE_CONFIG}" in out
    # the exact block to add is printed, and it is valid secdocs configuration
    block = out[out.index("  - secdocs:") : out.index("next:")]
    options = yaml.safe_load(block)[0]["secdocs"]
    config = from_mapping(options, work)
    assert config.strict_from == "v4.5.1"  # after the newest release: history is not strict
    assert options["signer"]["identity_regex"].endswith("@refs/(tags/{tag}|heads/main)$")
    # nothing init wrote is dropped by the repository's ignore rules (it ignores *.txt)
    written = [line.split()[1] for line in out.splitlines() if line.startswith("created ")]
    assert REQUIREMENTS_PATH in written
    ignored = subprocess.run(
        ["git", "check-ignore", "--no-index", *written], cwd=work, capture_output=True, text=True
    )
    assert ignored.stdout == "", ignored.stdout
    assert git(work, "check-ignore", "notes.txt") == "notes.txt"  # the rules are real


EXPLICIT_NAV = """\
site_name: Widget
theme:
  name: material
  font: false
nav:
  - Home: index.md
validation:
  omitted_files: warn
  unrecognized_links: warn
  anchors: warn
  not_found: warn
plugins:
  - search
{block}"""


def test_a_site_with_an_explicit_nav_builds_under_strict(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = new_repo(tmp_path / "widget")
    repo.write("docs/index.md", "# Widget\n")
    repo.release("v1.0.0")
    block = files("widget", Project("widget", strict_from="v1.0.1"))["mkdocs.yml"].split(
        "  - search\n", 1
    )[1]
    block = block.replace("contacts: []", "contacts: [security@example.org]")
    block = block.replace("        site_url:\n", "        site_url: https://example.org/\n")
    block = re.sub(
        r"(?m)^(\s+)(repository_url|license_url):$", r"\1\2: https://example.org/x", block
    )
    block = block.replace("administrators: []", "administrators: [{name: A, email: a@example.org}]")
    block = block.replace("license_expression:", "license_expression: MIT")
    repo.write("mkdocs.yml", EXPLICIT_NAV.format(block=block))
    repo.write("security/advisories/index.md", "<!-- advisories -->\n")
    sbom = tmp_path / "1.0.0.cdx.json"
    sbom.write_text('{"bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1}')
    config_file = str(repo.root / "mkdocs.yml")
    assert main(["collect", "-f", config_file, "--tag", "v1.0.0", str(sbom)]) == 0
    capsys.readouterr()
    site = tmp_path / "site"
    assert main(["build", "-f", config_file, "--strict", "-d", str(site)]) == 0, (
        capsys.readouterr().err
    )
    assert (site / "releases" / "v1.0.0" / "index.html").is_file()
    assert (site / "security" / "policy" / "index.html").is_file()
    nav = json.dumps((site / "index.html").read_text())
    assert "Releases" in nav
