"""The MkDocs plugin: a thin adapter that adds secdocs' generated files to a build."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page

from secdocs import pagecache
from secdocs.collectors import load_collectors
from secdocs.config import Config, SecdocsConfig, settings
from secdocs.errors import SecdocsError
from secdocs.kinds.security_policy.model import SECURITY_TXT
from secdocs.pagecache import PageStore, Publisher, render_digest
from secdocs.pipeline import exit_status, failures, is_strict_for
from secdocs.render.html import lift_blocks, restore_blocks
from secdocs.render.jinja import use_theme
from secdocs.site import ASSET_DIR, SiteContent, build_site
from secdocs.spill import Spilled, SpillFolder

log = logging.getLogger("mkdocs.plugins.secdocs")


class SecdocsPlugin(BasePlugin[SecdocsConfig]):  # type: ignore[no-untyped-call]
    """MkDocs validates the ``secdocs`` block through :class:`SecdocsConfig` (every error at
    once, unknown keys and files that do not exist included) before any hook runs."""

    def __init__(self) -> None:
        super().__init__()
        self.settings: Config | None = None
        self.site: SiteContent | None = None
        self._blocks: dict[str, tuple[str, list[str]]] = {}
        self.publisher: Publisher | None = None
        self._generated: set[str] = set()
        self.spill: SpillFolder | None = None
        self._spilled: dict[str, tuple[str, Path]] = {}
        self._nav: Navigation | None = None
        #: ``secdocs build --strict``: strict evidence whatever the configuration says
        self.force_strict = False

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        try:
            self.settings = settings(self.config)
            load_collectors(self.settings)  # third-party collectors' options, before any work
        except SecdocsError as exc:
            raise PluginError(str(exc)) from exc
        use_theme(config.theme.custom_dir)
        _keep_requests_local(config)
        for name in sorted(_asset_names()):
            url = f"{ASSET_DIR}/{name}"
            if name.endswith(".css") and url not in config.extra_css:
                config.extra_css.append(url)
            elif name.endswith(".js") and url not in [str(s) for s in config.extra_javascript]:
                config.extra_javascript.append(url)
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        if self.settings is None:
            raise PluginError("secdocs: on_files ran before on_config")
        project = self.settings.site_name or config.site_name
        self.publisher = _publisher(self.settings, config, project)
        hooks = (self.publisher.reuse, self.publisher.rendered) if self.publisher else None
        self._close_spill()
        self.spill = SpillFolder()
        try:
            site = build_site(
                self.settings, project, config.use_directory_urls, pages=hooks, spill=self.spill
            )
        except SecdocsError as exc:
            raise PluginError(f"secdocs: {exc}") from exc
        self.site = site
        self._generated = {*site.pages, *site.reused}
        for problem in site.problems:
            log.warning("secdocs: %s", problem)
        for report in site.reports:
            for problem in report.problems:
                log.warning("secdocs: %s: %s", report.release.tag, problem)
        strict = self.settings.strict or self.force_strict
        strict_from = self.settings.strict_from
        # strictness covers the releases from strict.from on, and only those
        covered = [r for r in site.reports if is_strict_for(r.release, strict_from)]
        stale = [str(p) for p in site.problems if p.path == SECURITY_TXT]
        if strict and stale:
            raise PluginError(
                "secdocs strict: the published security.txt is not fresh:\n  " + "\n  ".join(stale)
            )
        if strict and exit_status(covered, True):
            since = f" (strict from {strict_from})" if strict_from else ""
            raise PluginError(
                f"secdocs strict{since}: evidence failed, is missing or is unverifiable:\n"
                + "\n".join(_failures(site, strict_from))
            )
        for file in _raw_delta_files(files, self.settings, config):
            files.remove(file)
        # Generated files are always published, even under dot-folders (``.well-known/``)
        # that MkDocs excludes from docs/ by default.
        included = InclusionLevel.INCLUDED
        # With an explicit ``nav``, generated pages are published but not expected in it (no
        # "not included in the nav" warning under --strict); on_nav adds the top-level ones.
        in_nav = InclusionLevel.NOT_IN_NAV if config.nav else included
        # Pages served from the page cache keep their place (MkDocs builds pages in this order).
        for path in sorted([*site.pages, *site.reused]):
            self._add(files, _generated(config, site.pages, path, in_nav))
        for path in sorted(site.files):
            self._add(files, _generated(config, site.files, path))
        for path, source in sorted(site.copies.items()):
            self._add(
                files,
                File.generated(config, path, abs_src_path=str(source), inclusion=included),
            )
        return files

    @staticmethod
    def _add(files: Files, file: File) -> None:
        existing = files.get_file_from_path(file.src_uri)
        if existing is not None:
            log.warning(
                "secdocs: %s exists in docs/ and is replaced by the generated one", file.src_uri
            )
            files.remove(existing)
        files.append(file)

    def on_page_markdown(
        self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        """Lift secdocs' HTML blocks out of generated pages before Markdown runs."""
        if self.publisher is not None:
            cached = self.publisher.page_markdown(page)
            if cached is not None:
                return cached
        if page.file.src_uri not in self._generated:
            return markdown
        if _is_component_page(page.file.src_uri):
            # Thousands of components per release would swamp the search index.
            page.meta["search"] = {"exclude": True}
        token = f"SECDOCSBLOCK{secrets.token_hex(12)}N"
        lifted, blocks = lift_blocks(markdown, token)
        if blocks:
            self._blocks[page.file.src_uri] = (token, blocks)
        return lifted

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        lifted = self._blocks.pop(page.file.src_uri, None)
        if lifted is None:
            return html
        token, blocks = lifted
        if self.spill is not None:
            # MkDocs reads every page before it writes any: until this page is written, its
            # blocks wait on disk (restored by _restore_spilled_blocks).
            self._spilled[page.file.src_uri] = (token, self.spill.blocks(blocks))
            return html
        return restore_blocks(html, token, blocks)

    @event_priority(100)  # before the search plugin indexes the page
    def _restore_spilled_blocks(
        self, context: Any, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> Any:
        spilled = self._spilled.pop(page.file.src_uri, None)
        if spilled is not None and page.content is not None:
            token, path = spilled
            page.content = restore_blocks(page.content, token, SpillFolder.read_blocks(path))
        return context

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        """Keep per-release pages out of the navigation (Material repeats it on every page)."""
        if self.site is None:
            return nav
        nav.items = _prune(nav.items)
        nav.pages = [p for p in nav.pages if not _is_release_page(p.file.src_uri)]
        present = {p.file.src_uri for p in nav.pages}
        for title, path in self.site.nav:
            if path in present:
                continue
            file = files.get_file_from_path(path)
            if file is None:
                continue
            page = file.page or Page(title, file, config)
            page.title = title
            nav.items.append(page)
            nav.pages.append(page)
        _link_neighbours(nav.pages)
        self._nav = nav
        return nav

    # -- finished pages from the cache (secdocs.pagecache) --------------------------------------

    def on_env(self, env: Any, *, config: MkDocsConfig, files: Files) -> Any:
        publisher = self.publisher
        if publisher is None or self._nav is None:
            return env
        if not publisher.attach_search(config.plugins):
            log.info("secdocs: an unknown search plugin runs; release pages are all rendered")
            self.publisher = None
            return env
        import jinja2
        from mkdocs.commands.build import _populate_page

        def render_page(page: Page, markdown: str) -> None:
            page.file.content_string = markdown
            _populate_page(page, config, files)

        try:
            publisher.check(self._nav, files, render_page)
        except RuntimeError as exc:
            raise PluginError(f"secdocs: {exc}") from exc
        env.loader = jinja2.ChoiceLoader([jinja2.DictLoader({pagecache.TEMPLATE: ""}), env.loader])
        return env

    @event_priority(-100)  # after the search plugin indexed the page
    def _page_cache_context(
        self, context: Any, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> Any:
        if self.publisher is not None:
            try:
                self.publisher.page_context(page)
            except RuntimeError as exc:
                raise PluginError(f"secdocs: {exc}") from exc
        return context

    on_page_context = CombinedEvent(_restore_spilled_blocks, _page_cache_context)

    @event_priority(-100)  # the page's output as MkDocs writes it
    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        if self.publisher is not None:
            try:
                output = self.publisher.post_page(output, page)
            except RuntimeError as exc:
                raise PluginError(f"secdocs: {exc}") from exc
        if page.file.src_uri in self._generated:
            # Written: the HTML of a generated page is not needed again (keeps memory flat).
            page.content = None
        return output

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if self.publisher is not None and self._nav is not None:
            self.publisher.post_build(self._nav)
        self.publisher = None
        self._close_spill()

    def on_build_error(self, *, error: Exception) -> None:
        self._close_spill()

    def _close_spill(self) -> None:
        if self.spill is not None:
            self.spill.close()
        self.spill = None
        self._spilled.clear()


def _generated(
    config: MkDocsConfig,
    contents: Mapping[str, str | bytes],
    path: str,
    included: InclusionLevel = InclusionLevel.INCLUDED,
) -> File:
    """A generated file: from its spilled copy on disk when there is one (nothing in memory).

    Generated files are always published, even under dot-folders (``.well-known/``) that MkDocs
    excludes from docs/ by default; pages may be ``NOT_IN_NAV`` under an explicit ``nav``."""
    if isinstance(contents, Spilled) and path in contents:
        return File.generated(
            config, path, abs_src_path=str(contents.path(path)), inclusion=included
        )
    content = contents.get(path, "")  # "": a page served from the page cache
    return File.generated(config, path, content=content, inclusion=included)


def _publisher(settings: Config, config: MkDocsConfig, project: str) -> Publisher | None:
    if settings.cache_dir is None:
        return None
    store = PageStore(settings.cache_dir / "pages")
    return Publisher(store, render_digest(config), project, config.use_directory_urls)


def _link_neighbours(pages: list[Page]) -> None:
    """Previous/next links follow the pruned navigation, not the full list of files."""
    for index, page in enumerate(pages):
        page.previous_page = pages[index - 1] if index > 0 else None
        page.next_page = pages[index + 1] if index + 1 < len(pages) else None


THEME_DIR = Path(__file__).resolve().parent / "theme"


def _keep_requests_local(config: MkDocsConfig) -> None:
    """No page may ask another origin for anything: turn off Material's Google Fonts and its
    repository facts (stars, forks) fetched from the hosting service's API."""
    theme = config.theme
    if theme.name != "material":
        return
    font = theme.get("font")
    if font and font != {"text": "Roboto", "code": "Roboto Mono"}:
        log.warning(
            "secdocs: theme.font %r would be loaded from Google Fonts; it is turned off so "
            "that no page makes a request to another origin (self-host fonts with extra_css)",
            font,
        )
    theme["font"] = False
    where = str(THEME_DIR)
    if where not in theme.dirs:
        theme.dirs.insert(1 if theme.custom_dir else 0, where)


def _is_component_page(src_uri: str) -> bool:
    return src_uri.startswith("releases/") and src_uri.endswith(("/sbom.md", "/sbom-diff.md"))


def _is_release_page(src_uri: str) -> bool:
    return src_uri.startswith("releases/") and src_uri != "releases/index.md"


def _prune(items: Iterable[Any]) -> list[Any]:
    kept = []
    for item in items:
        if isinstance(item, Section):
            item.children = _prune(item.children)
            if item.children:
                kept.append(item)
        elif isinstance(item, Page) and _is_release_page(item.file.src_uri):
            continue
        else:
            kept.append(item)
    return kept


def _raw_delta_files(files: Files, settings: Config, config: MkDocsConfig) -> list[File]:
    """Threat-model delta sources inside ``docs/``: secdocs renders them per release (escaped,
    validated, from each tag's tree), so the working-tree copies are not built as raw pages."""
    block = settings.options.threat_model
    folder = block.delta_folder
    if not folder:
        folder = str(block.delta_path).split("{", 1)[0].rsplit("/", 1)[0]
    root = (settings.repo / folder).resolve()
    docs = Path(config.docs_dir).resolve()
    if root == docs or docs not in root.parents:
        return []
    return [
        f
        for f in files.documentation_pages()
        if f.abs_src_path and root in Path(f.abs_src_path).resolve().parents
    ]


def _failures(site: SiteContent, strict_from: str | None) -> list[str]:
    lines = []
    for report in site.reports:
        if is_strict_for(report.release, strict_from):
            lines += [f"  {line}" for line in failures(report, True)]
    return lines


def _asset_names() -> list[str]:
    from importlib.resources import files as package_files

    folder = package_files("secdocs").joinpath("assets")
    return [e.name for e in folder.iterdir() if e.is_file() and not e.name.startswith(".")]
