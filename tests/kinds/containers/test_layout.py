"""OCI image layouts: the corpus layouts read offline, broken ones fail with a reason."""

from __future__ import annotations

import json
import tarfile
from pathlib import Path

import pytest

from secdocs.kinds.containers.layout import LayoutError, folder_source, read_layout, tar_source
from secdocs.model import Status

from .helpers import blob, make_layout, tar_of

CONFIG = {
    "created": "2026-01-02T00:00:00Z",
    "architecture": "amd64",
    "os": "linux",
    "config": {"User": "65532"},
    "history": [{"created": "2025-06-01T00:00:00Z"}, {"created": "2026-01-02T00:00:00Z"}],
}


def source_of(files: dict[str, bytes]):  # type: ignore[no-untyped-def]
    import hashlib

    meta = {f"x.oci/{n}": (len(d), hashlib.sha256(d).hexdigest()) for n, d in files.items()}
    return folder_source("x.oci/", meta, lambda name: files[name[len("x.oci/") :]])


def read_corpus(corpus: Path, name: str):  # type: ignore[no-untyped-def]
    root = corpus / "oci-layout" / name
    files = {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}
    return read_layout(source_of(files), name, "oci-layout", 1 << 20), files


@pytest.mark.corpus
@pytest.mark.parametrize("name", ["test.oci", "test_image_tag.oci"])
def test_corpus_layouts_read(corpus_dir: Path, name: str) -> None:
    image, files = read_corpus(corpus_dir, name)
    assert image.status is Status.VERIFIED, image.reason
    # expected values read from the files themselves, not from the reader
    index = json.loads(files["index.json"])
    descriptor = index["manifests"][0]
    manifest = json.loads(files["blobs/sha256/" + descriptor["digest"].split(":")[1]])
    config = json.loads(files["blobs/sha256/" + manifest["config"]["digest"].split(":")[1]])
    assert image.digest == descriptor["digest"]
    assert image.config_digest == manifest["config"]["digest"]
    assert image.layers == len(manifest["layers"])
    assert image.platform == f"{config['os']}/{config['architecture']}"
    assert image.config is not None and image.config.user is None  # no User: runs as root
    ref = descriptor.get("annotations", {}).get("org.opencontainers.image.ref.name")
    assert image.names == ((ref,) if ref else ())


@pytest.mark.corpus
def test_corpus_broken_index_fails_with_reason(corpus_dir: Path) -> None:
    image, _ = read_corpus(corpus_dir, "test_bad_index_json.oci")
    assert image.status is Status.FAILED
    assert image.reason is not None and "index.json is not valid JSON" in image.reason
    assert image.digest is None


def test_tar_layout_reads_like_the_folder() -> None:
    files, digest = make_layout(CONFIG, ref_name="1.0")
    image = read_layout(tar_source(tar_of(files)), "app.oci.tar", "oci-tar", 1 << 20)
    assert image.status is Status.VERIFIED, image.reason
    assert image.digest == digest and image.names == ("1.0",)
    assert image.config is not None and image.config.user == "65532"


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda f: f.pop("oci-layout"), "no oci-layout"),
        (lambda f: f.update({"oci-layout": b'{"imageLayoutVersion": "2.0"}'}), "not 1.x"),
        (lambda f: f.pop("index.json"), "no index.json"),
        (lambda f: f.update({"index.json": b"[]"}), "not a JSON object"),
        (lambda f: f.update({"index.json": b'{"schemaVersion": 2, "manifests": []}'}), "no image"),
        (
            lambda f: f.update(
                {"index.json": b'{"schemaVersion":2,"manifests":[{"digest":"sha256:../../x"}]}'}
            ),
            "is not sha256:<64 hex>",
        ),
        (
            lambda f: f.update(
                {
                    "index.json": json.dumps(
                        {
                            "schemaVersion": 2,
                            "manifests": [{"digest": "sha256:" + "a" * 64, "size": 3}],
                        }
                    ).encode()
                }
            ),
            "is not in the layout",
        ),
    ],
)
def test_broken_layouts_fail_with_reason(change, reason: str) -> None:  # type: ignore[no-untyped-def]
    files, _ = make_layout(CONFIG)
    change(files)
    image = read_layout(source_of(files), "x.oci", "oci-layout", 1 << 20)
    assert image.status is Status.FAILED
    assert image.reason is not None and reason in image.reason, image.reason


def test_tampered_blob_fails_rehash() -> None:
    files, _digest = make_layout(CONFIG)
    config_path = next(n for n in files if n.startswith("blobs/") and b"amd64" in files[n])
    tampered = files[config_path].replace(b"65532", b"00000")
    files[config_path] = tampered
    image = read_layout(source_of(files), "x.oci", "oci-layout", 1 << 20)
    assert image.status is Status.FAILED
    assert image.reason is not None and "does not match its digest" in image.reason


def test_size_mismatch_and_limits() -> None:
    files, _ = make_layout(CONFIG, layer=b"L" * 100)
    layer_path = blob(b"L" * 100)[1]
    files[layer_path] = b"L" * 99
    image = read_layout(source_of(files), "x.oci", "oci-layout", 1 << 20)
    assert image.status is Status.FAILED and "descriptor says 100" in (image.reason or "")
    files, _ = make_layout(CONFIG, layer=b"L" * 100)
    tar_image = read_layout(tar_source(tar_of(files)), "t.oci.tar", "oci-tar", 50)
    assert tar_image.status is Status.FAILED and "exceeds the limit" in (tar_image.reason or "")


def test_absent_layers_are_counted_not_fatal() -> None:
    files, _ = make_layout(CONFIG)
    layer_path = blob(b"layer")[1]
    del files[layer_path]
    image = read_layout(source_of(files), "x.oci", "oci-layout", 1 << 20)
    assert image.status is Status.VERIFIED and image.layers_absent == 1


@pytest.mark.parametrize(
    ("member", "reason"),
    [
        (tarfile.TarInfo("../escape"), "unsafe path"),
        (tarfile.TarInfo("/etc/passwd"), "unsafe path"),
        (tarfile.TarInfo("blobs/sha256/link"), "is a link"),
    ],
)
def test_hostile_tar_members_refused(member: tarfile.TarInfo, reason: str) -> None:
    files, _ = make_layout(CONFIG)
    if reason == "is a link":
        member.type = tarfile.SYMTYPE
        member.linkname = "/etc/passwd"
    else:
        member.size = 1
    with pytest.raises(LayoutError, match=reason):
        tar_source(tar_of(files, [member]))


def test_not_a_tar() -> None:
    with pytest.raises(LayoutError, match="tar"):
        tar_source(b"not a tar at all" * 100)
