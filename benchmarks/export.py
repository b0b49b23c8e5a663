"""Export the Markdown that secdocs generates into a plain MkDocs project without secdocs.

``python benchmarks/export.py PROJECT/mkdocs.yml DEST`` runs MkDocs' own start of a build
(config, plugins' ``on_config``/``on_files``/``on_nav``) with the secdocs plugin, then writes
every documentation page that would be built — the project's own and the generated ones — into
``DEST/docs``, and ``DEST/mkdocs.yml`` with the same settings, the final navigation and the same
extra CSS/JS, minus the secdocs plugin. ``mkdocs build`` of ``DEST`` is then the "bare" build of
the same pages that the benchmark compares a secdocs build with. Evidence copies and JSON files
are secdocs' work and are left out.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import yaml
from mkdocs.config import load_config
from mkdocs.structure.files import get_files
from mkdocs.structure.nav import Link, Navigation, Section, get_navigation
from mkdocs.structure.pages import Page

sys.path.insert(0, str(Path(__file__).resolve().parent))
import secdocs_cli  # noqa: F401  - the same collector set as the measured builds

from secdocs.config import plugin_options


def nav_entries(items: list[Any]) -> list[Any]:
    entries: list[Any] = []
    for item in items:
        if isinstance(item, Section):
            entries.append({item.title: nav_entries(item.children)})
        elif isinstance(item, Page):
            uri = item.file.src_uri
            entries.append({item.title: uri} if item.title else uri)
        elif isinstance(item, Link):
            entries.append({item.title: item.url})
    return entries


def export(config_file: Path, dest: Path) -> int:
    config = load_config(config_file=str(config_file))
    config.plugins.on_startup(command="build", dirty=False)
    try:
        config = config.plugins.on_config(config)
        files = get_files(config)
        files = config.plugins.on_files(files, config=config)
        nav: Navigation = get_navigation(files, config)
        nav = config.plugins.on_nav(nav, config=config, files=files)
        docs = dest / "docs"
        count = 0
        for file in files.documentation_pages():
            target = docs / file.src_uri
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(file.content_string, encoding="utf-8")
            count += 1
        for file in files:
            if file.src_uri.startswith("assets/secdocs/"):  # the stylesheet the pages use
                target = docs / file.src_uri
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(file.content_bytes)
    finally:
        config.plugins.on_shutdown()

    document = yaml.load(config_file.read_text(), Loader=yaml.SafeLoader)
    if plugin_options(document) is None:
        raise SystemExit(f"{config_file}: no secdocs plugin")
    plugins = document.get("plugins") or []
    document["plugins"] = [
        p for p in plugins if p != "secdocs" and not (isinstance(p, dict) and "secdocs" in p)
    ]
    document["nav"] = nav_entries(nav.items)
    document["extra_css"] = [str(c) for c in config.extra_css]
    document["extra_javascript"] = [str(j) for j in config.extra_javascript]
    (dest / "mkdocs.yml").write_text(yaml.safe_dump(document, sort_keys=False))
    print(f"{dest}: {count} pages")
    return 0


if __name__ == "__main__":
    sys.exit(export(Path(sys.argv[1]).resolve(), Path(sys.argv[2]).resolve()))
