"""Hardened-image checks from an image configuration and what names its base image."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from secdocs.kinds.containers.model import FAIL, PASS, UNKNOWN, Check, ImageConfig, short

ROOT_USERS = ("", "0", "root")
#: history steps this much older than the image were built before it: they are the base's
BUILD_WINDOW = timedelta(hours=1)


def non_root(config: ImageConfig | None) -> Check:
    name = "runs as non-root"
    if config is None:
        return Check(
            name, UNKNOWN, "no image configuration to read (no layout or Trivy ImageConfig)"
        )
    user = (config.user or "").strip()
    who = user.split(":", 1)[0]
    if not user:
        return Check(name, FAIL, "the image configuration sets no User: the container runs as root")
    if who in ROOT_USERS:
        return Check(name, FAIL, f"User is {user!r}: the container runs as root")
    return Check(name, PASS, f"User is {user!r}")


def base_pinned(bases: list[tuple[str, str | None, str]]) -> Check:
    """``bases``: (name, digest or ``None``, where it was read)."""
    name = "base image pinned by digest"
    if not bases:
        return Check(
            name,
            UNKNOWN,
            "no base image named: add the org.opencontainers.image.base.name/.digest annotations "
            "or publish provenance whose resolvedDependencies name it",
        )
    unpinned = [f"{b} ({where})" for b, digest, where in bases if digest is None]
    if unpinned:
        return Check(name, FAIL, f"base image not pinned by digest: {', '.join(unpinned)}")
    shown = ", ".join(f"{b}@{short(d or '')} ({where})" for b, d, where in bases)
    return Check(name, PASS, f"base image {shown}")


def _parse(stamp: str) -> datetime | None:
    text = stamp.strip()
    if not text:
        return None
    if "." in text:  # nanoseconds: keep microseconds
        head, _, tail = text.partition(".")
        digits = "".join(ch for ch in tail if ch.isdigit())[:6]
        zone = tail[len(tail.rstrip("Z+-:0123456789")) :].lstrip("0123456789")
        text = f"{head}.{digits}{zone}"
    try:
        when = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def base_age(config: ImageConfig | None, released: datetime, max_days: int) -> Check:
    """The base's age at the release: its newest history step older than this build."""
    name = "base image age"
    if config is None or not config.created:
        return Check(name, UNKNOWN, "the image configuration has no creation time")
    built = _parse(config.created)
    if built is None:
        return Check(name, UNKNOWN, f"creation time {config.created!r} is not a timestamp")
    steps = [
        t for t in (_parse(s) for s in config.history) if t is not None and t < built - BUILD_WINDOW
    ]
    if not steps:
        return Check(
            name, UNKNOWN, "the image history shows no step older than this build to date its base"
        )
    base = max(steps)
    when = released if released.tzinfo else released.replace(tzinfo=UTC)
    days = (when - base).days
    stamp = base.strftime("%Y-%m-%d")
    if days > max_days:
        return Check(
            name,
            FAIL,
            f"base layers built {stamp}, {days} days before the release "
            f"(more than max_base_age_days: {max_days})",
        )
    return Check(name, PASS, f"base layers built {stamp}, {days} days before the release")
