"""Generated files wait on disk until MkDocs reads them (flat memory over long histories)."""

from __future__ import annotations

from pathlib import Path

import pytest
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from test_site import make_project

from secdocs import plugin as plugin_mod
from secdocs.spill import Spilled, SpillFolder


def test_spilled_mapping_keeps_values_on_disk(tmp_path: Path) -> None:
    pages: Spilled[str] = Spilled(tmp_path, binary=False)
    pages["releases/v1/index.md"] = "# v1 \u2192 caf\u00e9\n"
    pages["releases/v1/index.md"] += "more\n"
    pages["index.md"] = "# Home\n"
    assert len(pages) == 2 and "index.md" in pages and "other.md" not in pages
    assert pages["releases/v1/index.md"] == "# v1 \u2192 caf\u00e9\nmore\n"
    assert pages.path("index.md").read_text() == "# Home\n"
    del pages["index.md"]
    assert list(pages) == ["releases/v1/index.md"] and len(list(tmp_path.iterdir())) == 1
    files: Spilled[bytes] = Spilled(tmp_path / "b", binary=True)
    (tmp_path / "b").mkdir()
    files["evidence.json"] = b"{}\n"
    assert files["evidence.json"] == b"{}\n"


def test_spill_folder_is_removed_on_close() -> None:
    spill = SpillFolder()
    path = spill.blocks(["<table>\u2192</table>", "<p>x</p>"])
    assert SpillFolder.read_blocks(path) == ["<table>\u2192</table>", "<p>x</p>"]
    spill.close()
    assert not spill.root.exists()


def test_generated_pages_hold_no_text_in_memory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    repo = make_project(tmp_path)
    seen: dict[str, object] = {}
    original = plugin_mod.SecdocsPlugin.on_env

    def on_env(
        self: plugin_mod.SecdocsPlugin, env: object, *, config: object, files: object
    ) -> object:
        seen["spill"] = self.spill.root if self.spill is not None else None
        for file in files:  # type: ignore[attr-defined]
            if file.src_uri.startswith("releases/") and file.is_documentation_page():
                seen[file.src_uri] = (file._content, file.page.content)
        return original(self, env, config=config, files=files)  # type: ignore[arg-type]

    monkeypatch.setattr(plugin_mod.SecdocsPlugin, "on_env", on_env)
    config = load_config(str(repo.root / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
    config.plugins.on_startup(command="build", dirty=False)
    mkdocs_build(config)
    assert "releases/v1.0.0/index.md" in seen
    spill = seen.pop("spill")
    assert isinstance(spill, Path) and not spill.exists()  # removed after the build
    for path, (markdown, content) in seen.items():  # type: ignore[misc]
        # MkDocs reads the Markdown from the spilled file; the lifted blocks are not restored
        # into the page's HTML until the page is written.
        assert markdown is None, path
        assert "secdocs-table" not in str(content), path
    html = (tmp_path / "site" / "releases" / "v1.0.0" / "index.html").read_text()
    assert "secdocs-table" in html and "SECDOCSBLOCK" not in html
