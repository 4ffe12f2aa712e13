"""The shape of an API key: `<prefix>_<key id><secret><checksum>`, base62.

The prefix names the service, so a leaked key is recognisable (secret scanners, the log
redactor); the checksum lets a scanner tell a key from random text without a database. The
key id is public (it names the key in lists and the audit trail); the secret never leaves
the response that created it: only its SHA-256 is stored (docs/decisions.md says why).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import zlib
from dataclasses import dataclass

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
KEY_ID_LENGTH = 12
SECRET_LENGTH = 32  # 32 base62 characters: about 190 random bits.
CHECKSUM_LENGTH = 6
BODY_LENGTH = KEY_ID_LENGTH + SECRET_LENGTH + CHECKSUM_LENGTH  # 50, as in the pattern below.
# Any service's key, whatever its prefix: what the log redactor masks.
ANY_KEY_PATTERN = re.compile(r"\b[a-z][a-z0-9]{1,15}_[0-9A-Za-z]{50}\b")


@dataclass(frozen=True)
class ParsedKey:
    key_id: str
    digest: str  # SHA-256 of the whole key, hex.


def _random_text(length: int) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def _base62(number: int, length: int) -> str:
    digits = []
    for _ in range(length):
        number, digit = divmod(number, len(ALPHABET))
        digits.append(ALPHABET[digit])
    return "".join(reversed(digits))


def checksum(text: str) -> str:
    return _base62(zlib.crc32(text.encode()), CHECKSUM_LENGTH)


def digest_of(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def new_key(prefix: str) -> tuple[str, ParsedKey]:
    """A fresh key and what is stored of it."""
    body = _random_text(KEY_ID_LENGTH) + _random_text(SECRET_LENGTH)
    key = f"{prefix}_{body}{checksum(body)}"
    return key, ParsedKey(key_id=body[:KEY_ID_LENGTH], digest=digest_of(key))


def parse_key(prefix: str, key: str) -> ParsedKey | None:
    """The key's id and digest, or None when it is not one of this service's keys."""
    head, _, body = key.partition("_")
    if head != prefix or len(body) != BODY_LENGTH or not body.isascii() or not body.isalnum():
        return None
    payload, check = body[:-CHECKSUM_LENGTH], body[-CHECKSUM_LENGTH:]
    if not hmac.compare_digest(check, checksum(payload)):
        return None
    return ParsedKey(key_id=payload[:KEY_ID_LENGTH], digest=digest_of(key))


def same_digest(stored: str, presented: str) -> bool:
    """Constant-time: how much of a digest matched must not show in the response time."""
    return hmac.compare_digest(stored.encode(), presented.encode())
