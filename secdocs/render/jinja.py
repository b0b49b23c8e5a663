"""The Jinja2 environment every secdocs page is rendered with.

Templates ship in ``secdocs/templates/``. A site overrides any of them the way Material lets
it override partials: a file of the same name under ``<theme.custom_dir>/secdocs/`` is found
first. Autoescaping is on, and every value a template prints that is not already
:class:`~markupsafe.Markup` goes through :func:`secdocs.render.html.esc` (HTML *and* Markdown
punctuation escaped, control characters replaced), so evidence is inert wherever it lands.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from jinja2 import (
    BaseLoader,
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    PackageLoader,
    StrictUndefined,
    Template,
    pass_context,
)
from jinja2.runtime import Context
from markupsafe import Markup

from secdocs.render.escape import esc

#: the folder of a theme's ``custom_dir`` whose files replace secdocs' templates
OVERRIDE_DIR = "secdocs"

_lock = threading.Lock()
_state: dict[str, Environment] = {}
_override: list[Path] = []


def _escape(template_name: str | None, value: object) -> Markup:
    """Escape a value ``template_name`` prints (a seam the hostile-input tests record)."""
    return esc(value)


@pass_context
def _heading(context: Context, value: object) -> Markup:
    """Text for a Markdown heading: escaped, on one line."""
    return _escape(context.name, str(value).replace("\n", " ").replace("\r", " "))


@pass_context
def _finalize(context: Context, value: object) -> object:
    if hasattr(value, "__html__"):
        return value
    return _escape(context.name, value)


def _environment(overrides: list[Path]) -> Environment:
    loaders: list[BaseLoader] = [FileSystemLoader(str(path)) for path in overrides]
    loaders.append(PackageLoader("secdocs", "templates"))
    env = Environment(
        loader=ChoiceLoader(loaders),
        autoescape=True,
        finalize=_finalize,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        auto_reload=False,
    )
    env.filters["heading"] = _heading
    return env


def use_theme(custom_dir: str | Path | None) -> None:
    """Look for overrides in ``custom_dir/secdocs/`` first (``None``: the shipped templates)."""
    overrides = [Path(custom_dir) / OVERRIDE_DIR] if custom_dir else []
    with _lock:
        if overrides != _override or "env" not in _state:
            _override[:] = overrides
            _state["env"] = _environment(overrides)
            _macros.clear()


def environment() -> Environment:
    with _lock:
        env = _state.get("env")
        if env is None:
            env = _state["env"] = _environment(list(_override))
        return env


def template(name: str) -> Template:
    return environment().get_template(name)


def render(name: str, /, **context: Any) -> Markup:
    """Render ``name`` with ``context``; the result is safe HTML."""
    return Markup(template(name).render(**context))  # noqa: S704  # nosec B704 - autoescaped


_macros: dict[str, Any] = {}


def macros(name: str = "macros.html") -> Any:
    """The macros of a template, callable from Python (each returns :class:`Markup`)."""
    module = _macros.get(name)
    if module is None:
        module = _macros[name] = template(name).module
    return module
