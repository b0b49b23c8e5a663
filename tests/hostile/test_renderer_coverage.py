"""Every template (and every renderer that still escapes in Python) receives hostile input.

Escaping happens in two places: the Jinja2 environment escapes every value a template prints
(:func:`secdocs.render.jinja._escape`), and a few renderers call :func:`secdocs.render.html.esc`
on values they put in table cells. Both are wrapped with recorders; the hostile project is then
rendered (``secdocs.site.build_site``, no browser). A template or renderer that never sees a
payload would not be exercised by the browser suite, so removing its escaping could go
unnoticed: this test names it.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest
from markupsafe import Markup

import secdocs
from secdocs.config import load_mkdocs_yml
from secdocs.render import html, jinja
from secdocs.site import build_site

from . import project
from .payloads import Registry

#: renderers that only ever show values secdocs itself produced or checked (with the reason)
NO_HOSTILE_INPUT = {
    # shows counts parsed as integers and safe evidence file names
    "secdocs_junit": "shows only integer counts and safe file names",
    # hostile keys and values go through code() and text_block() (html.esc); its own esc() only
    # sees paths, formats, normalised TLS names and parser messages that never echo content
    "secdocs.kinds.config_diff.render": "hostile values are escaped by html.code/text_block",
    # hostile values reach their templates, whose escaping is recorded below
    "secdocs.kinds.security_policy.render": (
        "contacts, languages and notes are printed by policy/*.html"
    ),
    "secdocs.kinds.signatures.render": "signer identities are printed by the with_note macro",
    "secdocs.kinds.tag_signatures.render": (
        "tag signers and keys are printed by the with_note macro"
    ),
}

#: templates that print only values secdocs computed (counts, dates, its own words), with why
TEMPLATES_WITHOUT_HOSTILE_INPUT = {
    "release/problems.html": "counts and Markup cells escaped by release_page",
    "release/file-cell.html": "a Markup link, the file's role word secdocs classified and its size",
    "release/verified-elsewhere.html": "tags (safe path segments), dates and a relative URL",
    "metrics/macros.html": "percentages, counts and chart file names secdocs computed",
    "policy/supported.html": "counts from the validated support policy and the build date",
    "advisories/overdue.html": "a count and the build date",
    "config_diff/marks.html": "prints no value",
    "release/checks.html": "prints only Markup cells",
    "release/files.html": "prints only Markup cells",
    "release/summary.html": "prints only Markup cells",
    "release/prerelease.html": "prints only a Markup link",
    "release/renamed.html": "prints only a Markup link",
    "checksums/section.html": "prints only Markup cells",
    "provenance/section.html": "its title header is a published file name (safe names only)",
    "signatures/tag.html": "prints only Markup cells and the generated commands",
    "sbom/page.md": "the tag, a safe path segment",
    "sbom/page.html": "a count",
    "sbom/section.html": "prints only Markup built by sbom/macros.html",
    "advisories/page.md": "prints only Markup blocks",
    "advisories/release.md": "prints only a Markup list",
    "policy/reporting.md": "prints only a Markup block",
    "policy/supported.md": "prints only a Markup block",
    "changelog/section.html": "the changelog's path and secdocs' note; entries arrive as Markup",
    "config_diff/file.html": "paths, formats and normalised TLS names (see NO_HOSTILE_INPUT)",
    "config_diff/section.html": "the previous tag and configured patterns",
    "signatures/section.html": "safe evidence file names and the generated commands",
    "threat_model/section.html": "the expected delta path and parser messages",
    "sbom/diff.html": "prints only Markup",
    "sbom/diff.md": "the tag, a safe path segment",
    "release/verified.html": "counts of verified items per assurance word",
    "containers/section.html": (
        "severity words from a fixed list and counts; evidence values arrive as Markup cells "
        "escaped by secdocs.kinds.containers.render"
    ),
    "check-file/page.md": "prints only a Markup block",
    "release/no-commands.html": "a relative URL secdocs computed",
    "release/verify-intro.html": "a relative URL secdocs computed",
    "release/page.md": "tags (safe path segments) and Markup blocks; the project name is "
    "printed by release/verdict.html",
    "release/tabs.html": "tool names and the commands secdocs generated for safe file names",
}


def escaping_modules() -> dict[str, ModuleType]:
    found: dict[str, ModuleType] = {}
    names = [m.name for m in pkgutil.walk_packages(secdocs.__path__, "secdocs.")]
    for name in [*names, "secdocs_junit"]:
        if name.startswith("secdocs.demo") or name in (
            "secdocs.render.html",
            "secdocs.render.jinja",
            "secdocs.render.escape",
        ):
            continue
        try:
            module = importlib.import_module(name)
        except ImportError:  # pragma: no cover - an optional plugin that is not installed
            continue
        if getattr(module, "esc", None) is html.esc:
            found[name] = module
    return found


def shipped_templates() -> list[str]:
    root = Path(jinja.__file__).resolve().parents[1] / "templates"
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def test_every_escaping_renderer_and_template_sees_hostile_payloads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    modules = escaping_modules()
    assert "secdocs.render.pages" in modules
    hits: dict[str, int] = dict.fromkeys(modules, 0)
    original = html.esc

    def recorder(name: str) -> Callable[[object], Markup]:
        def esc(value: object) -> Markup:
            if "__xss_" in str(value):
                hits[name] += 1
            return original(value)

        return esc

    for name, module in modules.items():
        monkeypatch.setattr(module, "esc", recorder(name))

    template_hits: dict[str, int] = dict.fromkeys(shipped_templates(), 0)
    escape = jinja._escape

    def record_template(template_name: str | None, value: object) -> Markup:
        if "__xss_" in str(value) and template_name is not None:
            template_hits[template_name] = template_hits.get(template_name, 0) + 1
        return escape(template_name, value)

    monkeypatch.setattr(jinja, "_escape", record_template)
    repo = project.build(tmp_path / "project", Registry())
    config, document = load_mkdocs_yml(repo.root / "mkdocs.yml")
    site = build_site(config, config.site_name or str(document["site_name"]))
    assert site.pages
    unexercised = sorted(n for n, count in hits.items() if count == 0 and n not in NO_HOSTILE_INPUT)
    assert unexercised == [], (
        "renderers no hostile payload reaches (extend tests/hostile/project.py)"
    )
    quiet = sorted(
        name
        for name, count in template_hits.items()
        if count == 0 and name not in TEMPLATES_WITHOUT_HOSTILE_INPUT
    )
    assert quiet == [], "templates no hostile payload reaches (extend tests/hostile/project.py)"
    # a template listed as safe must not print hostile values after all
    printed = sorted(n for n in TEMPLATES_WITHOUT_HOSTILE_INPUT if template_hits.get(n))
    assert printed == [], "templates listed as showing no hostile input print payloads"
