from __future__ import annotations

import hashlib
from pathlib import Path

from gitutil import new_repo

from secdocs.collectors import ReleaseContext
from secdocs.config import from_mapping
from secdocs.discover import discover
from secdocs.evidence import scan
from secdocs.git import GitRepo
from secdocs.kinds.checksums.collect import ChecksumsCollector
from secdocs.kinds.checksums.parse import parse
from secdocs.model import Status


def _context(tmp_path: Path, files: dict[str, bytes]) -> tuple[ReleaseContext, GitRepo]:
    repo = new_repo(tmp_path / "repo")
    repo.release("v1.0.0")
    for name, data in files.items():
        repo.evidence("v1.0.0", name, data)
    gr = GitRepo(repo.root)
    release = discover(gr, "v*").releases[0]
    root = repo.root / "evidence" / "v1.0.0"
    listing = scan(root, 1 << 20)
    config = from_mapping({}, repo.root)
    ctx = ReleaseContext(release, None, config, gr, root, "evidence/v1.0.0", listing.files)
    return ctx, gr


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_parse_gnu_bsd_and_errors() -> None:
    text = (
        f"{sha(b'a')}  a.tar.gz\n"
        f"{sha(b'b')} *./b.whl\n"
        "# comment\n\n"
        f"SHA512 (c.zip) = {hashlib.sha512(b'c').hexdigest()}\n"
        f"MD5 (d.zip) = {hashlib.md5(b'd').hexdigest()}\n"  # noqa: S324 - weak digest under test
        "garbage line\n"
    )
    entries, problems = parse(text, "evidence/v1/SHA256SUMS")
    assert [(e.name, e.algorithm, e.line) for e in entries] == [
        ("a.tar.gz", "sha256", 1),
        ("b.whl", "sha256", 2),
        ("c.zip", "sha512", 5),
    ]
    assert [(p.line, p.path) for p in problems] == [
        (6, "evidence/v1/SHA256SUMS"),
        (7, "evidence/v1/SHA256SUMS"),
    ]
    assert "weak" in problems[0].message and problems[1].message == "not a checksum line"


def test_verified_failed_missing_and_traversal(tmp_path: Path) -> None:
    good, bad = b"good artifact", b"tampered artifact"
    sums = (
        f"{sha(good)}  good.tar.gz\n"
        f"{sha(b'original')}  bad.tar.gz\n"
        f"{sha(b'x')}  absent.tar.gz\n"
        f"{sha(b'y')}  ../../etc/passwd\n"
    ).encode()
    ctx, gr = _context(tmp_path, {"good.tar.gz": good, "bad.tar.gz": bad, "SHA256SUMS": sums})
    with gr:
        findings = ChecksumsCollector(ctx.config).collect(ctx)
    by_path = {(i.kind, i.path): i for i in findings.items}
    assert by_path[("checksum", "good.tar.gz")].status is Status.VERIFIED
    failed = by_path[("checksum", "bad.tar.gz")]
    assert failed.status is Status.FAILED and sha(bad) in (failed.reason or "")
    # a binary not kept in the evidence is known by its digest only: present, never verified
    absent = by_path[("checksum", "absent.tar.gz")]
    assert absent.status is Status.PRESENT and "digest only" in (absent.reason or "")
    assert absent.details["digest"] == sha(b"x")
    assert by_path[("checksum", "../../etc/passwd")].status is Status.FAILED
    summary = by_path[("checksums", "SHA256SUMS")]
    assert summary.status is Status.FAILED and "bad.tar.gz" in (summary.reason or "")
    assert findings.data["files"][0]["verified"] == ["good.tar.gz"]  # type: ignore[index]


def test_all_match_is_verified_and_sha512_is_read(tmp_path: Path) -> None:
    data = b"payload"
    sums = f"{sha(data)}  one.bin\n".encode()
    sums512 = f"{hashlib.sha512(data).hexdigest()}  one.bin\n".encode()
    ctx, gr = _context(tmp_path, {"one.bin": data, "SHA256SUMS": sums, "SHA512SUMS": sums512})
    with gr:
        findings = ChecksumsCollector(ctx.config).collect(ctx)
    statuses = {(i.kind, i.path, i.details.get("algorithm")): i.status for i in findings.items}
    assert statuses[("checksums", "SHA256SUMS", None)] is Status.VERIFIED
    assert statuses[("checksums", "SHA512SUMS", None)] is Status.VERIFIED
    assert statuses[("checksum", "one.bin", "sha512")] is Status.VERIFIED


def test_empty_binary_and_malformed_files_fail(tmp_path: Path) -> None:
    ctx, gr = _context(
        tmp_path,
        {"SHA256SUMS": b"", "x.sha256": b"\xff\xfe\x00", "y.sha256": b"nonsense\n"},
    )
    with gr:
        findings = ChecksumsCollector(ctx.config).collect(ctx)
    reasons = {i.path: (i.status, i.reason) for i in findings.items}
    assert reasons["SHA256SUMS"] == (Status.FAILED, "lists no files")
    assert reasons["x.sha256"] == (Status.FAILED, "not UTF-8 text")
    assert reasons["y.sha256"][0] is Status.FAILED
    assert findings.problems[0].line == 1


def test_verification_command_uses_the_tool_of_each_checksum_file() -> None:
    from secdocs.verify.commands import checksums

    assert checksums(["SHA256SUMS", "SHA512SUMS", "a.sha384"]) == [
        "sha256sum --check --ignore-missing SHA256SUMS",
        "sha512sum --check --ignore-missing SHA512SUMS",
        "sha384sum --check --ignore-missing a.sha384",
    ]


def test_front_matter_is_split_the_same_for_deltas_and_advisories() -> None:
    import pytest

    from secdocs.frontmatter import UnclosedFrontMatter, split_front_matter

    assert split_front_matter("---\r\na: 1\r\n---\r\nbody\r\n") == ("a: 1", "body\n", 3)
    assert split_front_matter("# no front matter") == (None, "# no front matter", 0)
    with pytest.raises(UnclosedFrontMatter):
        split_front_matter("---\na: 1\n")


def _ctx_with_digests(tmp_path: Path, files: dict[str, bytes]) -> tuple[ReleaseContext, GitRepo]:
    import dataclasses

    from secdocs.digests import known_digests

    ctx, gr = _context(tmp_path, files)
    return dataclasses.replace(ctx, digests=known_digests(ctx.files, ctx.read)), gr


def test_digest_list_secdocs_wrote_is_never_verified(tmp_path: Path) -> None:
    kept = b'{"bundle": 1}'
    listing = f"{sha(b'wheel')}  a.whl\n{sha(kept)}  a.whl.sigstore.json\n".encode()
    ctx, gr = _ctx_with_digests(
        tmp_path, {"a.whl.sigstore.json": kept, "secdocs-digests.sha256": listing}
    )
    with gr:
        findings = ChecksumsCollector(ctx.config).collect(ctx)
    by_path = {(i.kind, i.path): i for i in findings.items}
    summary = by_path[("checksums", "secdocs-digests.sha256")]
    assert summary.status is Status.PRESENT and "written by secdocs" in (summary.reason or "")
    assert summary.details["written_by"] == "secdocs"
    kept_item = by_path[("checksum", "a.whl.sigstore.json")]
    assert kept_item.status is Status.PRESENT and "not authenticity" in (kept_item.reason or "")
    assert by_path[("checksum", "a.whl")].status is Status.PRESENT
    assert ctx.digests["a.whl"] == sha(b"wheel")
    assert all(i.status is not Status.VERIFIED for i in findings.items)
    assert [f.secdocs_written for f in ctx.files] == [False, True]


def test_digest_list_detects_a_kept_file_changed_after_collection(tmp_path: Path) -> None:
    listing = f"{sha(b'original')}  notes.cdx.json\n".encode()
    ctx, gr = _ctx_with_digests(
        tmp_path, {"notes.cdx.json": b"changed", "secdocs-digests.sha256": listing}
    )
    with gr:
        findings = ChecksumsCollector(ctx.config).collect(ctx)
    by_path = {(i.kind, i.path): i for i in findings.items}
    assert by_path[("checksum", "notes.cdx.json")].status is Status.FAILED
    assert by_path[("checksums", "secdocs-digests.sha256")].status is Status.FAILED


def test_upstream_sums_win_and_a_disagreeing_list_fails(tmp_path: Path) -> None:
    upstream = f"{sha(b'real')}  a.whl\n".encode()
    other = f"{sha(b'other')}  a.whl\n".encode()
    ctx, gr = _ctx_with_digests(tmp_path, {"SHA256SUMS": upstream, "secdocs-digests.sha256": other})
    with gr:
        findings = ChecksumsCollector(ctx.config).collect(ctx)
    assert ctx.digests["a.whl"] == sha(b"real")
    statuses = {(i.path, i.details.get("checksums")): i.status for i in findings.items}
    assert statuses[("a.whl", "SHA256SUMS")] is Status.PRESENT
    assert statuses[("a.whl", "secdocs-digests.sha256")] is Status.FAILED
    upstream_item = next(i for i in findings.items if i.path == "SHA256SUMS")
    assert upstream_item.status is Status.PRESENT and "not kept" in (upstream_item.reason or "")
