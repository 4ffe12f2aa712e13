from __future__ import annotations

import pytest

from {{ cookiecutter.package_name }}.auth.key_format import (
    ANY_KEY_PATTERN,
    BODY_LENGTH,
    digest_of,
    new_key,
    parse_key,
)
from {{ cookiecutter.package_name }}.core.redaction import REDACTED, RedactSecrets


def test_a_new_key_parses_back_to_its_id_and_digest() -> None:
    key, stored = new_key("svc")
    assert key.startswith("svc_")
    assert len(key) == len("svc_") + BODY_LENGTH
    assert parse_key("svc", key) == stored
    assert stored.digest == digest_of(key)
    assert key not in stored.digest


def test_keys_are_unique() -> None:
    assert len({new_key("svc")[0] for _ in range(200)}) == 200


@pytest.mark.parametrize("position", [4, 10, 30, -1])
def test_one_changed_character_fails_the_checksum(position: int) -> None:
    key, _ = new_key("svc")
    changed = "A" if key[position] != "A" else "B"
    tampered = (
        key[:position] + changed + key[position + 1 :] if position != -1 else key[:-1] + changed
    )
    assert parse_key("svc", tampered) is None


@pytest.mark.parametrize(
    "text", ["", "svc_", "svc_short", "other_" + "a" * BODY_LENGTH, "svc_" + "é" * BODY_LENGTH]
)
def test_text_that_is_not_a_key_is_refused(text: str) -> None:
    assert parse_key("svc", text) is None


def test_the_redactor_masks_a_key_wherever_it_appears() -> None:
    key, _ = new_key("svc")
    redact = RedactSecrets(key_prefixes=["svc"])
    line = redact(None, "info", {"event": "x", "note": f"caller sent {key} in a body"})
    assert key not in str(line)
    assert REDACTED in line["note"]
    assert ANY_KEY_PATTERN.search(key)
