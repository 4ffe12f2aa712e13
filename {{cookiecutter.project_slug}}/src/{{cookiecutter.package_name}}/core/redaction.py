"""Keep secrets out of logs: a structlog processor that scrubs keys and values."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from structlog.typing import EventDict, WrappedLogger

REDACTED = "[REDACTED]"
# A key containing any of these is sensitive whatever it holds (x-api-key, openai_api_key...).
# "token" is matched only as a whole word, so usage counts such as prompt_tokens stay visible.
SENSITIVE_KEY_PARTS = (
    "authorization",
    "api_key",
    "api-key",
    "apikey",
    "cookie",
    "passwd",
    "password",
    "secret",
    "database_url",
)
TOKEN_KEY = re.compile(r"(^|[_-])token$")
# Credentials recognisable by their shape, wherever they appear inside a string.
CREDENTIAL_PATTERN = re.compile(
    r"(?P<scheme>\b(?:bearer|basic)\s+)[A-Za-z0-9._~+/=-]+"
    r"|(?P<userinfo>://[^:/@\s]+:)[^@\s]+(?=@)"
    r"|\bsk-[A-Za-z0-9_-]{16,}"
    # This service's API keys (auth/key_format.py): a short prefix, "_", 50 base62 characters.
    r"|\b[a-z][a-z0-9]{1,15}_[0-9A-Za-z]{50}\b",
    re.IGNORECASE,
)


# Log lines repeat a small set of keys and values: verdicts are remembered, up to a bound.
MAX_REMEMBERED = 4096
MAX_REMEMBERED_TEXT = 256
# Values of these types hold no text: only their key is looked at.
PLAIN_TYPES = frozenset({int, float, bool})


def _mask_credential(match: re.Match[str]) -> str:
    prefix = match.group("scheme") or match.group("userinfo") or ""
    return prefix + REDACTED


class RedactSecrets:
    """Replace sensitive fields, known secret values and credential-shaped text."""

    def __init__(
        self,
        secret_values: Iterable[str] = (),
        extra_keys: Iterable[str] = (),
        key_prefixes: Iterable[str] = (),
    ) -> None:
        # Text holding "<prefix>_" may hold one of our API keys: it goes to the pattern.
        self._key_markers = tuple(f"{prefix}_" for prefix in key_prefixes)
        self._secret_values = tuple(sorted({v for v in secret_values if v}, key=len, reverse=True))
        self._extra_keys = frozenset(key.lower() for key in extra_keys)
        self._sensitive_keys: dict[str, bool] = {}
        self._clean_texts: set[str] = set()

    def __call__(self, _logger: WrappedLogger, _method: str, event_dict: EventDict) -> EventDict:
        # Runs on every line: rewrites values in place and gives numbers a single key lookup.
        for key, value in event_dict.items():
            if value is None:
                continue
            if self._is_sensitive(key):
                event_dict[key] = REDACTED
            elif type(value) is str:
                event_dict[key] = self._redact_text(value)
            elif type(value) not in PLAIN_TYPES:
                event_dict[key] = self._redact_value(value)
        return event_dict

    def _is_sensitive(self, key: str) -> bool:
        verdict = self._sensitive_keys.get(key)
        if verdict is None:
            lowered = key.lower()
            verdict = (
                lowered in self._extra_keys
                or any(part in lowered for part in SENSITIVE_KEY_PARTS)
                or TOKEN_KEY.search(lowered) is not None
            )
            if len(self._sensitive_keys) < MAX_REMEMBERED:
                self._sensitive_keys[key] = verdict
        return verdict

    def _redact_item(self, key: object, value: Any) -> Any:
        if isinstance(key, str) and value is not None and self._is_sensitive(key):
            return REDACTED
        return self._redact_value(value)

    def _redact_value(self, value: Any) -> Any:
        if isinstance(value, str):
            return self._redact_text(value)
        if isinstance(value, Mapping):
            return {k: self._redact_item(k, v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            # Header lists arrive as (name, value) pairs: treat the name as the key.
            if len(value) == 2 and isinstance(value[0], str | bytes):
                name = value[0].decode("latin-1") if isinstance(value[0], bytes) else value[0]
                return (value[0], self._redact_item(name, value[1]))
            return [self._redact_value(item) for item in value]
        return value

    def _redact_text(self, text: str) -> str:
        if text in self._clean_texts:
            return text
        redacted = text
        for secret in self._secret_values:
            if secret in redacted:
                redacted = redacted.replace(secret, REDACTED)
        if could_hold_credential(redacted) or any(m in redacted for m in self._key_markers):
            redacted = CREDENTIAL_PATTERN.sub(_mask_credential, redacted)
        if redacted is text and len(text) <= MAX_REMEMBERED_TEXT:
            if len(self._clean_texts) >= MAX_REMEMBERED:
                self._clean_texts.clear()
            self._clean_texts.add(text)
        return redacted


def could_hold_credential(text: str) -> bool:
    """A cheap test that rules out most text before the (slow, case-folding) pattern runs.

    Exact for ASCII text; other text always goes to the pattern, because case-insensitive
    matching takes a few non-ASCII letters (the Kelvin sign, the long s) for ASCII ones.
    """
    if not text.isascii():
        return True
    lowered = text.lower()
    return "://" in text or "sk-" in lowered or "bearer" in lowered or "basic" in lowered
