"""Fuzz targets: every parser secdocs runs on untrusted bytes, one function per target.

A target receives raw bytes and may raise only secdocs' own typed errors
(:class:`secdocs.errors.SecdocsError`) or the typed parse errors a module documents (listed in
``EXPECTED``); anything else — or a broken output invariant (``AssertionError``) — is a finding.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable
from datetime import UTC, datetime

from secdocs.errors import SecdocsError

Target = Callable[[bytes], None]
TARGETS: dict[str, Target] = {}
EXPECTED: tuple[type[BaseException], ...] = (SecdocsError,)
#: further typed errors a target's functions document as their error contract (callers catch
#: exactly these). ``keys.decode_b64`` and ``engine.statement_of`` raise ``ValueError`` with a
#: message on bad input; making them ``EvidenceError`` subclasses would let this list shrink.
EXTRA: dict[str, tuple[type[BaseException], ...]] = {
    "keys": (ValueError,),
    "provenance": (ValueError,),
}


def expected(name: str) -> tuple[type[BaseException], ...]:
    return EXPECTED + EXTRA.get(name, ())


_SCRIPT = re.compile(r"<\s*(script|iframe|object|embed|svg|img|style|meta|base)\b", re.I)
_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.I)
_JS_HREF = re.compile(r"""(href|src)\s*=\s*["']?\s*(javascript|vbscript|data):""", re.I)


def target(name: str) -> Callable[[Target], Target]:
    def register(fn: Target) -> Target:
        TARGETS[name] = fn
        return fn

    return register


def text(data: bytes) -> str:
    return data.decode("utf-8", "replace")


def assert_inert(html: str, source: str) -> None:
    """Output invariants of the HTML renderers."""
    assert not _SCRIPT.search(html), f"markup element from {source!r}: {html[:200]!r}"
    assert not _HANDLER.search(html), f"event handler from {source!r}: {html[:200]!r}"
    assert not _JS_HREF.search(html), f"script URL from {source!r}: {html[:200]!r}"


# --- core ---------------------------------------------------------------------------------------


@target("json")
def fuzz_json(data: bytes) -> None:
    from secdocs.safety import load_json

    load_json(data, "fuzz.json")


@target("checksums")
def fuzz_checksums(data: bytes) -> None:
    from secdocs.kinds.checksums.parse import parse

    entries, _problems = parse(text(data), "SHA256SUMS")
    for entry in entries:
        assert entry.algorithm in {"sha256", "sha384", "sha512"}, entry


@target("names")
def fuzz_names(data: bytes) -> None:
    from secdocs.discover import parse_version
    from secdocs.model import Kind
    from secdocs.roles import classify
    from secdocs.safety import check_relative, describe, is_safe_segment

    name = text(data)
    assert classify(name) in set(vars(Kind).values())
    parse_version(name)
    shown = describe(name)
    assert not any(ord(c) < 32 for c in shown)
    if is_safe_segment(name):
        assert "/" not in name and name != ".." and not name.startswith(".")
    try:
        normal = check_relative(name, "name")
    except SecdocsError:
        return
    assert not normal.startswith("/") and ".." not in normal.split("/")


@target("html")
def fuzz_html(data: bytes) -> None:
    from secdocs.render.html import esc, link, markdown_to_html, safe_href

    source = text(data)
    escaped = esc(source)
    assert not set("<>\"'") & set(escaped), escaped
    assert_inert(markdown_to_html(source), source)
    assert_inert(link(source, source), source)
    href = safe_href(source)
    if href is not None:
        assert not re.match(r"\s*(javascript|vbscript|data):", href, re.I), href


# --- SBOMs and scan reports ---------------------------------------------------------------------


@target("sbom")
def fuzz_sbom(data: bytes) -> None:
    from secdocs.sbom import readers

    readers.read_sboms(data, "fuzz.bom")


@target("sbom-cyclonedx-xml")
def fuzz_sbom_xml(data: bytes) -> None:
    from secdocs.sbom import readers

    readers.read_cyclonedx_xml(data, "fuzz.cdx.xml")


@target("sbom-spdx")
def fuzz_sbom_spdx(data: bytes) -> None:
    from secdocs.sbom import readers

    readers.read_spdx_json(data, "fuzz.spdx.json")


@target("vex")
def fuzz_vex(data: bytes) -> None:
    from secdocs.sbom import vex

    for name in ("fuzz.openvex.json", "pip-audit.json", "osv-scanner.json", "grype.json"):
        with contextlib.suppress(SecdocsError):
            vex.read_report(data, name)


# --- container images: OCI layouts, Trivy reports, Kubernetes manifests ------------------------


@target("oci-layout")
def fuzz_oci_layout(data: bytes) -> None:
    import hashlib

    from secdocs.kinds.containers import layout
    from secdocs.model import Status

    def check(image: object) -> None:
        assert isinstance(image, layout.Image)
        if image.status is Status.VERIFIED:
            assert image.digest is not None and image.config_digest is not None
        else:
            assert image.status is Status.FAILED and image.reason

    try:  # the bytes as a layout tar (LayoutError is the reader's documented refusal)
        source = layout.tar_source(data)
    except layout.LayoutError:
        pass
    else:
        check(layout.read_layout(source, "fuzz.oci.tar", "oci-tar", 1 << 20))
    # the bytes as index.json, then as a manifest and a config blob of a folder layout
    digest = "sha256:" + hashlib.sha256(data).hexdigest()
    blob = f"blobs/sha256/{digest[7:]}"
    files = {"oci-layout": b'{"imageLayoutVersion": "1.0.0"}', "index.json": data, blob: data}
    meta = {f"f.oci/{n}": (len(d), hashlib.sha256(d).hexdigest()) for n, d in files.items()}
    source = layout.folder_source("f.oci/", meta, lambda n: files[n[len("f.oci/") :]])
    check(layout.read_layout(source, "f.oci", "oci-layout", 1 << 20))
    index = b'{"schemaVersion": 2, "manifests": [{"digest": "%s", "size": %d}]}' % (
        digest.encode(),
        len(data),
    )
    files["index.json"] = index
    meta["f.oci/index.json"] = (len(index), hashlib.sha256(index).hexdigest())
    check(layout.read_layout(source, "f.oci", "oci-layout", 1 << 20))


@target("trivy")
def fuzz_trivy(data: bytes) -> None:
    from secdocs.kinds.containers import model, render, trivy

    scan = trivy.read_scan(data, "fuzz.trivy.json")
    assert len(scan.vulnerabilities) == sum(scan.vulnerability_counts().values())
    detail = model.ContainersDetail(scans=(scan,), ties=((scan.path, None, None),))
    assert_inert(render.section(detail, None), text(data))  # type: ignore[arg-type]


@target("kubernetes")
def fuzz_kubernetes(data: bytes) -> None:
    from secdocs.kinds.config_diff import differ
    from secdocs.kinds.containers import k8s

    for fmt, name in (
        ("yaml", "deploy/k8s.yaml"),
        ("yaml", "chart/values.yaml"),
        ("json", "a.json"),
    ):
        try:
            document = differ.parse(text(data), fmt, name)
        except differ.ParseError:
            continue
        for flag in k8s.flags(document, name):
            assert flag.rule in k8s.RULES


# --- signatures and provenance ------------------------------------------------------------------


@target("provenance")
def fuzz_provenance(data: bytes) -> None:
    from secdocs.kinds.provenance import collect, npm, slsa
    from secdocs.verify.bundles import is_bundle, statement_of

    for entry in collect._documents(data, "fuzz.intoto.jsonl"):
        is_bundle(entry.value)
        if isinstance(entry.value, dict):
            slsa.summarize(entry.value)
            npm.publish_of(entry.value)
    try:
        statement = statement_of("application/vnd.in-toto+json", data, "fuzz.intoto.json")
    except SecdocsError:
        return
    summary = slsa.summarize(statement)
    if summary is not None:
        slsa.normalize_source(summary.source_uri)
        slsa.builder_allowed(summary.builder, ("https://github.com/acme/builder",))
        slsa.ref_names_tag(summary.source_ref, "v1.0.0")


@target("keys")
def fuzz_keys(data: bytes) -> None:
    from secdocs.verify import keys

    with contextlib.suppress(SecdocsError):
        keys.decode_b64(text(data), "signature")
    keys.load_public_key(data, "fuzz.pub")


# --- history: changelog, threat-model delta, config diff, redaction -----------------------------


@target("changelog")
def fuzz_changelog(data: bytes) -> None:
    from secdocs.advisory_ids import link_advisories
    from secdocs.git import CommitInfo
    from secdocs.kinds.changelog import collect as changelog
    from secdocs.render.html import markdown_to_html

    source = text(data)
    section = changelog.find_section(source, frozenset({"1.0.0", "v1.0.0"}))
    if section is not None:
        for entry in section.entries:
            assert_inert(markdown_to_html(link_advisories(entry.text)), source)
    first, _, rest = source.partition("\n")
    changelog.commit_entries(
        [CommitInfo("0" * 40, "fuzz", datetime(2025, 1, 1, tzinfo=UTC), first, rest)]
    )


@target("delta")
def fuzz_delta(data: bytes) -> None:
    from secdocs.kinds.threat_model import delta

    delta.parse_delta(data, "docs/threat-model/deltas/1.0.0.md")


@target("config-diff")
def fuzz_config_diff(data: bytes) -> None:
    from secdocs.kinds.config_diff import differ

    source = text(data)
    half = len(source) // 2
    for fmt in ("yaml", "json", "toml", "text"):
        try:
            old = differ.parse(source[:half], fmt, "old")
            new = differ.parse(source[half:], fmt, "new")
        except differ.ParseError:
            continue
        del old, new
    old_lines, new_lines = source[:half].splitlines(), source[half:].splitlines()
    diff = differ.unified_diff(old_lines, new_lines, old_lines, new_lines, "a", "b")
    assert diff == [] or diff[:2] == ["--- a", "+++ b"]


@target("redaction")
def fuzz_redaction(data: bytes) -> None:
    from secdocs import redact
    from secdocs.kinds.config_diff import tls

    source = text(data)
    for start, end in redact.secret_spans(source):
        assert 0 <= start <= end <= len(source)
    redact.redact_spans(source)
    redact.redact_message(source, (source[:8],) if len(source) >= 8 else ())
    redact.key_words(source)
    tls.protocol_versions(source)
    tls.cipher_name(source)


# --- policy, advisories, metrics registers ------------------------------------------------------


def _yaml(data: bytes) -> object:
    import yaml

    try:
        return yaml.safe_load(data)
    except (yaml.YAMLError, RecursionError, ValueError):
        return None


@target("advisory")
def fuzz_advisory(data: bytes) -> None:
    from secdocs.kinds.advisories import model

    model.parse(text(data), "security/advisories/fuzz.md")


@target("security-txt")
def fuzz_security_txt(data: bytes) -> None:
    from secdocs.kinds.security_policy import securitytxt

    parsed = securitytxt.parse(text(data))
    securitytxt.lifetime_errors(parsed, datetime(2025, 1, 1, tzinfo=UTC))
    securitytxt.expiry(parsed, datetime(2025, 1, 1, tzinfo=UTC))


@target("policy")
def fuzz_policy(data: bytes) -> None:
    from collections.abc import Mapping

    from secdocs.kinds.security_policy import model as settings

    block = _yaml(data)
    if isinstance(block, Mapping):
        settings.parse(_str_keys(block), "fuzz")


@target("config")
def fuzz_config(data: bytes) -> None:
    from collections.abc import Mapping
    from pathlib import Path

    from secdocs.config import from_mapping

    block = _yaml(data)
    if isinstance(block, Mapping):
        from_mapping(_str_keys(block), Path("/nonexistent/fuzz"))


def _str_keys(block: object) -> dict[str, object]:
    """Known finding, tracked by tests/hostile/test_known_findings.py: two unknown keys of
    different types (``1:`` and ``x:``) make ``config.from_mapping`` and ``policy.settings.parse``
    raise ``TypeError`` from ``sorted``. Keys are made strings so fuzzing covers the rest."""
    assert isinstance(block, dict)
    return {str(k): v for k, v in block.items()}


@target("metrics-registers")
def fuzz_metrics_registers(data: bytes) -> None:
    from secdocs.kinds.metrics import compute

    for raw in (_yaml(data), _json_or_none(data)):
        compute.acceptances(raw, "risk-acceptances.yaml")
        compute.freshness(raw, "version-index.json")


def _json_or_none(data: bytes) -> object:
    from secdocs.safety import load_json

    try:
        return load_json(data, "fuzz.json")
    except SecdocsError:
        return None


@target("sbom-licences-validation")
def fuzz_sbom_licences_validation(data: bytes) -> None:
    """Licence policy evaluation (license-expression) and schema validation of what parsed."""
    from secdocs.kinds.sbom import licences
    from secdocs.sbom import readers, validate

    sboms = readers.read_sboms(data, "fuzz.bom")
    evaluator = licences.LicenceChecker(
        licences.parse_licence_rules({"allow": ["MIT", "Apache-2.0"], "deny": ["GPL-3.0-only"]})
    )
    for sbom in sboms:
        for component in sbom.components[:200]:
            evaluator.component(component)
        if sbom.format == "CycloneDX" and sbom.spec_version in validate.JSON_SCHEMAS:
            if sbom.encoding == "json":
                validate.validate_json(data, sbom.spec_version, "fuzz.cdx.json")
            else:
                validate.validate_xml(data, sbom.spec_version, "fuzz.cdx.xml")
