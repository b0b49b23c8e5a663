"""Finished release pages from the cache: a rebuild renders only the releases that changed.

MkDocs renders every page on every build. With ``cache_dir`` set, secdocs keeps the finished
HTML of each release's pages (the release page, its SBOM component page, …), as MkDocs wrote
them, with their search-index entries and the Markdown they came from. On the next build a
release whose *page key* is in the cache is not rendered again:

- secdocs does not generate its Markdown; the pages are added to MkDocs' files with an empty
  body, so MkDocs reads and converts nothing, renders them with an empty template and runs no
  search indexing on them;
- the finished HTML is put back as the page's output (the last ``on_post_page`` step), and the
  search entries are put back where the search plugin would have added them, so the site,
  ``sitemap.xml`` and ``search_index.json`` are byte-identical to a clean build.

The page key covers everything the finished HTML depends on:

- the release's cache key (the report: secdocs' code, collectors, options and the files they
  name, the tag, the evidence digests, the previous release's key) and the release itself,
  including its neighbours (the page links to the next release);
- the page inputs that are not part of the report: project name, ``use_directory_urls``;
- the whole MkDocs configuration as loaded (theme and its options, ``custom_dir`` contents,
  Markdown extensions, every plugin with its configuration and version, extra CSS/JS,
  ``extra``, site name and URLs, ``nav``, hooks), MkDocs' and the theme's versions and
  ``SOURCE_DATE_EPOCH``.

The navigation (Material writes it into every page) is only known once MkDocs has read every
page, so it is checked then: each entry records the navigation it was rendered with, and an
entry whose navigation or place in it differs is rendered from its stored Markdown instead.
Pages whose Markdown has Markdown links (MkDocs resolves those against the other files) are
never cached.

Blobs are content-addressed (their name is their SHA-256, checked on every read), so a corrupt
or truncated file is detected and the page is rendered instead. Like the report cache, the
folder must be as trusted as the build host; it is always safe to delete.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from types import ModuleType
from typing import Any

from secdocs.cache import code_digest
from secdocs.model import Release
from secdocs.safety import write_atomically

log = logging.getLogger("mkdocs.plugins.secdocs")

FORMAT = "secdocs-pages-1"
#: the template cached pages are rendered with: nothing (their HTML comes from the cache)
TEMPLATE = "secdocs-cached-page.html"
#: MkDocs options that do not change any page's HTML
_NOT_IN_HTML = frozenset(
    {
        "config_file_path",
        "site_dir",
        "docs_dir",
        "dev_addr",
        "strict",
        "watch",
        "remote_branch",
        "remote_name",
        "theme",
        "plugins",
        "hooks",
    }
)
_PACKAGES = ("mkdocs", "mkdocs-material", "markdown", "pymdown-extensions", "jinja2", "pygments")
#: a Markdown link or image (inline or reference definition) outside secdocs' HTML blocks
_MARKDOWN_LINK = re.compile(r"\]\(|^\s{0,3}\[[^\]]+\]:", re.M)


def _plain(value: object) -> object:
    """A JSON-able, stable form of a configuration value."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, set | frozenset):
        return sorted(json.dumps(_plain(v), sort_keys=True) for v in value)
    # ExtraScriptValue, Locale, …: their text form is their value. An object whose text form
    # holds its address only makes the key miss, never match wrongly.
    return f"{type(value).__module__}.{type(value).__qualname__}:{value}"


def _version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "unknown"


def _tree_digest(root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.is_file():
            digest.update(str(path.relative_to(root)).encode() + b"\x00")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _installed(path: Path) -> bool:
    return any(part in ("site-packages", "dist-packages") for part in path.parts)


def _theme(theme: Any) -> object:
    dirs = []
    for folder in getattr(theme, "dirs", []):
        path = Path(folder).resolve()
        # Installed themes are covered by their package versions; a custom_dir by its files.
        dirs.append(path.parent.name + "/" + path.name if _installed(path) else _tree_digest(path))
    options = _plain(dict(theme.items()))
    return {"name": getattr(theme, "name", None), "options": options, "dirs": dirs}


def _plugins(plugins: Mapping[str, Any]) -> object:
    found: list[list[object]] = []
    for name, plugin in plugins.items():
        if isinstance(plugin, ModuleType):  # a hook: see render_digest
            found.append([name, _file_digest(getattr(plugin, "__file__", None))])
            continue
        cls = type(plugin)
        top = cls.__module__.split(".")[0]
        config = getattr(plugin, "config", {})
        found.append(
            [
                name,
                f"{cls.__module__}.{cls.__qualname__}",
                _version(top.replace("_", "-")) if top != "secdocs" else "",
                _plain(dict(config.items()) if isinstance(config, Mapping) else str(config)),
                _project_code(cls.__module__),
            ]
        )
    return found


def _project_code(module: str) -> str:
    """The digest of a plugin's source when it is a file of the project (MkDocs hooks)."""
    name = getattr(sys.modules.get(module), "__file__", None)
    if not name or _installed(Path(name)):
        return ""
    return _file_digest(name)


def _file_digest(name: str | None) -> str:
    if not name:
        return ""
    try:
        return hashlib.sha256(Path(name).read_bytes()).hexdigest()
    except OSError:
        return "unreadable"


def render_digest(config: Mapping[str, Any]) -> str:
    """A digest of everything on the MkDocs side that a page's finished HTML depends on."""
    payload = {
        "format": FORMAT,
        "config": {k: _plain(v) for k, v in config.items() if k not in _NOT_IN_HTML},
        "theme": _theme(config["theme"]),
        "plugins": _plugins(config["plugins"]),
        # MkDocs hooks: modules loaded from files of the project
        "hooks": {
            str(name): _file_digest(getattr(hook, "__file__", None))
            for name, hook in dict(config.get("hooks") or {}).items()
        },
        "versions": {name: _version(name) for name in _PACKAGES},
        "python": sys.version,
        "source_date_epoch": os.environ.get("SOURCE_DATE_EPOCH"),
        "secdocs": code_digest(),
    }
    blob = json.dumps(payload, sort_keys=True, default=str).encode()
    return hashlib.sha256(blob).hexdigest()


def page_key(
    render: str, release_key: str, release: Release, project: str, directory_urls: bool
) -> str:
    """The key of a release's finished pages (see the module doc for what it covers)."""
    digest = hashlib.sha256()
    for part in (FORMAT, render, release_key, repr(release), project, repr(directory_urls)):
        digest.update(part.encode())
        digest.update(b"\x00")
    return digest.hexdigest()


def nav_digest(nav: Any) -> str:
    """The navigation as the theme renders it into every page: structure, titles, URLs."""

    def walk(items: Iterable[Any]) -> list[object]:
        return [
            [
                type(item).__name__,
                str(item.title),
                getattr(item, "url", None),
                walk(getattr(item, "children", None) or []),
            ]
            for item in items
        ]

    homepage = getattr(nav, "homepage", None)
    payload = [walk(nav.items), getattr(homepage, "url", None)]
    return hashlib.sha256(json.dumps(payload).encode()).hexdigest()


def place(page: Any) -> list[object]:
    """Where a page sits relative to the navigation (its neighbours and parents)."""

    def url(other: Any) -> object:
        return getattr(other, "url", None) if other is not None else None

    return [
        url(page.previous_page),
        url(page.next_page),
        [str(getattr(a, "title", "")) for a in getattr(page, "ancestors", [])],
    ]


@dataclass
class Stored:
    """One page of a cache entry."""

    path: str
    html: str
    markdown: str
    search: str | None
    anchors: list[str]
    place: list[object]


@dataclass
class Entry:
    key: str
    nav: str
    pages: list[Stored]
    #: blob of the release's encoded ``evidence.json`` entry
    release_json: str = ""


class PageStore:
    """The files under ``<cache_dir>/pages``: one small index per key, content-addressed blobs."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _index(self, key: str) -> Path:
        return self.folder / "index" / key[:2] / f"{key}.json"

    def _blob(self, digest: str) -> Path:
        return self.folder / "blobs" / digest[:2] / digest

    def load(self, key: str) -> Entry | None:
        try:
            data = json.loads(self._index(key).read_bytes())
            pages = [
                Stored(
                    str(p["path"]),
                    str(p["html"]),
                    str(p["markdown"]),
                    None if p["search"] is None else str(p["search"]),
                    [str(a) for a in p["anchors"]],
                    list(p["place"]),
                )
                for p in data["pages"]
            ]
            if data["format"] != FORMAT or data["key"] != key:
                return None
            return Entry(key, str(data["nav"]), pages, str(data["release_json"]))
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def read(self, digest: str) -> bytes | None:
        """A blob, or None when it is missing or does not match its name."""
        try:
            blob = self._blob(digest).read_bytes()
        except OSError:
            return None
        return blob if hashlib.sha256(blob).hexdigest() == digest else None

    def write(self, blob: bytes) -> str:
        digest = hashlib.sha256(blob).hexdigest()
        path = self._blob(digest)
        if not path.exists():
            _atomic_write(path, blob)
        return digest

    def save(self, entry: Entry) -> None:
        data = {
            "format": FORMAT,
            "key": entry.key,
            "nav": entry.nav,
            "release_json": entry.release_json,
            "pages": [
                {
                    "path": p.path,
                    "html": p.html,
                    "markdown": p.markdown,
                    "search": p.search,
                    "anchors": p.anchors,
                    "place": p.place,
                }
                for p in entry.pages
            ],
        }
        _atomic_write(self._index(entry.key), json.dumps(data, sort_keys=True).encode())


def _atomic_write(path: Path, blob: bytes) -> None:
    try:
        write_atomically(path, blob)
    except OSError as exc:
        log.warning("secdocs: cannot write page cache file %s: %s", path, exc)


@dataclass
class _Captured:
    """A rendered release page on its way into the cache."""

    key: str
    record: Stored | None = None
    cacheable: bool = True


@dataclass
class Publisher:
    """One build's use of the page cache; the plugin forwards MkDocs events to it."""

    store: PageStore
    render: str
    project: str
    directory_urls: bool
    #: page path → the cache entry's page, for pages served from the cache
    reused: dict[str, Stored] = field(default_factory=dict)
    #: page key → the entry, for the entries in use
    entries: dict[str, Entry] = field(default_factory=dict)
    #: page path → key, for release pages rendered in this build (stored afterwards)
    captured: dict[str, _Captured] = field(default_factory=dict)
    #: page key → its pages in order
    release_pages: dict[str, list[str]] = field(default_factory=dict)
    #: page key → blob of the release's encoded evidence.json entry
    release_json: dict[str, str] = field(default_factory=dict)
    search: Any = None
    _mark: int = 0

    # -- on_files: which releases need rendering ------------------------------------------------

    def reuse(
        self, release: Release, release_key: str | None
    ) -> tuple[str, list[str] | None, EncodedRelease | None]:
        """The page key of a release; when the cache has them, its page paths and its encoded
        ``evidence.json`` entry."""
        if not release_key:
            return "", None, None
        key = page_key(self.render, release_key, release, self.project, self.directory_urls)
        entry = self.store.load(key)
        blob = self.store.read(entry.release_json) if entry is not None else None
        encoded = EncodedRelease.from_blob(blob) if blob is not None else None
        if entry is None or not entry.pages or encoded is None:
            return key, None, None
        self.entries[key] = entry
        paths = [p.path for p in entry.pages]
        for stored in entry.pages:
            self.reused[stored.path] = stored
        self.release_pages[key] = paths
        return key, paths, encoded

    def rendered(self, key: str, paths: Sequence[str], encoded: EncodedRelease) -> None:
        """A release's pages are rendered in this build: store them when they are written."""
        if not key:
            return
        self.release_pages[key] = list(paths)
        self.release_json[key] = self.store.write(encoded.blob())
        for path in paths:
            self.captured[path] = _Captured(key)

    # -- populate / on_env ----------------------------------------------------------------------

    def page_markdown(self, page: Any) -> str | None:
        """An empty body and the empty template for a page served from the cache."""
        if page.file.src_uri not in self.reused:
            return None
        page.meta["template"] = TEMPLATE
        page.meta["search"] = {"exclude": True}
        return ""

    def check(self, nav: Any, files: Any, render_page: Any) -> list[str]:
        """After every page is read: render again what the cache cannot serve. Returns the paths
        rendered now (``render_page(page, markdown)`` populates a page from its Markdown)."""
        current = nav_digest(nav)
        fallback = []
        for key, entry in list(self.entries.items()):
            good = entry.nav == current
            for stored in entry.pages:
                file = files.get_file_from_path(stored.path)
                if file is None or file.page is None:
                    good = False
                    continue
                good = good and stored.place == place(file.page)
                blobs = (stored.html, stored.search)
                good = good and all(self.store.read(b) is not None for b in blobs if b)
            if good:
                for stored in entry.pages:
                    page = files.get_file_from_path(stored.path).page
                    page.present_anchor_ids = set(stored.anchors)
                continue
            log.info("secdocs: cached pages of %s are out of date", entry.pages[0].path)
            del self.entries[key]
            for stored in entry.pages:
                self.reused.pop(stored.path, None)
                markdown = self.store.read(stored.markdown)
                file = files.get_file_from_path(stored.path)
                if markdown is None or file is None or file.page is None:
                    raise RuntimeError(
                        f"the page cache entry for {stored.path} is damaged; delete the cache "
                        "folder and build again"
                    )
                self.captured[stored.path] = _Captured(key)
                render_page(file.page, markdown.decode())
                fallback.append(stored.path)
        return fallback

    def attach_search(self, plugins: Mapping[str, Any]) -> bool:
        """Find the search index the theme writes; False when an unknown search plugin runs."""
        for name, plugin in plugins.items():
            index: Any = getattr(plugin, "search_index", None)
            entries = getattr(index, "entries", None)
            if isinstance(entries, list):
                self.search = index
                self._mark = len(entries)
                return True
            if "search" in name:
                return False
        return True

    # -- page building --------------------------------------------------------------------------

    def page_context(self, page: Any) -> None:
        """After the search plugin saw a page: take its entries, or put the cached ones back."""
        index = self.search
        if index is None:
            return
        entries: list[Any] = index.entries
        path = page.file.src_uri
        captured = self.captured.get(path)
        if captured is not None:
            new = entries[self._mark :]
            captured.record = Stored(path, "", "", self.store.write(_json(new)), [], [])
        stored = self.reused.get(path)
        if stored is not None and stored.search is not None:
            blob = self.store.read(stored.search)
            if blob is None:
                raise RuntimeError(f"the page cache lost {path}'s search entries while building")
            entries.extend(json.loads(blob))
        self._mark = len(entries)

    def post_page(self, output: str, page: Any) -> str:
        path = page.file.src_uri
        stored = self.reused.get(path)
        if stored is not None:
            blob = self.store.read(stored.html)
            if blob is None:
                raise RuntimeError(f"the page cache lost {path}'s HTML while building")
            return blob.decode()
        captured = self.captured.get(path)
        if captured is not None:
            markdown = page.file.content_string
            record = captured.record or Stored(path, "", "", None, [], [])
            record.html = self.store.write(output.encode())
            record.markdown = self.store.write(markdown.encode())
            record.anchors = sorted(page.present_anchor_ids or ())
            record.place = place(page)
            captured.record = record
            captured.cacheable = not _MARKDOWN_LINK.search(page.markdown or "")
        return output

    def post_build(self, nav: Any) -> int:
        """Write the index of every release whose pages were all rendered; how many."""
        current = nav_digest(nav)
        written = 0
        for key, paths in self.release_pages.items():
            if key in self.entries:
                continue
            captured = [self.captured.get(p) for p in paths]
            records = [c.record for c in captured if c is not None and c.cacheable and c.record]
            if len(records) != len(paths) or any(not r.html for r in records):
                continue
            self.store.save(Entry(key, current, records, self.release_json.get(key, "")))
            written += 1
        return written


def _json(value: object) -> bytes:
    # Key order kept: the search index is written in the order the entries were made.
    return json.dumps(value, separators=(",", ":")).encode()


# -- evidence.json from encoded releases ------------------------------------------------------

_SLOT = "\x00secdocs-releases\x00"


@dataclass(frozen=True)
class EncodedRelease:
    """A release's entry of ``evidence.json``, encoded once (``render.json.dumps`` of the entry,
    without the trailing newline), and the counts the document's summary adds up."""

    text: str
    status_counts: dict[str, int]
    assurance_counts: dict[str, int]

    @classmethod
    def of(cls, doc: Mapping[str, Any]) -> EncodedRelease:
        from secdocs.render.json import dumps

        def counts(key: str) -> dict[str, int]:
            value = doc.get(key)
            return {str(k): int(v) for k, v in value.items()} if isinstance(value, Mapping) else {}

        return cls(
            dumps(dict(doc)).rstrip("\n"), counts("status_counts"), counts("assurance_counts")
        )

    def blob(self) -> bytes:
        return json.dumps(
            [self.text, self.status_counts, self.assurance_counts], sort_keys=True
        ).encode()

    @classmethod
    def from_blob(cls, blob: bytes) -> EncodedRelease | None:
        try:
            text, statuses, assurances = json.loads(blob)
            return cls(
                str(text),
                {str(k): int(v) for k, v in dict(statuses).items()},
                {str(k): int(v) for k, v in dict(assurances).items()},
            )
        except (ValueError, TypeError):
            return None


def document_text(
    releases: Sequence[EncodedRelease],
    project: str | None,
    problems: Sequence[Any] = (),
    latest: str | None = None,
) -> str:
    """``render.json.dumps(render.json.document(...))`` from releases encoded beforehand: the
    releases are spliced into the document instead of being encoded again (two-space indent,
    so each release's lines move four spaces right inside ``"releases": [...]``)."""
    from secdocs.render.json import document, dumps

    summary: list[Mapping[str, Any]] = [
        {"status_counts": r.status_counts, "assurance_counts": r.assurance_counts} for r in releases
    ]
    doc = document(summary, project, problems, latest)
    if not releases:
        doc["releases"] = []
        return dumps(doc)
    doc["releases"] = [_SLOT]
    text = dumps(doc)
    slot = json.dumps(_SLOT, ensure_ascii=False)
    body = ",\n    ".join(r.text.replace("\n", "\n    ") for r in releases)
    head, found, tail = text.partition(slot)
    if not found:  # pragma: no cover - the slot is a plain string in a list
        raise RuntimeError("evidence.json: cannot place the releases")
    return head + body + tail
