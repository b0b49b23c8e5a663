"""secdocs' option layer, built on MkDocs' own configuration classes.

Every option of the ``secdocs`` block is declared once, as a :mod:`mkdocs.config.config_options`
field of a :class:`Options` subclass next to the evidence kind that reads it. MkDocs validates
the plugin's block through those classes, and the CLI validates the same block through the same
classes (:func:`secdocs.config.from_mapping`), so ``mkdocs build`` and ``secdocs verify`` agree.

Two things differ from MkDocs' defaults, on purpose:

* every error is reported, not only the first one, each as ``dotted.key: what is wrong``;
* unknown keys and warnings are errors, and an unknown key names the known ones.

Options that name a file in the repository check that it exists while the configuration loads
(:class:`RepoFile`); paths read from each release's own tree are checked for shape only
(:class:`TagPath`).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any, Generic, TypeVar

from mkdocs.config import config_options as c
from mkdocs.config.base import BaseConfigOption, Config, ValidationError

from secdocs.errors import ConfigError, SecdocsError, printable

T = TypeVar("T")
O = TypeVar("O", bound="Options")  # noqa: E741

#: the repository root while a configuration is validated (files named by options live there)
_ROOT: ContextVar[Path | None] = ContextVar("secdocs_option_root", default=None)
MAX_TEXT = 4096


class ConfigErrors(ConfigError):
    """Every error of one configuration, each a ``(dotted key, message)`` pair."""

    def __init__(self, errors: Sequence[tuple[str, str]]) -> None:
        self.errors = tuple((printable(k), printable(m)) for k, m in errors)
        key, message = self.errors[0]
        super().__init__(key, message)
        self.args = ("\n".join(self.lines()),)

    def lines(self) -> list[str]:
        return [f"config: {key}: {message}" for key, message in self.errors]

    def __str__(self) -> str:
        return "\n".join(self.lines())


class Nested(ValidationError):
    """The errors of a block, with keys relative to the block."""

    def __init__(self, errors: Sequence[tuple[str, str]]) -> None:
        self.errors = list(errors)
        super().__init__("; ".join(f"{k}: {m}" for k, m in errors))


def flatten(key: str, exc: Exception) -> list[tuple[str, str]]:
    """``(dotted key, message)`` pairs of one failed option (nested blocks expanded)."""
    if isinstance(exc, Nested):
        return [(f"{key}{k}" if k.startswith("[") else f"{key}.{k}", m) for k, m in exc.errors]
    return [(key, str(exc))]


def unknown_key_message(key: str, known: Sequence[str]) -> str:
    close = difflib.get_close_matches(key, known, n=1)
    hint = f" (did you mean {close[0]}?)" if close else ""
    return f"unknown option{hint}; known: {', '.join(known) or '(none)'}"


@contextmanager
def repository_root(root: Path | None) -> Iterator[None]:
    """Files named by options are looked up under ``root`` while the block is validated."""
    token = _ROOT.set(root)
    try:
        yield
    finally:
        _ROOT.reset(token)


def current_root() -> Path | None:
    """The repository root of the configuration being validated (``None`` outside)."""
    return _ROOT.get()


class Options(Config):  # type: ignore[no-untyped-call]
    """Base of every secdocs option class.

    Subclasses declare fields as MkDocs config options. Schemas of several bases are merged (so
    the plugin's class is the union of the kinds' classes), every failing field is reported, and
    unknown keys are errors. :meth:`check` holds rules across fields.
    """

    def __init_subclass__(cls) -> None:
        schema: dict[str, BaseConfigOption[Any]] = {}
        for base in cls.__mro__:  # a subclass's field wins; the first base's fields come first
            for name, attr in vars(base).items():
                if isinstance(attr, BaseConfigOption):
                    schema.setdefault(getattr(attr, "_name", name), attr)
        cls._schema = tuple(schema.items())

    def _validate(self) -> tuple[list[tuple[str, Exception]], list[tuple[str, str]]]:
        failed: list[tuple[str, Exception]] = []
        for key, option in self._schema:
            try:
                self[key] = option.validate(self.get(key))
            except ValidationError as exc:
                # one entry per error, with its dotted key (MkDocs prints one line each)
                failed.extend((k, ValidationError(m)) for k, m in flatten(key, exc))
            # warnings are errors: a configuration either means one thing or is refused
            failed.extend((key, ValidationError(w)) for w in option.warnings)
            option.reset_warnings()
        known = sorted(self._schema_keys)
        for key in sorted((k for k in self.keys() if k not in self._schema_keys), key=str):
            failed.append((str(key), ValidationError(unknown_key_message(str(key), known))))
        if not failed:
            failed.extend((k, ValidationError(m)) for k, m in self.check())
        return failed, []

    def errors(self) -> list[tuple[str, str]]:
        """Validate, returning every ``(dotted key, message)`` pair."""
        failed, _warnings = self.validate()
        return [pair for key, exc in failed for pair in flatten(key, exc)]

    def check(self) -> list[tuple[str, str]]:
        """Rules across fields, as ``(key, message)`` pairs. Runs when every field is valid."""
        return []

    def named_files(self) -> Iterator[str]:
        """Every working-tree file the validated options name (for cache keys)."""
        for key, option in self._schema:
            yield from files_named(option, self.get(key))

    def as_data(self) -> dict[str, Any]:
        """The validated values as plain data (for fingerprints and messages)."""
        return {key: _plain(self.get(key)) for key, _option in self._schema}


def files_named(option: BaseConfigOption[Any], value: object) -> Iterator[str]:
    """The working-tree files a validated ``value`` of ``option`` names."""
    method = getattr(option, "named_files", None)
    if method is not None and value is not None:
        yield from method(value)


def _plain(value: object) -> object:
    if isinstance(value, Options):
        return value.as_data()
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, Path):
        return str(value)
    return value


def validate_block(cls: type[O], value: object, prefix: str = "", config_file_path: str = "") -> O:
    """An :class:`Options` instance of ``value``, or :class:`ConfigErrors` with every error,
    keys prefixed with ``prefix`` (the block's own dotted key)."""
    if value is None:
        value = {}
    if not isinstance(value, Mapping):
        message = f"expected a block of options, got {_describe(value)}"
        raise ConfigErrors([(prefix or "secdocs", message)])
    options = cls(config_file_path=config_file_path)
    options.load_dict(dict(value))
    errors = options.errors()
    if errors:
        raise ConfigErrors([(f"{prefix}.{k}" if prefix else k, m) for k, m in errors])
    return options


class Block(c.SubConfig[O], Generic[O]):
    """A nested block of options (``changelog: {path: …}``).

    ``shorthand`` names the field a bare string stands for (``changelog: CHANGELOG.md``);
    without it a scalar is refused with the block form in the message. ``optional`` blocks are
    ``None`` when absent; others get their defaults.
    """

    def __init__(
        self,
        config_class: type[O],
        *,
        example: str,
        shorthand: str | None = None,
        optional: bool = False,
    ) -> None:
        super().__init__(config_class)
        self.config_class = config_class
        self.example = example
        self.shorthand = shorthand
        self.optional = optional
        self.default = None

    def run_validation(self, value: object) -> O:
        if value is None:
            if self.optional:
                return None  # type: ignore[return-value]
            value = {}
        if isinstance(value, str) and self.shorthand is not None:
            value = {self.shorthand: value}
        if not isinstance(value, Mapping):
            raise ValidationError(
                f"expected a block of options, got {_describe(value)}; write it as {self.example}"
            )
        block = self.config_class(config_file_path=self._config_file_path)
        block.load_dict(dict(self.prepare(value)))
        failed, _warnings = block.validate()
        errors = [pair for key, exc in failed for pair in flatten(key, exc)]
        if errors:
            raise Nested(errors)
        return block

    def named_files(self, value: Options) -> Iterator[str]:
        yield from value.named_files()

    def prepare(self, value: Mapping[str, Any]) -> Mapping[str, Any]:
        """Hook to rewrite a block before validation (for example to merge a file it names)."""
        return value


def _describe(value: object) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, str):
        return f"the text {printable(value[:60])!r}"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    return type(value).__name__


class Text(BaseConfigOption[str]):
    """A non-empty single-line string (``None`` allowed when there is no default)."""

    def __init__(
        self, default: str | None = None, *, blank: bool = False, max_length: int = MAX_TEXT
    ) -> None:
        super().__init__()
        self.default = default
        self.blank = blank
        self.max_length = max_length

    def run_validation(self, value: object) -> str:
        if value is None:
            return value  # type: ignore[return-value]
        if not isinstance(value, str):
            raise ValidationError(f"expected text, got {_describe(value)}")
        if not value.strip() and not self.blank:
            raise ValidationError("expected text, got an empty string")
        if len(value) > self.max_length:
            raise ValidationError(f"longer than {self.max_length} characters")
        return value


class Flag(BaseConfigOption[bool]):
    def __init__(self, default: bool) -> None:
        super().__init__()
        self.default = default

    def run_validation(self, value: object) -> bool:
        if not isinstance(value, bool):
            raise ValidationError(f"expected true or false, got {_describe(value)}")
        return value


class Number(BaseConfigOption[int]):
    """A whole number within ``[minimum, maximum]``."""

    def __init__(
        self,
        default: int | None,
        *,
        minimum: int | None = None,
        maximum: int | None = None,
        meaning: str = "a whole number",
    ) -> None:
        super().__init__()
        self.default = default
        self.minimum = minimum
        self.maximum = maximum
        self.meaning = meaning

    def run_validation(self, value: object) -> int:
        if value is None and self.default is None:
            return value  # type: ignore[return-value]
        in_range = (
            isinstance(value, int)
            and not isinstance(value, bool)
            and (self.minimum is None or value >= self.minimum)
            and (self.maximum is None or value <= self.maximum)
        )
        if not in_range:
            raise ValidationError(f"expected {self.meaning}, got {_describe(value)}")
        return value  # type: ignore[return-value]


class OneOf(BaseConfigOption[str]):
    def __init__(self, choices: Sequence[str], default: str | None) -> None:
        super().__init__()
        self.choices = tuple(choices)
        self.default = default

    def run_validation(self, value: object) -> str:
        if value is None and self.default is None:
            return value  # type: ignore[return-value]
        if not isinstance(value, str) or value not in self.choices:
            close = difflib.get_close_matches(str(value), self.choices, n=1)
            hint = f" (did you mean {close[0]}?)" if close else ""
            raise ValidationError(
                f"expected one of {', '.join(self.choices)}, got {_describe(value)}{hint}"
            )
        return value


class ListOf(BaseConfigOption[tuple[T, ...]], Generic[T]):
    """A list of items checked by ``item``; a single value stands for a one-item list when
    ``single`` is true. Errors name the item (``key[2]``)."""

    def __init__(self, item: BaseConfigOption[T], *, single: bool = True) -> None:
        super().__init__()
        self.item = item
        self.single = single
        self.default = None

    def run_validation(self, value: object) -> tuple[T, ...]:
        if value is None:
            return ()
        if self.single and not isinstance(value, list | Mapping):
            value = [value]
        if not isinstance(value, list):
            raise ValidationError(f"expected a list, got {_describe(value)}")
        items: list[T] = []
        errors: list[tuple[str, str]] = []
        for index, entry in enumerate(value):
            try:
                items.append(self.item.validate(entry))
            except ValidationError as exc:
                errors.extend(flatten(f"[{index}]", exc))
        if errors:
            raise Nested(errors)
        return tuple(items)

    def named_files(self, value: tuple[T, ...]) -> Iterator[str]:
        for item in value:
            yield from files_named(self.item, item)


class Checked(BaseConfigOption[T], Generic[T]):
    """An option checked by a function that returns the value or raises ``ValueError``."""

    def __init__(self, check: Callable[[object], T], default: T | None = None) -> None:
        super().__init__()
        self.check = check
        self.default = default

    def run_validation(self, value: object) -> T:
        if value is None:
            return value  # type: ignore[return-value]
        try:
            return self.check(value)
        except (ValueError, SecdocsError) as exc:
            raise ValidationError(str(exc)) from exc


def _relative(value: object, what: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(f"expected the path of {what} relative to the repository")
    if value.startswith("/") or "\\" in value or any(ord(ch) < 32 for ch in value):
        raise ValidationError(f"{printable(value)!r} must be a relative POSIX path")
    if ".." in value.split("/"):
        raise ValidationError(f"{printable(value)!r} must not contain '..'")
    return value.strip("/") if value.endswith("/") else value


class TagPath(BaseConfigOption[str]):
    """A path (or glob, or ``{tag}``/``{version}`` template) read from each release's own tree:
    its shape is checked, its existence is a per-release finding."""

    def __init__(self, default: str | None = None, what: str = "a file") -> None:
        super().__init__()
        self.default = default
        self.what = what

    def run_validation(self, value: object) -> str:
        if value is None:
            return value  # type: ignore[return-value]
        return _relative(value, self.what)


class RepoFile(BaseConfigOption[str]):
    """A file (or folder) in the working tree of the repository, which must exist."""

    def __init__(self, what: str = "a file", *, folder: bool = False) -> None:
        super().__init__()
        self.what = what
        self.folder = folder

    def run_validation(self, value: object) -> str:
        if value is None:
            return value  # type: ignore[return-value]
        relative = _relative(value, self.what)
        root = _ROOT.get()
        if root is None:
            return relative
        path = root / relative
        exists = path.is_dir() if self.folder else path.is_file()
        if not exists:
            where = "folder" if self.folder else "file"
            raise ValidationError(
                f"{self.what} {printable(relative)!r} does not exist in {printable(str(root))} "
                f"(create the {where} or correct the path; paths are relative to the repository)"
            )
        try:
            path.resolve().relative_to(root.resolve())
        except ValueError as exc:
            raise ValidationError(
                f"{printable(relative)!r} leaves the repository (a symbolic link?)"
            ) from exc
        return relative

    def named_files(self, value: str) -> Iterator[str]:
        yield value


_PLACEHOLDER = re.compile(r"\{(tag|version)\}")


def fill_placeholders(pattern: str, tag: str, version: str, *, regex: bool) -> str:
    """``pattern`` with ``{tag}``/``{version}`` replaced (escaped for a regular expression)."""
    quote: Callable[[str], str] = re.escape if regex else str
    return _PLACEHOLDER.sub(lambda m: quote(tag if m.group(1) == "tag" else version), pattern)


class Pattern(Text):
    """A regular expression that may contain ``{tag}`` and ``{version}``."""

    def run_validation(self, value: object) -> str:
        text = super().run_validation(value)
        if text is not None:
            try:
                re.compile(fill_placeholders(text, "v0", "0", regex=True))
            except re.error as exc:
                raise ValidationError(f"invalid regular expression: {exc}") from exc
        return text


class Https(Text):
    """An ``https://`` URL ("" counts as unset)."""

    def run_validation(self, value: object) -> str:
        if value == "":
            return None  # type: ignore[return-value]
        text = super().run_validation(value)
        if text is not None:
            text = text.strip()
            if not text.startswith("https://") or any(ch.isspace() for ch in text):
                raise ValidationError(f"expected an https:// URL, got {printable(text)!r}")
        return text
