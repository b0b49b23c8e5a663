"""Redaction of secrets in configuration, before anything is rendered, written or logged.

A value is redacted when its key matches the denylist (``password``, ``token``, ``key`` …) or
when the value itself looks like a secret: detect-secrets' regex detectors (private-key blocks,
JWTs, cloud and SaaS access keys, credentials in URLs), connection strings with a password and
high-entropy strings (detect-secrets' Shannon entropy).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache

from detect_secrets.plugins.artifactory import ArtifactoryDetector
from detect_secrets.plugins.aws import AWSKeyDetector
from detect_secrets.plugins.azure_storage_key import AzureStorageKeyDetector
from detect_secrets.plugins.base import RegexBasedDetector
from detect_secrets.plugins.basic_auth import BasicAuthDetector
from detect_secrets.plugins.discord import DiscordBotTokenDetector
from detect_secrets.plugins.github_token import GitHubTokenDetector
from detect_secrets.plugins.gitlab_token import GitLabTokenDetector
from detect_secrets.plugins.high_entropy_strings import (
    Base64HighEntropyString,
    HexHighEntropyString,
)
from detect_secrets.plugins.jwt import JwtTokenDetector
from detect_secrets.plugins.mailchimp import MailchimpDetector
from detect_secrets.plugins.openai import OpenAIDetector
from detect_secrets.plugins.private_key import PrivateKeyDetector
from detect_secrets.plugins.pypi_token import PypiTokenDetector
from detect_secrets.plugins.sendgrid import SendGridDetector
from detect_secrets.plugins.slack import SlackDetector
from detect_secrets.plugins.square_oauth import SquareOAuthDetector
from detect_secrets.plugins.stripe import StripeDetector
from detect_secrets.plugins.telegram_token import TelegramBotTokenDetector
from detect_secrets.plugins.twilio import TwilioKeyDetector

REDACTED = "«redacted»"

DEFAULT_SECRET_KEYS = (
    "password",
    "passwd",
    "pwd",
    "passphrase",
    "pass",
    "secret",
    "token",
    "key",
    "apikey",
    "credential",
    "credentials",
    "private",
    "cookie",
    "salt",
    "dsn",
    "bearer",
    "auth_token",
    "access_token",
    "client_secret",
    "connection_string",
    "connstr",
    "pin",
)

_DETECTORS: tuple[RegexBasedDetector, ...] = (
    AWSKeyDetector(),
    ArtifactoryDetector(),
    AzureStorageKeyDetector(),
    BasicAuthDetector(),
    DiscordBotTokenDetector(),
    GitHubTokenDetector(),
    GitLabTokenDetector(),
    JwtTokenDetector(),
    MailchimpDetector(),
    OpenAIDetector(),
    PrivateKeyDetector(),
    PypiTokenDetector(),
    SendGridDetector(),
    SlackDetector(),
    SquareOAuthDetector(),
    StripeDetector(),
    TelegramBotTokenDetector(),
    TwilioKeyDetector(),
)
_BASE64 = Base64HighEntropyString()
_HEX = HexHighEntropyString()

# scheme://user:password@host — also passwords with characters detect-secrets' regex leaves out
_URL_PASSWORD = re.compile(
    r"(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]{0,30}://[^/\s:@]{0,256}:([^\s@/]{1,1024})@"
)
# key=value connection strings (ADO.NET, libpq, JDBC properties)
_KV_PASSWORD = re.compile(
    r"(?i)\b(?:password|pwd|passwd|secret|token|apikey|api_key|accountkey|sharedaccesskey)"
    r"\s*=\s*([^;&\s]+)"
)
_PEM_BEGIN = re.compile(r"-----BEGIN ([A-Z0-9 ]*)-----")
_PEM_END = re.compile(r"-----END ([A-Z0-9 ]*)-----")
_PUBLIC_PEM = ("CERTIFICATE", "PUBLIC KEY", "X509 CRL", "CERTIFICATE REQUEST")
_TOKEN = re.compile(r"[A-Za-z0-9+/=_\-.~]{16,}")
_HEX_TOKEN = re.compile(r"\b[0-9a-fA-F]{32,}\b")
# npm tokens (detect-secrets' npm plugin only knows .npmrc lines, with a quadratic regex)
_NPM = re.compile(r"\bnpm_[A-Za-z0-9]{36}\b")
_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")
_MAX_SCAN = 20_000


def key_words(key: str) -> list[str]:
    """The lower-case words of a key: ``dbPassword`` → ``db``, ``password``."""
    return [w.lower() for w in _WORD.findall(key)]


class Redactor:
    """Decides what is secret. ``secret_keys`` extends the default key denylist."""

    def __init__(self, secret_keys: Iterable[str] = ()) -> None:
        terms = {t.lower().strip() for t in (*DEFAULT_SECRET_KEYS, *secret_keys) if t.strip()}
        self._words = frozenset(w for t in terms for w in ([t] if "_" not in t else []))
        self._compound = tuple(sorted(t for t in terms if "_" in t or len(t) >= 5))
        self._keys: dict[str, bool] = {}

    def key_is_secret(self, key: str) -> bool:
        known = self._keys.get(key)
        if known is None:
            known = self._keys[key] = self._key_is_secret(key)
            if len(self._keys) > 65536:
                self._keys.clear()
        return known

    def _key_is_secret(self, key: str) -> bool:
        lowered = key.lower()
        words = key_words(key)
        if any(w in self._words or (w.endswith("s") and w[:-1] in self._words) for w in words):
            return True
        squashed = re.sub(r"[^a-z0-9]", "", lowered)
        return any(t.replace("_", "") in squashed for t in self._compound)

    def value_is_secret(self, value: str) -> bool:
        return bool(secret_spans(value))

    def redact_text(self, text: str) -> list[str]:
        """The lines of ``text`` with every secret replaced by :data:`REDACTED`."""
        lines = text.split("\n")
        out = list(lines)
        _redact_pem(out)
        block_indent: int | None = None
        for index, line in enumerate(out):
            if line.strip() == REDACTED:
                continue
            indent = len(line) - len(line.lstrip())
            if block_indent is not None:
                nested = indent > block_indent or (
                    indent == block_indent and line.lstrip().startswith(("- ", "-\t"))
                )
                if line.strip() and nested:
                    out[index] = " " * indent + REDACTED
                    continue
                if line.strip():
                    block_indent = None
            match = _ASSIGNMENT.match(line)
            if match is not None and self.key_is_secret(match.group("key")):
                value = match.group("value")
                if value.strip() in ("", "|", ">", "|-", ">-", "|+", ">+"):
                    block_indent = indent
                    continue
                trail = "," if value.rstrip().endswith(",") else ""
                out[index] = match.group("lead") + REDACTED + trail
                continue
            out[index] = redact_spans(line)
        return out


_ASSIGNMENT = re.compile(
    r"^(?P<lead>\s*(?:-\s+)?[\"']?(?P<key>[A-Za-z0-9_.\-\[\]]+)[\"']?\s*(?::|=|:=)\s*)"
    r"(?P<value>.*)$"
)


def secret_spans(value: str) -> list[tuple[int, int]]:
    """Character ranges of ``value`` that look like secrets (sorted, may overlap)."""
    if len(value) < _SHORTEST:
        return []
    if len(value) <= _CACHED_LENGTH:
        return list(_cached_spans(value))
    return _spans(value)


#: no detector matches fewer characters (``://a:b@``)
_SHORTEST = 7
_CACHED_LENGTH = 4096


@lru_cache(maxsize=16384)
def _cached_spans(value: str) -> tuple[tuple[int, int], ...]:
    # configuration values repeat from release to release: scan each distinct value once
    return tuple(_spans(value))


def _spans(value: str) -> list[tuple[int, int]]:
    text = value[:_MAX_SCAN]
    spans: list[tuple[int, int]] = []
    if len(value) > _MAX_SCAN:
        spans.append((_MAX_SCAN, len(value)))
    for detector in _DETECTORS:
        for found in set(detector.analyze_string(text)):
            if not found:
                continue
            if isinstance(detector, PrivateKeyDetector):
                return [(0, len(value))]
            start = text.find(found)
            while start != -1:
                spans.append((start, start + len(found)))
                start = text.find(found, start + len(found))
    for regex in (_URL_PASSWORD, _KV_PASSWORD):
        for match in regex.finditer(text):
            spans.append(match.span(1))
    spans += [m.span() for m in _NPM.finditer(text)]
    for match in _TOKEN.finditer(text):
        if _high_entropy(match.group(0)):
            spans.append(match.span())
    for match in _HEX_TOKEN.finditer(text):
        if _HEX.calculate_shannon_entropy(match.group(0)) > 3.0:
            spans.append(match.span())
    return sorted(spans)


@lru_cache(maxsize=4096)
def _high_entropy(token: str) -> bool:
    """Random-looking: mixed letters and digits with high Shannon entropy (detect-secrets)."""
    core = token.strip("=.-_~")
    if len(core) < 16:
        return False
    classes = sum(bool(re.search(p, core)) for p in ("[a-z]", "[A-Z]", "[0-9]"))
    if classes == 2 and core.isalnum() and _mixed(core):
        # a run of letters and digits without separators: random when nearly every
        # character differs (identifiers and suite names have separators or repeat)
        return _BASE64.calculate_shannon_entropy(core) >= 0.9 * _log2(len(core))
    if classes < 3 and not (classes == 2 and len(core) >= 32):
        return False
    if re.fullmatch(r"[A-Za-z]+(?:[-_.][A-Za-z0-9]+)*", core) and classes < 3:
        return False
    entropy = _BASE64.calculate_shannon_entropy(core)
    return entropy >= min(4.0, 0.82 * _log2(len(core)))


def _mixed(token: str) -> bool:
    digits = sum(c.isdigit() for c in token)
    return digits >= 3 and len(token) - digits >= 3


def _log2(n: int) -> float:
    import math

    return math.log2(n)


def redact_spans(value: str) -> str:
    spans = secret_spans(value)
    if not spans:
        return value
    merged: list[list[int]] = []
    for start, stop in spans:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], stop)
        else:
            merged.append([start, stop])
    out = []
    last = 0
    for start, stop in merged:
        out.append(value[last:start])
        out.append(REDACTED)
        last = stop
    out.append(value[last:])
    return "".join(out)


def _redact_pem(lines: list[str]) -> None:
    """Replace each line of a non-public PEM block (and anything after an unclosed one)."""
    index = 0
    while index < len(lines):
        begin = _PEM_BEGIN.search(lines[index])
        if begin is None or begin.group(1).strip() in _PUBLIC_PEM:
            index += 1
            continue
        stop = index
        while stop < len(lines) and _PEM_END.search(lines[stop]) is None:
            stop += 1
        for position in range(index, min(stop + 1, len(lines))):
            line = lines[position]
            prefix = line[: len(line) - len(line.lstrip())]
            lines[position] = prefix + REDACTED
        index = stop + 1


def redact_message(message: str, secrets: Sequence[str] = ()) -> str:
    """A message (from a parser, for example) with secret-looking parts and ``secrets`` removed."""
    for secret in secrets:
        if secret:
            message = message.replace(secret, REDACTED)
    return redact_spans(message)
