"""RFC 9457 problem details: the one shape of every error body the service sends."""

from __future__ import annotations

from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

import orjson
from starlette.responses import Response
from starlette.types import Send

from .logging import current_request_id
from .scrubbing import scrub_value

PROBLEM_MEDIA_TYPE = "application/problem+json"


def problem_document(
    status: int, detail: str | None = None, *, instance: str | None = None, **extensions: Any
) -> dict[str, Any]:
    document: dict[str, Any] = {
        "type": "about:blank",
        "title": HTTPStatus(status).phrase,
        "status": status,
    }
    if detail:
        document["detail"] = detail
    if instance:
        document["instance"] = instance
    document["request_id"] = current_request_id()
    document.update(extensions)
    # The last step before a problem leaves: no configured secret or credential shape in it.
    scrubbed: dict[str, Any] = scrub_value(document)
    return scrubbed


def problem_response(
    status: int,
    detail: str | None = None,
    *,
    instance: str | None = None,
    headers: Mapping[str, str] | None = None,
    **extensions: Any,
) -> Response:
    body = orjson.dumps(problem_document(status, detail, instance=instance, **extensions))
    return Response(body, status_code=status, headers=headers, media_type=PROBLEM_MEDIA_TYPE)


async def send_problem(send: Send, status: int, detail: str, *, instance: str | None) -> None:
    """Send a problem from plain ASGI middleware, where no Response machinery runs."""
    body = orjson.dumps(problem_document(status, detail, instance=instance))
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", PROBLEM_MEDIA_TYPE.encode()),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
