"""A model call that failed after every attempt leaves as a 502, 503 or 504 problem.

The HTTP side of the model errors: `llm` raises them and knows nothing of HTTP.
"""

from __future__ import annotations

import structlog
from fastapi import FastAPI, Request
from starlette.responses import Response

from ..core.problems import problem_response
from ..llm.errors import ModelError


async def model_error(request: Request, exc: Exception) -> Response:
    """The problem carries the error's kind and safe message, never an upstream body."""
    assert isinstance(exc, ModelError)  # noqa: S101 - registered for ModelError only
    structlog.get_logger("tasks").warning("model_call_failed", kind=exc.kind, error=exc.message)
    headers = {}
    if exc.retry_after is not None and exc.http_status == 503:
        headers["Retry-After"] = str(max(1, round(exc.retry_after)))
    return problem_response(
        exc.http_status,
        exc.message,
        instance=request.url.path,
        headers=headers,
        kind=exc.kind.value,
    )


def install_model_error_handler(app: FastAPI) -> None:
    app.add_exception_handler(ModelError, model_error)
