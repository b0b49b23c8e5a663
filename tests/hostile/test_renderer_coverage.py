"""Every renderer that escapes receives hostile input from the hostile project.

Each module that imports :func:`secdocs.render.html.esc` gets a recording wrapper around it; the
hostile project is then rendered (``secdocs.site.build_site``, no browser). A renderer whose
``esc`` never sees a payload would not be exercised by the browser suite, so removing its
escaping could go unnoticed: this test names it.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest

import secdocs
from secdocs.config import load_mkdocs_yml
from secdocs.render import html
from secdocs.site import build_site

from . import project
from .payloads import Registry

#: renderers that only ever show values secdocs itself produced or checked (with the reason)
NO_HOSTILE_INPUT = {
    # shows counts parsed as integers and safe evidence file names
    "secdocs_junit": "shows only integer counts and safe file names",
    # hostile keys and values go through code() and text_block() (html.esc); its own esc() only
    # sees paths, formats, normalised TLS names and parser messages that never echo content
    "secdocs.history.config_diff": "hostile values are escaped by html.code/text_block",
}


def escaping_modules() -> dict[str, ModuleType]:
    found: dict[str, ModuleType] = {}
    names = [m.name for m in pkgutil.walk_packages(secdocs.__path__, "secdocs.")]
    for name in [*names, "secdocs_junit"]:
        if name.startswith("secdocs.demo") or name == "secdocs.render.html":
            continue
        try:
            module = importlib.import_module(name)
        except ImportError:  # pragma: no cover - an optional plugin that is not installed
            continue
        if getattr(module, "esc", None) is html.esc:
            found[name] = module
    return found


def test_every_escaping_renderer_sees_hostile_payloads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    modules = escaping_modules()
    assert "secdocs.render.pages" in modules and len(modules) >= 8
    hits: dict[str, int] = dict.fromkeys(modules, 0)
    original = html.esc

    def recorder(name: str) -> Callable[[object], str]:
        def esc(value: object) -> str:
            if "__xss_" in str(value):
                hits[name] += 1
            return original(value)

        return esc

    for name, module in modules.items():
        monkeypatch.setattr(module, "esc", recorder(name))
    repo = project.build(tmp_path / "project", Registry())
    config, document = load_mkdocs_yml(repo.root / "mkdocs.yml")
    site = build_site(config, config.site_name or str(document["site_name"]))
    assert site.pages
    unexercised = sorted(n for n, count in hits.items() if count == 0 and n not in NO_HOSTILE_INPUT)
    assert unexercised == [], (
        "renderers no hostile payload reaches (extend tests/hostile/project.py)"
    )
