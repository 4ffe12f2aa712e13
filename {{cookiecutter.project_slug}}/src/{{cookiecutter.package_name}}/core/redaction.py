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

__all__ = ["REDACTED", "RedactSecrets", "could_hold_credential"]


class RedactSecrets:
    """Replace sensitive fields, known secret values and credential-shaped text."""

    def __init__(self, secret_values: Iterable[str] = (), extra_keys: Iterable[str] = ()) -> None:
        self._extra_keys = frozenset(key.lower() for key in extra_keys)
        self._sensitive_keys: dict[str, bool] = {}
        # The same scrubber serves problem bodies, events and reports (core/scrubbing.py).
        self._scrubber: Scrubber = install_scrubber(secret_values)
        self._scrubber.is_sensitive_key = self._is_sensitive

    def __call__(self, _logger: WrappedLogger, _method: str, event_dict: EventDict) -> EventDict:
        # Runs on every line: rewrites values in place and gives numbers a single key lookup.
        scrubber = self._scrubber
        renamed: list[tuple[str, str]] = []
        for key, value in event_dict.items():
            if type(key) is str and scrubber.text(key) is not key:
                renamed.append((key, scrubber.text(key)))
            if value is None:
                continue
            if self._is_sensitive(key):
                event_dict[key] = REDACTED
            elif type(value) is str:
                event_dict[key] = scrubber.text(value)
            elif type(value) is int:
                if not MIN_INT <= value <= MAX_INT:  # Past what orjson can write.
                    event_dict[key] = str(value)
            elif type(value) not in PLAIN_TYPES:
                event_dict[key] = scrubber.value(value)
        for old, new in renamed:
            event_dict[new] = event_dict.pop(old)
        return event_dict

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
