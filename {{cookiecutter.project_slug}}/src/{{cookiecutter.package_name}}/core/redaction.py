"""Keep secrets out of logs: a structlog processor that scrubs keys and values.

Total over values: mappings (keys included), lists, tuples, sets, bytes, pydantic objects and
exceptions are walked or turned into text, and anything else is rendered with `str` and
scrubbed, so nothing reaches the renderer unexamined.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from structlog.typing import EventDict, WrappedLogger

from .scrubbing import (
    MAX_INT,
    MAX_REMEMBERED,
    MIN_INT,
    PLAIN_TYPES,
    REDACTED,
    Scrubber,
    could_hold_credential,
    install_scrubber,
)

# A key containing any of these is sensitive whatever it holds (x-api-key, openai_api_key...).
SENSITIVE_KEY_PARTS = (
    "authorization",
    "api_key",
    "api-key",
    "apikey",
    "cookie",
    "credential",
    "passwd",
    "password",
    "private_key",
    "private-key",
    "privatekey",
    "secret",
    "database_url",
)
# Short words are matched whole ("auth" but not "author"); "token" only at the end, so usage
# counts such as prompt_tokens stay visible.
WORD_KEY = re.compile(r"(^|[_.-])(auth|jwt|pwd)($|[_.-])|(^|[_.-])token$")

# What a log line's key is: checked once per distinct key, then remembered.
PLAIN, SENSITIVE, HOLDS_SECRET = "plain", "sensitive", "holds_secret"

__all__ = ["REDACTED", "RedactSecrets", "could_hold_credential"]


class RedactSecrets:
    """Replace sensitive fields, known secret values and credential-shaped text."""

    def __init__(
        self,
        secret_values: Iterable[str] = (),
        extra_keys: Iterable[str] = (),
        key_prefixes: Iterable[str] = (),
    ) -> None:
        self._extra_keys = frozenset(key.lower() for key in extra_keys)
        self._sensitive_keys: dict[str, bool] = {}
        self._key_verdicts: dict[str, str] = {}
        # The same scrubber serves problem bodies, events and reports (core/scrubbing.py).
        self._scrubber: Scrubber = install_scrubber(secret_values, key_prefixes)
        self._scrubber.is_sensitive_key = self._is_sensitive

    def __call__(self, _logger: WrappedLogger, _method: str, event_dict: EventDict) -> EventDict:
        # Runs on every line: one cached verdict per key, values rewritten in place, numbers
        # given a type check only.
        verdicts, text = self._key_verdicts, self._scrubber.text
        renamed: list[str] = []
        for key, value in event_dict.items():
            verdict = verdicts.get(key)
            if verdict is None:
                verdict = self._verdict(key)
            if verdict is HOLDS_SECRET:
                renamed.append(key)
            if value is None:
                continue
            kind = type(value)
            if verdict is SENSITIVE or (verdict is HOLDS_SECRET and self._is_sensitive(key)):
                event_dict[key] = REDACTED
            elif kind is str:
                event_dict[key] = text(value)
            elif kind is int:
                if not MIN_INT <= value <= MAX_INT:  # Past what orjson can write.
                    event_dict[key] = str(value)
            elif kind not in PLAIN_TYPES:
                event_dict[key] = self._scrubber.value(value)
        for key in renamed:  # A key that is itself a secret value (rare): renamed, scrubbed.
            event_dict[text(key)] = event_dict.pop(key)
        return event_dict

    def _verdict(self, key: str) -> str:
        if self._scrubber.text(key) is not key:
            verdict = HOLDS_SECRET
        elif self._is_sensitive(key):
            verdict = SENSITIVE
        else:
            verdict = PLAIN
        if len(self._key_verdicts) < MAX_REMEMBERED:
            self._key_verdicts[key] = verdict
        return verdict

    def _is_sensitive(self, key: str) -> bool:
        verdict = self._sensitive_keys.get(key)
        if verdict is None:
            lowered = key.lower()
            verdict = (
                lowered in self._extra_keys
                or any(part in lowered for part in SENSITIVE_KEY_PARTS)
                or WORD_KEY.search(lowered) is not None
            )
            if len(self._sensitive_keys) < MAX_REMEMBERED:
                self._sensitive_keys[key] = verdict
        return verdict
