"""In-process Sigstore verification (one reused Verifier) vs one ``python -m sigstore`` per bundle.

Usage: python benchmarks/bench_verify.py [--corpus PATH] [--runs N]
Prints the median per-bundle time of both ways and their ratio.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from secdocs.verify.bundles import VerifierCache, identity_check, verify_bundle
from secdocs.verify.signers import SignerIdentity

IDENTITY = (
    "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/"
    ".github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main"
)
ISSUER = "https://token.actions.githubusercontent.com"
CASES = ("happy-path-v0.1", "happy-path-v0.3", "happy-path-intoto-in-dsse-v3")


def main() -> int:
    parser = argparse.ArgumentParser()
    default = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
    parser.add_argument(
        "--corpus", type=Path, default=Path(os.environ.get("SECDOCS_CORPUS", default))
    )
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--processes", type=int, default=5)
    args = parser.parse_args()
    suite = args.corpus / "sigstore-conformance" / "bundle-verify"
    artifact = (suite / "a.txt").read_bytes()
    digest = hashlib.sha256(artifact).digest()
    bundles = [(suite / c / "bundle.sigstore.json").read_bytes() for c in CASES]
    policy = identity_check(SignerIdentity(identity=IDENTITY, issuer=ISSUER).resolve("v1", "1"))

    start = time.perf_counter()
    cache = VerifierCache(lambda p: Path(p).read_bytes())
    cache.get("production")
    setup = time.perf_counter() - start

    samples = []
    for i in range(args.runs):
        raw = bundles[i % len(bundles)]
        t0 = time.perf_counter()
        outcome = verify_bundle(
            raw,
            "bench",
            verifier=lambda: cache.get("production"),
            trusted_root=lambda: cache.trusted_root("production"),
            policy=policy,
            keys=(),
            artifact=digest,
            paired="a.txt",
            artifacts={"a.txt": digest.hex()},
        )
        samples.append(time.perf_counter() - t0)
        assert outcome.status.value == "verified", outcome.reason
    in_process = statistics.median(samples)

    process_samples = []
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "a.txt").write_bytes(artifact)
        (Path(tmp) / "a.txt.sigstore.json").write_bytes(bundles[1])
        argv = [
            sys.executable,
            "-m",
            "sigstore",
            "verify",
            "identity",
            "--offline",
            "--bundle",
            "a.txt.sigstore.json",
            "--cert-identity",
            IDENTITY,
            "--cert-oidc-issuer",
            ISSUER,
            "a.txt",
        ]
        for _ in range(args.processes):
            t0 = time.perf_counter()
            subprocess.run(argv, cwd=tmp, check=True, capture_output=True)
            process_samples.append(time.perf_counter() - t0)
    per_process = statistics.median(process_samples)

    print(f"verifier setup (once per trusted root): {setup * 1000:.1f} ms")
    print(
        f"in-process, reused verifier: {in_process * 1000:.2f} ms per bundle "
        f"(median of {args.runs})"
    )
    print(
        f"one 'python -m sigstore verify' per bundle: {per_process * 1000:.0f} ms "
        f"(median of {args.processes})"
    )
    print(f"ratio process/in-process: {per_process / in_process:.0f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
