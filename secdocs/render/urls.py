"""Relative URLs between generated pages and files, as MkDocs will publish them."""

from __future__ import annotations

import posixpath


def page_dir(md_path: str, directory_urls: bool) -> str:
    """The URL folder a page is served from (docs-relative, ``""`` for the root)."""
    stem, _ = posixpath.splitext(md_path)
    if not directory_urls:
        return posixpath.dirname(md_path)
    if posixpath.basename(stem) in ("index", "README"):
        return posixpath.dirname(stem)
    return stem


def page_href(md_path: str, directory_urls: bool) -> str:
    """The docs-relative URL of a page."""
    stem, _ = posixpath.splitext(md_path)
    if not directory_urls:
        return f"{stem}.html"
    folder = page_dir(md_path, directory_urls)
    return f"{folder}/" if folder else "./"


def relative_url(from_md: str, to: str, directory_urls: bool) -> str:
    """URL from page ``from_md`` to ``to``: a page (``.md``) or a plain file, both docs-relative."""
    target = page_href(to, directory_urls) if to.endswith(".md") else to
    base = page_dir(from_md, directory_urls) or "."
    trailing = "/" if target.endswith("/") else ""
    rel = posixpath.relpath(target.rstrip("/") or ".", base)
    if rel == ".":
        return "./"
    return f"{rel}{trailing}"


def md_link(from_md: str, to_md: str) -> str:
    """A Markdown link target between two pages: MkDocs resolves ``.md`` paths itself."""
    return posixpath.relpath(to_md, posixpath.dirname(from_md) or ".")
