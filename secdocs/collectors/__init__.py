"""The evidence-kind contract and its one registry, the ``secdocs.collectors`` entry points.

An evidence kind (a :class:`Collector`) declares on its class everything secdocs needs to know
about it — its options, the file roles it examines, its coverage column, whether it reads the tag's
tree, whether it runs per release — and implements the steps it takes part in: collect, compare,
render, site-wide pages, cross-checks. What it offers other kinds travels as a typed
:attr:`~secdocs.model.Findings.export`. Nothing about a kind is listed anywhere else.

Kinds are found through the entry-point group ``secdocs.collectors``. Those shipped with secdocs
always run; any other installed kind runs only when the configuration names it under
``collectors:``. Two entry points with one name are an error, never a silent choice.
"""

from __future__ import annotations

import abc
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib.metadata import EntryPoint, entry_points
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from secdocs.errors import ConfigError, EvidenceError
from secdocs.evidence import Rejected
from secdocs.git import GitRepo
from secdocs.model import EvidenceFile, Findings, Page, Problem, Release, ReleaseReport, Section
from secdocs.options import ConfigErrors, Options, validate_block
from secdocs.roles import BUILTIN_DISTRIBUTION, GROUP
from secdocs.roles import FileNames as FileNames
from secdocs.safety import check_relative, confined, read_limited

if TYPE_CHECKING:
    from secdocs.config import Config
    from secdocs.site import SiteContent


@dataclass(frozen=True, slots=True)
class Coverage:
    """A column of the releases index: the worst status of a release's items of ``role``."""

    role: str
    label: str
    #: left-to-right position among the index's coverage columns
    position: int


@dataclass(frozen=True)
class ReleaseContext:
    """What a collector may look at for one release."""

    release: Release
    previous: Release | None
    config: Config
    repo: GitRepo
    #: absolute path of the evidence folder, ``None`` when the release has none
    evidence_root: Path | None
    #: the folder relative to the repository, for messages and links
    evidence_dir: str
    files: tuple[EvidenceFile, ...]
    #: entries of the evidence folder that were refused (unsafe names, symlinks, over the limit)
    rejected: tuple[Rejected, ...] = ()
    #: the evidence ref's commit when the evidence lives on a git ref and this release has some
    evidence_commit: str | None = None
    #: artifacts known by name and SHA-256 (present files, checksum files, the digest list)
    digests: Mapping[str, str] = field(default_factory=dict)

    @property
    def has_evidence(self) -> bool:
        """Whether the release has an evidence folder (in the working tree or on the ref)."""
        return self.evidence_root is not None or self.evidence_commit is not None

    def read(self, file: EvidenceFile | str) -> bytes:
        """The bytes of an evidence file, bounded by ``max_file_size``; never leaves the folder."""
        name = file.name if isinstance(file, EvidenceFile) else file
        shown = f"{self.evidence_dir}/{name}"
        if self.evidence_commit is not None:
            check_relative(name, "path")
            data = self.repo.read(self.evidence_commit, shown, self.config.max_file_size)
            if data is None:
                raise EvidenceError(shown, "not in the evidence ref")
            return data
        if self.evidence_root is None:
            raise EvidenceError(name, "this release has no evidence folder")
        path = confined(self.evidence_root, name)
        return read_limited(path, self.config.max_file_size, shown)

    def read_at_tag(self, path: str) -> bytes | None:
        """A file from the release's own tree (not the working tree), ``None`` if absent."""
        return self.repo.read(self.release.commit, path, self.config.max_file_size)

    def files_with_role(self, *roles: str) -> tuple[EvidenceFile, ...]:
        return tuple(f for f in self.files if f.role in roles)

    def file(self, name: str) -> EvidenceFile | None:
        return next((f for f in self.files if f.name == name), None)


@dataclass(frozen=True)
class PageContext:
    """Where a release page lives, so renderers can build relative links."""

    release: Release
    #: relative URL prefix from the page to the release's published evidence files
    files_url: str
    #: map from evidence file name to the name it is published under
    published_names: Mapping[str, str]
    #: this page's path relative to the docs root (``releases/v1.0.0/index.md``)
    page_path: str = ""
    #: the site's ``use_directory_urls`` setting
    directory_urls: bool = True

    def file_url(self, name: str) -> str:
        return f"{self.files_url}{self.published_names.get(name, name)}"

    def page_url(self, target: str) -> str:
        """Relative URL from this page to another generated page (a docs-relative ``.md`` path)."""
        from secdocs.render.urls import relative_url

        return relative_url(self.page_path, target, self.directory_urls)


class Collector(abc.ABC):
    """An evidence kind. Subclasses set :attr:`name` and implement :meth:`collect` (a kind with
    ``per_release = False`` implements :meth:`contribute` or :meth:`site_pages` instead)."""

    name: ClassVar[str]
    #: order of the kind's sections on the release page and of its site pages (lower first)
    order: ClassVar[int] = 100
    #: the kind's options. A built-in kind's class is part of the ``secdocs`` block
    #: (:class:`secdocs.config.SecdocsConfig` inherits it); an installed kind's options sit under
    #: ``collectors: {name: {…}}`` and ``self.options`` is the validated instance (``None``: any
    #: mapping, passed as it is). Checked when the configuration loads, never per release.
    options_class: ClassVar[type[Options] | None] = None
    #: file roles (:class:`secdocs.model.Kind` values) of the evidence files this kind examines
    roles: ClassVar[tuple[str, ...]] = ()
    #: the file-name conventions whose files this kind claims, and the role each gets (the
    #: built-in kinds' claims make up :func:`secdocs.roles.classify`)
    claims: ClassVar[tuple[FileNames, ...]] = ()
    #: a rule for names no suffix describes: the role of a file this kind claims, else ``None``
    #: (tried before every kind's ``claims``)
    claim_rule: ClassVar[Callable[[str], str | None] | None] = None
    #: the releases-index column this kind fills, if any
    coverage: ClassVar[Coverage | None] = None
    #: reads files from the release's own tree (``ctx.read_at_tag``): their working-tree copies
    #: never invalidate cached releases (the commit in the release's cache key covers them)
    reads_tag_tree: ClassVar[bool] = False
    #: ``False`` for a kind that only adds site-wide pages and files (never runs per release)
    per_release: ClassVar[bool] = True

    def __init__(self, config: Config, options: Mapping[str, Any] | None = None) -> None:
        self.config = config
        self.options: Mapping[str, Any] = options or {}

    def collect(self, ctx: ReleaseContext) -> Findings:
        """Gather and check this release's evidence. Must not raise for bad input: bad input
        becomes items with a failed/unverifiable status or :class:`~secdocs.model.Problem` s."""
        raise NotImplementedError(f"the {self.name} kind does not run per release")

    def compare(self, previous: Findings | None, current: Findings) -> Findings:
        """Relate a release's findings to the previous release's (diffs). Default: unchanged."""
        return current

    def render(self, findings: Findings, page: PageContext) -> Sequence[Section]:
        """Sections for the release page. Every untrusted string must be escaped."""
        return ()

    def extra_pages(self, findings: Findings, page: PageContext, base: str) -> Sequence[Page]:
        """Further pages of one release, placed under ``base`` (for example a component table)."""
        return ()

    def site_pages(self, reports: Sequence[ReleaseReport]) -> Iterable[Page]:
        """Pages across all releases (for example a risk register). ``reports`` is newest first."""
        return ()

    def contribute(
        self, reports: Sequence[ReleaseReport], site: SiteContent, directory_urls: bool
    ) -> None:
        """Add site-wide pages, navigation entries and files to ``site`` (default: the pages of
        :meth:`site_pages`). ``reports`` is newest first."""
        for page in self.site_pages(reports):
            site.add_page(page)

    def cross_check(self, report: ReleaseReport) -> Sequence[Problem]:
        """Problems found by relating this kind's findings for one finished release to other
        kinds' typed exports. Adds problems, never removes any; must not raise."""
        return ()


def _entry_points() -> list[EntryPoint]:
    return list(entry_points(group=GROUP))


def load_collectors(config: Config, eps: Iterable[EntryPoint] | None = None) -> list[Collector]:
    """The kinds that run per release (built-in and enabled), in a stable order."""
    return [kind for kind in load_kinds(config, eps) if kind.per_release]


def load_kinds(config: Config, eps: Iterable[EntryPoint] | None = None) -> list[Collector]:
    """Instantiate the built-in kinds and the ones the config enables, in a stable order.
    Every problem (unknown names, broken entry points, bad options) is reported at once."""
    found: dict[str, EntryPoint] = {}
    for ep in _entry_points() if eps is None else eps:
        if ep.name in found and found[ep.name].value != ep.value:
            raise ConfigError(
                f"collectors.{ep.name}",
                f"two installed collectors share this name ({found[ep.name].value} and {ep.value})",
            )
        found[ep.name] = ep

    errors: list[tuple[str, str]] = []
    for name in sorted(set(config.collectors) - set(found)):
        optional = sorted(n for n, ep in found.items() if not _builtin(ep))
        errors.append(
            (
                f"collectors.{name}",
                "no installed collector has this name "
                f"(installed: {', '.join(optional) or 'none besides the built-in ones'})",
            )
        )

    collectors: list[Collector] = []
    for name in sorted(found):
        ep = found[name]
        if not _builtin(ep) and name not in config.collectors:
            continue
        try:
            cls = ep.load()
        except (ImportError, AttributeError) as exc:
            errors.append((f"collectors.{name}", f"cannot load {ep.value}: {exc}"))
            continue
        if not (isinstance(cls, type) and issubclass(cls, Collector)):
            errors.append((f"collectors.{name}", f"{ep.value} is not a secdocs Collector"))
            continue
        if cls.name != name:
            errors.append(
                (f"collectors.{name}", f"{ep.value} calls itself {cls.name!r}, not {name!r}")
            )
            continue
        options: Mapping[str, Any] = config.collectors.get(name, {})
        if cls.options_class is not None:
            try:
                options = validate_block(cls.options_class, options, f"collectors.{name}")
            except ConfigErrors as exc:
                errors.extend(exc.errors)
                continue
        collectors.append(cls(config, options))
    if errors:
        raise ConfigErrors(errors)
    collectors.sort(key=lambda c: (c.order, c.name))
    return collectors


def _builtin(ep: EntryPoint) -> bool:
    return ep.dist is not None and ep.dist.name == BUILTIN_DISTRIBUTION
