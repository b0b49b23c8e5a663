"""YAML front matter at the top of a Markdown file (threat-model deltas, advisories)."""

from __future__ import annotations


class UnclosedFrontMatter(ValueError):
    """The file opens front matter with ``---`` and never closes it."""


def split_front_matter(text: str) -> tuple[str | None, str, int]:
    """``(front matter or None, body, number of file lines before the body)``.

    Front matter opens with ``---`` on the first line and closes with ``---`` or ``...``; CRLF line
    ends are read as LF (line numbers do not change).
    """
    text = text.replace("\r\n", "\n")
    lines = text.split("\n")
    if lines[0].rstrip() != "---":
        return None, text, 0
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            return "\n".join(lines[1:index]), "\n".join(lines[index + 1 :]), index + 1
    raise UnclosedFrontMatter
