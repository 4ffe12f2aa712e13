"""Keep secrets out of everything that leaves the process: one scrubber for text and values.

The log redactor, problem bodies, server-sent events and eval reports all use it, so a secret
known to the logs is known to every output. `install_scrubber` (called by `configure_logging`)
sets the process's scrubber from the settings' secret values; `scrub` and `scrub_value` use it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Set
from typing import Any

from pydantic import BaseModel

REDACTED = "[REDACTED]"
# Credentials recognisable by their shape, wherever they appear inside a string.
CREDENTIAL_PATTERN = re.compile(
    r"(?P<scheme>\b(?:bearer|basic)\s+)[A-Za-z0-9._~+/=-]+"
    r"|(?P<userinfo>://[^:/@\s]+:)[^@\s]+(?=@)"
    r"|\bsk-[A-Za-z0-9_-]{16,}"
    # This service's API keys (auth/key_format.py): a short prefix, "_", 50 base62 characters.
    r"|\b[a-z][a-z0-9]{1,15}_[0-9A-Za-z]{50}\b",
    re.IGNORECASE,
)
# Texts repeat (log keys, event names, codes): clean verdicts are remembered, up to a bound.
MAX_REMEMBERED = 4096
MAX_REMEMBERED_TEXT = 256
# Values of these types hold no text.
PLAIN_TYPES = frozenset({int, float, bool, type(None)})
# A structure nested deeper than this is rendered as one string and scrubbed as text.
MAX_DEPTH = 32
# orjson writes integers of 64 bits at most: a larger one is logged as its digits.
MIN_INT, MAX_INT = -(2**63), 2**64 - 1


def _mask_credential(match: re.Match[str]) -> str:
    prefix = match.group("scheme") or match.group("userinfo") or ""
    return prefix + REDACTED


def could_hold_credential(text: str) -> bool:
    """A cheap test that rules out most text before the (slow, case-folding) pattern runs.

    Exact for ASCII text; other text always goes to the pattern, because case-insensitive
    matching takes a few non-ASCII letters (the Kelvin sign, the long s) for ASCII ones.
    """
    if not text.isascii():
        return True
    lowered = text.lower()
    return "://" in text or "sk-" in lowered or "bearer" in lowered or "basic" in lowered


class Scrubber:
    """Replaces known secret values and credential-shaped text; total over any value."""

    def __init__(
        self,
        secret_values: Iterable[str] = (),
        is_sensitive_key: Callable[[str], bool] = lambda _key: False,
        key_prefixes: Iterable[str] = (),
    ) -> None:
        # Text holding "<prefix>_" may hold one of our API keys: it goes to the pattern.
        self._key_markers = tuple(f"{prefix}_" for prefix in key_prefixes)
        self._secret_values = tuple(sorted({v for v in secret_values if v}, key=len, reverse=True))
        self._clean_texts: set[str] = set()
        # A mapping key (or the first item of a pair) naming a secret hides its whole value.
        self.is_sensitive_key = is_sensitive_key

    def text(self, text: str) -> str:
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

    def value(self, value: Any, depth: int = 0) -> Any:
        """`value` with every secret replaced; what it cannot walk becomes a scrubbed string."""
        kind = type(value)
        if kind is str:
            return self.text(value)
        if kind in PLAIN_TYPES:
            return value if kind is not int or MIN_INT <= value <= MAX_INT else str(value)
        if depth >= MAX_DEPTH:
            return self.text(_as_text(value))
        depth += 1
        if isinstance(value, Mapping):
            return {self.key(k, depth): self.item(k, v, depth) for k, v in value.items()}
        if isinstance(value, list | tuple):
            # Header lists arrive as (name, value) pairs: the name is treated as a key too.
            if len(value) == 2 and isinstance(value[0], str | bytes):
                return [self.key(value[0], depth), self.item(value[0], value[1], depth)]
            return [self.value(item, depth) for item in value]
        if isinstance(value, Set):
            return [self.value(item, depth) for item in value]
        if isinstance(value, bytes | bytearray | memoryview):
            return self.text(bytes(value).decode("utf-8", "replace"))
        if isinstance(value, BaseModel):
            return self.value(_fields_of(value), depth)
        if isinstance(value, str):  # A str subclass (an enum member): its text is its value.
            return self.text(str(value))
        return self.text(_as_text(value))

    def item(self, key: object, value: Any, depth: int) -> Any:
        if value is not None and isinstance(key, str | bytes):
            name = key.decode("latin-1") if isinstance(key, bytes) else key
            if self.is_sensitive_key(name):
                return REDACTED
        return self.value(value, depth)

    def key(self, key: object, depth: int = 0) -> Any:
        """A mapping key, scrubbed like a value; orjson needs str keys, so others become str."""
        if type(key) is str:
            return self.text(key)
        if type(key) in PLAIN_TYPES:
            return key
        scrubbed = self.value(key, depth)
        return scrubbed if isinstance(scrubbed, str) else str(scrubbed)


def _fields_of(model: BaseModel) -> object:
    try:
        return model.model_dump()  # Python mode: values of any type, walked by the caller.
    except Exception:  # A model whose serializer fails is still shown, as text.
        return _as_text(model)


def _as_text(value: object) -> str:
    try:
        if isinstance(value, BaseException):
            return f"{type(value).__name__}: {value}"
        return str(value)
    except Exception:  # A broken __str__ must not break the caller.
        return f"<unprintable {type(value).__name__}>"


_scrubber = Scrubber()


def install_scrubber(secret_values: Iterable[str], key_prefixes: Iterable[str] = ()) -> Scrubber:
    """Make this the process's scrubber (called once the settings are known)."""
    global _scrubber
    _scrubber = Scrubber(secret_values, key_prefixes=key_prefixes)
    return _scrubber


def current_scrubber() -> Scrubber:
    return _scrubber


def scrub(text: str) -> str:
    """`text` without any configured secret value or credential-shaped substring."""
    return _scrubber.text(text)


def scrub_value(value: Any) -> Any:
    return _scrubber.value(value)
