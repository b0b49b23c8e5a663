"""Limits on hostile input: file size, JSON depth, XML entity expansion, archives, and 50 MB of
garbage under every evidence name — none may crash or hang a build."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import random
import signal
import tarfile
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from gitutil import Repo, new_repo

from secdocs.cli import main
from secdocs.config import from_mapping
from secdocs.errors import EvidenceError, LimitExceededError
from secdocs.evidence import scan
from secdocs.safety import MAX_JSON_DEPTH, check_json_depth, load_json, read_limited
from secdocs.sbom import readers

MKDOCS = """\
site_name: Limits
theme:
  name: material
  font: false
plugins:
  - secdocs:
      tags: "v*"
{extra}
"""

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<bom xmlns="http://cyclonedx.org/schema/bom/1.5" version="1"><components>
<component type="library"><name>&lol9;</name><version>1</version></component>
</components></bom>
"""


def xxe(target: Path) -> bytes:
    return (
        f'<?xml version="1.0"?>\n<!DOCTYPE bom [<!ENTITY xxe SYSTEM "file://{target}">]>\n'
        '<bom xmlns="http://cyclonedx.org/schema/bom/1.5" version="1"><components>'
        '<component type="library"><name>&xxe;</name><version>1</version></component>'
        "</components></bom>\n"
    ).encode()


EXTERNAL_DTD = (
    b'<?xml version="1.0"?>\n<!DOCTYPE testsuite SYSTEM "http://127.0.0.1:9/evil.dtd">\n'
    b'<testsuite name="x" tests="1" failures="0" errors="0" skipped="0"/>\n'
)


@pytest.fixture
def alarm() -> Iterator[None]:
    """A generous wall-clock bound: a hang fails the test instead of blocking the suite."""

    def expired(signum: int, frame: object) -> None:
        raise TimeoutError("secdocs did not finish within 240 s on hostile input")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(240)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def project(tmp_path: Path, extra: str = "") -> Repo:
    repo = new_repo(tmp_path / "project")
    repo.write("mkdocs.yml", MKDOCS.format(extra=extra))
    repo.write("docs/index.md", "# Limits\n")
    return repo


def build(repo: Repo, site: Path) -> dict[str, object]:
    assert main(["build", "-f", str(repo.root / "mkdocs.yml"), "-d", str(site)]) == 0
    return json.loads((site / "evidence.json").read_text())


def items(index: dict[str, object], tag: str) -> dict[str, dict[str, object]]:
    releases = index["releases"]
    assert isinstance(releases, list)
    release = next(r for r in releases if r["tag"] == tag)
    return {f"{i['kind']}:{i['path']}": i for i in release["items"]}


# --- size ------------------------------------------------------------------------------------


def test_read_limited_refuses_files_over_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.json"
    path.write_bytes(b"x" * 101)
    with pytest.raises(LimitExceededError, match="101 bytes exceeds the limit of 100"):
        read_limited(path, 100, "evidence/v1/big.json")
    assert read_limited(path, 101) == b"x" * 101


def test_scan_refuses_files_over_max_file_size(tmp_path: Path) -> None:
    (tmp_path / "big.cdx.json").write_bytes(b"{}" * 600)
    (tmp_path / "small.cdx.json").write_bytes(b"{}")
    listing = scan(tmp_path, 1000)
    assert [f.name for f in listing.files] == ["small.cdx.json"]
    [rejected] = listing.rejected
    assert rejected.name == "big.cdx.json"
    assert "1200 bytes exceeds max_file_size (1000 bytes)" in rejected.reason


def test_max_file_size_is_configurable_and_validated(tmp_path: Path) -> None:
    assert from_mapping({"max_file_size": 1234}, tmp_path).max_file_size == 1234
    for bad in (0, -1, "1MB", True, 1.5):
        with pytest.raises(Exception, match="max_file_size"):
            from_mapping({"max_file_size": bad}, tmp_path)


def test_a_file_over_the_limit_fails_visibly_in_the_build(tmp_path: Path) -> None:
    repo = project(tmp_path, "      max_file_size: 4096")
    repo.release("v1.0.0")
    repo.evidence("v1.0.0", "huge.cdx.json", b" " * 5000)
    repo.evidence("v1.0.0", "ok.tar.gz", b"ok")
    index = build(repo, tmp_path / "site")
    found = items(index, "v1.0.0")
    refused = found["sbom:huge.cdx.json"]
    assert refused["status"] == "failed"
    assert "exceeds max_file_size" in str(refused["reason"])
    assert not (tmp_path / "site" / "releases" / "v1.0.0" / "files" / "huge.cdx.json").exists()


# --- JSON depth ------------------------------------------------------------------------------


@pytest.mark.parametrize("opener,closer", [(b"[", b"]"), (b'{"a":', b"}")])
def test_deep_json_is_refused_before_parsing(opener: bytes, closer: bytes) -> None:
    deep = opener * 100_000 + b"1" + closer * 100_000
    with pytest.raises(LimitExceededError, match=f"deeper than {MAX_JSON_DEPTH}"):
        load_json(deep, "deep.json")
    ok = opener * MAX_JSON_DEPTH + b"1" + closer * MAX_JSON_DEPTH
    assert load_json(ok, "ok.json") is not None


def test_brackets_inside_strings_do_not_count() -> None:
    check_json_depth(b'{"a": "' + b"[" * 1000 + b'"}', 2, "strings.json")
    check_json_depth('["\\"[[[[[["]', 1, "escaped.json")
    with pytest.raises(LimitExceededError):
        check_json_depth(b"[[[", 2, "three.json")


def test_deep_sboms_are_evidence_errors_not_crashes() -> None:
    deep = b'{"bomFormat":"CycloneDX","specVersion":"1.6","components":' + b"[" * 5000
    with pytest.raises(EvidenceError):
        readers.read_sboms(deep, "deep.cdx.json")
    nested: dict[str, object] = {"type": "library", "name": "leaf"}
    for _ in range(40):
        nested = {"type": "library", "name": "n", "components": [nested]}
    doc = {"bomFormat": "CycloneDX", "specVersion": "1.6", "components": [nested]}
    with pytest.raises(LimitExceededError):
        readers.read_sboms(json.dumps(doc).encode(), "nested.cdx.json")


# --- XML -------------------------------------------------------------------------------------


def test_billion_laughs_is_refused_by_the_sbom_reader(alarm: None) -> None:
    with pytest.raises(EvidenceError) as caught:
        readers.read_cyclonedx_xml(BILLION_LAUGHS, "laughs.cdx.xml")
    assert caught.value.path == "laughs.cdx.xml"


def test_external_entities_are_never_resolved(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("XXE-SECRET-CONTENT")
    with pytest.raises(EvidenceError):
        readers.read_cyclonedx_xml(xxe(secret), "xxe.cdx.xml")


def test_xml_bombs_in_a_build_are_failed_items_and_nothing_leaks(
    tmp_path: Path, alarm: None
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("XXE-SECRET-CONTENT")
    repo = project(tmp_path, "      collectors: [junit]")
    repo.release("v1.0.0")
    repo.evidence("v1.0.0", "laughs.cdx.xml", BILLION_LAUGHS)
    repo.evidence("v1.0.0", "xxe.cdx.xml", xxe(secret))
    repo.evidence("v1.0.0", "laughs.junit.xml", BILLION_LAUGHS.replace(b"bom", b"testsuite"))
    repo.evidence("v1.0.0", "xxe.junit.xml", xxe(secret).replace(b"bom", b"testsuite"))
    repo.evidence("v1.0.0", "dtd.junit.xml", EXTERNAL_DTD)
    site = tmp_path / "site"
    index = build(repo, site)
    found = items(index, "v1.0.0")
    for key in (
        "test-report:laughs.junit.xml",
        "test-report:xxe.junit.xml",
        "sbom:laughs.cdx.xml",
        "sbom:xxe.cdx.xml",
    ):
        assert found[key]["status"] == "failed", found[key]
    for path in site.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert b"XXE-SECRET-CONTENT" not in data, path
            assert b"lollollol" not in data, path


# --- archives --------------------------------------------------------------------------------


def _zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("inner/../../../escape.txt", b"\0" * (20 << 20))
        archive.writestr("bomb.bin", b"\0" * (20 << 20))
    return buffer.getvalue()


def _tar_with_traversal() -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        for name in ("../../escape-tar.txt", "/tmp/absolute-tar.txt", "ok.txt"):
            info = tarfile.TarInfo(name)
            info.size = 2
            tar.addfile(info, io.BytesIO(b"hi"))
        link = tarfile.TarInfo("link")
        link.type = tarfile.SYMTYPE
        link.linkname = "/etc/passwd"
        tar.addfile(link)
    return gzip.compress(buffer.getvalue(), mtime=0)


def test_archives_are_published_as_is_never_expanded(tmp_path: Path, alarm: None) -> None:
    repo = project(tmp_path)
    repo.release("v1.0.0")
    bomb, tar = _zip_bomb(), _tar_with_traversal()
    repo.evidence("v1.0.0", "bomb.whl", bomb)
    repo.evidence("v1.0.0", "traversal.tar.gz", tar)
    repo.evidence(
        "v1.0.0",
        "SHA256SUMS",
        f"{hashlib.sha256(bomb).hexdigest()}  bomb.whl\n"
        f"{hashlib.sha256(tar).hexdigest()}  traversal.tar.gz\n",
    )
    site = tmp_path / "site"
    index = build(repo, site)
    found = items(index, "v1.0.0")
    assert found["checksum:bomb.whl"]["status"] == "verified"
    files = site / "releases" / "v1.0.0" / "files"
    assert (files / "bomb.whl").read_bytes() == bomb
    assert (files / "traversal.tar.gz").read_bytes() == tar
    names = {p.name for p in tmp_path.rglob("*")}
    assert not names & {"escape.txt", "bomb.bin", "escape-tar.txt", "ok.txt", "link"}
    assert not Path("/tmp/absolute-tar.txt").exists()
    total = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    assert total < 10 << 20  # the 40 MB inside the zip were never written out


# --- 50 MB of garbage ------------------------------------------------------------------------

GARBAGE_NAMES = (
    "bom.json",
    "garbage.cdx.json",
    "garbage.cdx.xml",
    "garbage.spdx.json",
    "garbage.sigstore.json",
    "garbage.intoto.jsonl",
    "garbage.tar.gz.sig",
    "SHA256SUMS",
    "garbage.openvex.json",
    "garbage.junit.xml",
)


def garbage(size: int) -> bytes:
    """Deterministic noise with JSON/XML/line syntax sprinkled in, so parsers get some way."""
    rng = random.Random(50)  # noqa: S311 - test data, not cryptography
    chunk = rng.randbytes(1 << 16) + b'{"[<a>\n' * 64 + b"0" * 64 + b"  x\n"
    return (chunk * (size // len(chunk) + 1))[:size]


@pytest.mark.slow
def test_fifty_megabytes_of_garbage_under_every_name_does_not_break_the_build(
    tmp_path: Path, alarm: None
) -> None:
    blob = garbage(50 << 20)
    repo = project(
        tmp_path,
        "      collectors: [junit]\n      changelog: {path: CHANGELOG.md}\n"
        "      threat_model: {path: delta.md}\n      config_diff: {paths: [deploy.yaml]}",
    )
    repo.write("CHANGELOG.md", blob)
    repo.write("delta.md", blob)
    repo.write("deploy.yaml", blob[: 8 << 20])
    repo.release("v1.0.0")
    repo.write("deploy.yaml", blob[1 : 8 << 20])
    repo.release("v1.1.0")
    folder = repo.root / "evidence" / "v1.1.0"
    folder.mkdir(parents=True)
    for name in GARBAGE_NAMES:
        (folder / name).write_bytes(blob)
    site = tmp_path / "site"
    index = build(repo, site)
    found = items(index, "v1.1.0")
    statuses = {key: item["status"] for key, item in found.items()}
    # every garbage file was looked at and none is called verified
    for name in GARBAGE_NAMES:
        assert any(key.endswith(f":{name}") for key in statuses), (name, sorted(statuses))
    assert "verified" not in {s for k, s in statuses.items() if k.split(":", 1)[1] in GARBAGE_NAMES}
    assert (site / "releases" / "v1.1.0" / "index.html").is_file()
