"""Refuse a body with many unknown fields before validating it: the cost of an answer stays
bounded whatever a caller sends.

A model that forbids extra fields turns each unknown key into a validation error, and building
100,000 of them took over a second of the event loop. This guard runs as a route dependency,
which FastAPI resolves before it validates the body (the JSON is already parsed and cached),
and answers with the first few unknown fields and their count.
"""

from __future__ import annotations

import itertools
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel

MAX_UNKNOWN_FIELDS = 20


class TooManyFieldsError(RequestValidationError):
    def __init__(self, errors: Sequence[Any], total: int) -> None:
        super().__init__(errors)
        self.total = total


def bounded_fields(model: type[BaseModel]) -> Callable[[Request], Awaitable[None]]:
    known = {field.alias or name for name, field in model.model_fields.items()} | set(
        model.model_fields
    )
    forbids_extra = model.model_config.get("extra") == "forbid"

    async def guard(request: Request) -> None:
        if not forbids_extra:
            return
        try:
            body = await request.json()  # Parsed once by FastAPI and cached by Starlette.
        except ValueError:  # Not JSON: FastAPI's own validation answers.
            return
        if not isinstance(body, dict) or len(body) <= len(known) + MAX_UNKNOWN_FIELDS:
            return
        unknown = [key for key in body if key not in known]
        errors = [
            {
                "type": "extra_forbidden",
                "loc": ("body", key),
                "msg": "Extra inputs are not permitted",
            }
            for key in itertools.islice(unknown, MAX_UNKNOWN_FIELDS)
        ]
        raise TooManyFieldsError(errors, total=len(unknown))

    return guard
