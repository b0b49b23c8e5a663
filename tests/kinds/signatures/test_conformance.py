"""Every sigstore-conformance ``bundle-verify`` case through the signatures collector.

Expected outcomes come from the suite's convention (MANIFEST.md of the corpus): a case directory
whose name ends in ``_fail`` must not verify, every other case must verify. Defaults for the
artifact, identity, issuer and trust root are the suite README's.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from secdocs.kinds.signatures.collect import SignaturesCollector
from secdocs.model import Status

DEFAULT_IDENTITY = (
    "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/"
    ".github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main"
)
DEFAULT_ISSUER = "https://token.actions.githubusercontent.com"
SUITE = "sigstore-conformance/bundle-verify"


def _cases(corpus: Path) -> list[Path]:
    return sorted(p for p in (corpus / SUITE).iterdir() if p.is_dir())


def _run_case(case: Path, make_project):  # type: ignore[no-untyped-def]
    suite = case.parent
    artifact = case / "artifact" if (case / "artifact").is_file() else suite / "a.txt"
    name = artifact.name if artifact.name != "artifact" else "artifact.bin"
    identity = (case / "identity").read_text().strip() if (case / "identity").is_file() else None
    issuer = (case / "issuer").read_text().strip() if (case / "issuer").is_file() else None
    project = make_project()
    sections: dict[str, object] = {
        "signer": {"identity": identity or DEFAULT_IDENTITY, "issuer": issuer or DEFAULT_ISSUER}
    }
    if (case / "trusted_root.json").is_file():
        sections["trusted_root"] = project.write(
            "trust/trusted_root.json", (case / "trusted_root.json").read_bytes()
        )
    if (case / "key.pub").is_file():
        sections["public_keys"] = [project.write("keys/key.pub", (case / "key.pub").read_bytes())]
    ctx = project.context(
        {
            name: artifact.read_bytes(),
            f"{name}.sigstore.json": (case / "bundle.sigstore.json").read_bytes(),
        },
        **sections,
    )
    findings = SignaturesCollector(ctx.config).collect(ctx)
    items = [i for i in findings.items if i.path == f"{name}.sigstore.json"]
    assert len(items) == 1
    return items[0]


@pytest.mark.corpus
def test_every_conformance_case_gives_the_expected_outcome(  # type: ignore[no-untyped-def]
    corpus_dir, make_project, capsys
):
    cases = _cases(corpus_dir)
    assert len(cases) >= 40
    results = []
    for case in cases:
        item = _run_case(case, make_project)
        expect_pass = not case.name.endswith("_fail")
        ok = (item.status is Status.VERIFIED) == expect_pass
        results.append((case.name, ok, item.status, item.reason))
        if not expect_pass:
            assert item.status is not Status.VERIFIED, case.name
            assert item.reason, case.name
        else:
            assert item.signer is not None
    score = sum(ok for _, ok, _, _ in results)
    with capsys.disabled():
        print(f"\nsigstore-conformance bundle-verify score: {score}/{len(results)}")
        for name, ok, status, reason in results:
            if not ok:
                print(f"  MISMATCH {name}: {status} {reason}")
    assert score == len(results), [r for r in results if not r[1]]
