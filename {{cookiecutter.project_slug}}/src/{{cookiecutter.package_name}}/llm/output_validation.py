"""Output validation: parse model text into the task's output model, and ask for a repair.

Only the model's own output and the validation errors go into a repair prompt, never a
transport error: a timeout is not something the model can fix.
"""

from __future__ import annotations

import re
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from ..core.validation_errors import describe_errors
from .errors import InvalidOutputError
from .types import Message, ModelRequest

# Models often wrap JSON in a Markdown fence despite being told not to; accept that much.
FENCE = re.compile(r"^\s*```(?:json)?\s*\n(?P<body>.*)\n\s*```\s*$", re.DOTALL)
MAX_ERRORS_SHOWN = 5
# The bad answer sent back for repair is cut to this: enough to see the mistake, and an
# upstream that answers with megabytes cannot make every repair attempt cost as much again.
MAX_REPAIR_OUTPUT_CHARS = 8_000

OutputT = TypeVar("OutputT", bound=BaseModel)


def parse_output(text: str, output_model: type[OutputT]) -> OutputT:
    fenced = FENCE.match(text)
    try:
        return output_model.model_validate_json(fenced["body"] if fenced else text)
    except ValidationError as exc:
        problems = describe_errors(exc, limit=MAX_ERRORS_SHOWN)
        msg = "output does not match the schema: " + "; ".join(problems)
        raise InvalidOutputError(msg) from None


def repair_request(
    request: ModelRequest, bad_output: str, error: InvalidOutputError
) -> ModelRequest:
    """The original conversation, the invalid answer, and what was wrong with it."""
    feedback = (
        f"Your answer was not valid: {error.message}. "
        "Reply again with only a JSON object that matches the schema."
    )
    messages = (
        *request.messages,
        Message(role="assistant", content=truncated(bad_output)),
        Message(role="user", content=feedback),
    )
    return request.model_copy(update={"messages": messages})


def truncated(text: str, limit: int = MAX_REPAIR_OUTPUT_CHARS) -> str:
    if len(text) <= limit:
        return text
    return f"{text[:limit]}\n[... {len(text) - limit} more characters cut]"
