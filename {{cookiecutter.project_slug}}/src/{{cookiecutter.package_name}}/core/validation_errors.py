"""Pydantic's validation errors as text: the one formatter for files, model output and the API."""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import ValidationError


def field_path(loc: Sequence[int | str], prefix: str = "") -> str:
    """`body.items.0.name`: a location as the input spells it."""
    return ".".join(str(part) for part in (prefix, *loc) if part != "")


def describe_errors(
    error: ValidationError, *, prefix: str = "", top: str = "(root)", limit: int | None = None
) -> list[str]:
    """`field.path: message` per error, never the offending input (it may be huge or secret)."""
    return [
        f"{field_path(item['loc'], prefix) or top}: {item['msg'].removeprefix('Value error, ')}"
        for item in error.errors(include_input=False)[:limit]
    ]
