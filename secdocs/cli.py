"""The ``secdocs`` command line: build, serve, verify and demo, all on the same pipeline."""

from __future__ import annotations

import argparse
import dataclasses
import logging
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from secdocs import __version__
from secdocs.config import load_mkdocs_yml
from secdocs.discover import latest
from secdocs.errors import SecdocsError
from secdocs.model import Assurance, ReleaseReport, Status
from secdocs.pipeline import exit_status, open_run
from secdocs.progress import ENV as PROGRESS_ENV
from secdocs.render import json as evidence_json

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help
        return int(exc.code or 0)
    if args.verbose:
        os.environ[PROGRESS_ENV] = "1"
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(message)s",
    )
    try:
        result: int = args.handler(args)
    except SecdocsError as exc:
        for line in str(exc).splitlines() or [""]:
            print(f"secdocs: error: {line}", file=sys.stderr)
        return EXIT_USAGE
    return result


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="secdocs", description="Publish verified security evidence for every release."
    )
    parser.add_argument("--version", action="version", version=f"secdocs {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="say more")
    commands = parser.add_subparsers(dest="command", required=True)

    build = commands.add_parser("build", help="build the site (mkdocs build)")
    build.add_argument("-f", "--config-file", default="mkdocs.yml", type=Path)
    build.add_argument("-d", "--site-dir", type=Path, default=None)
    build.add_argument(
        "--strict",
        action="store_true",
        help="fail on any MkDocs warning (MkDocs' --strict) and on failed, missing or "
        "unverifiable evidence (secdocs' strict; strict: {from: TAG} still limits it)",
    )
    build.set_defaults(handler=_build)

    serve = commands.add_parser("serve", help="preview the site (mkdocs serve)")
    serve.add_argument("-f", "--config-file", default="mkdocs.yml", type=Path)
    serve.add_argument("-a", "--dev-addr", default="127.0.0.1:8000")
    serve.set_defaults(handler=_serve)

    verify = commands.add_parser("verify", help="check the evidence of every release")
    verify.add_argument("-f", "--config-file", default="mkdocs.yml", type=Path)
    verify.add_argument("--tag", help="check one release only")
    verify.add_argument(
        "--strict", action="store_true", help="also fail when evidence is missing or unverifiable"
    )
    verify.add_argument("--json", action="store_true", help="print the evidence index as JSON")
    verify.add_argument(
        "--validate-sbom",
        action="store_true",
        help="validate SBOMs against their schema even if sbom.validate is false",
    )
    verify.set_defaults(handler=_verify)

    policy = commands.add_parser("policy", help="write or check SECURITY.md (security: block)")
    policy.add_argument("-f", "--config-file", default="mkdocs.yml", type=Path)
    mode = policy.add_mutually_exclusive_group(required=True)
    mode.add_argument("--write", action="store_true", help="write SECURITY.md")
    mode.add_argument("--check", action="store_true", help="fail when SECURITY.md has drifted")
    policy.set_defaults(handler=_policy)

    init = commands.add_parser("init", help="scaffold secdocs and a release workflow")
    init.add_argument("directory", nargs="?", type=Path, default=Path())
    init.add_argument("--name", help="project name (default: the repository's name)")
    init.add_argument(
        "--secdocs-hash",
        action="append",
        default=[],
        metavar="sha256:HEX",
        help="a hash of secdocs' distribution files, pinned in the tool list (repeatable)",
    )
    init.set_defaults(handler=_init)

    collect = commands.add_parser(
        "collect", help="record a release's evidence (on the evidence ref, or in evidence/<tag>/)"
    )
    collect.add_argument("-f", "--config-file", default="mkdocs.yml", type=Path)
    collect.add_argument("--tag", required=True, help="the release tag (must exist)")
    collect.add_argument(
        "--keep-binaries",
        action="store_true",
        default=None,
        help="keep release binaries too, not only their digests",
    )
    collect.add_argument(
        "--replace",
        action="store_true",
        help="change a release already on the evidence ref (needs --reason)",
    )
    collect.add_argument("--reason", help="why published evidence changes (recorded in the commit)")
    collect.add_argument("files", nargs="+", type=Path)
    collect.set_defaults(handler=_collect)

    demo = commands.add_parser("demo", help="create a sample project and build its site")
    demo.add_argument("directory", nargs="?", type=Path, default=None)
    demo.set_defaults(handler=_demo)
    return parser


def _mkdocs_build(config_file: Path, site_dir: Path | None, strict: bool) -> None:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError, PluginError

    kwargs: dict[str, Any] = {"strict": strict} if strict else {}
    if site_dir is not None:
        kwargs["site_dir"] = str(site_dir)
    try:
        config = load_config(config_file=str(config_file), **kwargs)
        if strict:
            for plugin in config.plugins.values():
                if hasattr(plugin, "force_strict"):
                    plugin.force_strict = True
        config.plugins.on_startup(command="build", dirty=False)
        try:
            build(config)
        finally:
            config.plugins.on_shutdown()
    except (ConfigurationError, PluginError, Abort) as exc:
        raise SecdocsError(str(exc)) from exc


def _build(args: argparse.Namespace) -> int:
    load_mkdocs_yml(args.config_file)  # every configuration error at once, before MkDocs runs
    _mkdocs_build(args.config_file, args.site_dir, args.strict)
    return EXIT_OK


def _serve(args: argparse.Namespace) -> int:  # pragma: no cover - runs until interrupted
    from mkdocs.commands.serve import serve

    serve(config_file=str(args.config_file), dev_addr=args.dev_addr)
    return EXIT_OK


def _verify(args: argparse.Namespace) -> int:
    config, document = load_mkdocs_yml(args.config_file)
    mkdocs_name = document.get("site_name")
    project = config.site_name or (mkdocs_name if isinstance(mkdocs_name, str) else None)
    if args.validate_sbom:
        config.options.sbom["validate"] = True
    run = open_run(config)
    try:
        if args.tag is not None and args.tag not in {r.tag for r in run.releases}:
            print(
                f"secdocs: error: no release tag {args.tag!r} matches {config.tags!r}",
                file=sys.stderr,
            )
            return EXIT_USAGE
        # Keep what the summary and the JSON need, not the collectors' private payloads:
        # memory stays flat over long histories.
        reports = [
            dataclasses.replace(
                r, findings=tuple(dataclasses.replace(f, detail=None) for f in r.findings)
            )
            for r in run.reports(only=args.tag)
        ]
    finally:
        run.repo.close()
    strict = args.strict or config.strict
    # ``latest`` is the site's latest release, whichever releases this run checked.
    newest = latest(run.releases)
    latest_tag = newest.tag if newest is not None else None
    if args.json:
        releases = [evidence_json.release_json(r) for r in reversed(reports)]
        doc = evidence_json.document(releases, project, run.discovery.problems, latest_tag)
        sys.stdout.write(evidence_json.dumps(doc))
    else:
        _print_problems(reports, run.discovery.problems)
    from secdocs.commands.policy import check_security_txt

    expired = check_security_txt(config, run.releases)
    # an explicit --strict covers every release checked; strict: {from: …} limits the config's
    strict_from = None if args.strict else config.strict_from
    code = max(exit_status(reports, strict, strict_from), expired)
    # The closing line a CI log reader looks for (stderr under --json, so stdout stays JSON).
    print(summary_line(reports, code, strict), file=sys.stderr if args.json else sys.stdout)
    return code


def _policy(args: argparse.Namespace) -> int:
    from secdocs.commands.policy import policy_command

    return policy_command(args.config_file, write=args.write)


def _init(args: argparse.Namespace) -> int:
    from secdocs.commands.init import init_command

    return init_command(args.directory, args.name, args.secdocs_hash)


def _collect(args: argparse.Namespace) -> int:
    from secdocs.commands.collect import collect_command

    return collect_command(
        args.config_file,
        args.tag,
        args.files,
        keep_binaries=args.keep_binaries,
        replace=args.replace,
        reason=args.reason,
    )


def summary_line(reports: Sequence[ReleaseReport], code: int, strict: bool) -> str:
    """One line: releases checked, items per status, release problems, the verdict."""
    counts = {s.value: 0 for s in Status}
    assurances = {a.value: 0 for a in Assurance}
    for report in reports:
        for key, value in report.status_counts().items():
            counts[key] += value
        for key, value in report.assurance_counts().items():
            assurances[key] += value
    problems = sum(len(r.problems) for r in reports)
    releases = len(reports)
    verified = ", ".join(f"{value} {key}" for key, value in assurances.items())
    parts = ", ".join(
        f"{value} {key}" + (f" ({verified})" if key == Status.VERIFIED else "")
        for key, value in counts.items()
    )
    verdict = "FAILED" if code else "OK"
    mode = " (strict)" if strict else ""
    noun = "release" if releases == 1 else "releases"
    return (
        f"secdocs verify: {verdict}{mode}: {releases} {noun}; {parts}; "
        f"{problems} input problem{'' if problems == 1 else 's'}; exit {code}"
    )


def _print_problems(reports: Sequence[ReleaseReport], problems: Sequence[object]) -> None:
    for problem in problems:
        print(f"warning: {problem}")
    for report in reversed(reports):
        status = report.status
        print(f"{report.release.tag}: {status.value if status else 'no evidence'}")
        for item in report.items:
            if item.status in (Status.VERIFIED, Status.PRESENT):
                continue
            print(f"  {item.status.value:<12} {item.kind:<16} {item.path or '-'}: {item.reason}")
        for problem in report.problems:
            print(f"  {problem.severity:<12} {problem}")


def _demo(args: argparse.Namespace) -> int:
    from secdocs.demo import RELEASES, create_project

    directory: Path = args.directory or Path(tempfile.mkdtemp(prefix="secdocs-demo-"))
    os.environ.setdefault("SOURCE_DATE_EPOCH", str(int(RELEASES[-1].date.timestamp())))
    project = create_project(directory.resolve())
    _mkdocs_build(project / "mkdocs.yml", project / "site", strict=False)
    print(f"secdocs demo: sample project in {project}")
    print(
        f"secdocs demo: site built in {project / 'site'} — open {project / 'site' / 'index.html'}"
    )
    return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
