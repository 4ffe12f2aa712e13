"""Request id, one access log line per request, and the last-resort 500 problem."""

from __future__ import annotations

import os
import re
import time

import structlog
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..problems import send_problem

REQUEST_ID_HEADER = b"x-request-id"
# Accept a caller's id only when it is short and plain, so it cannot forge log lines.
ACCEPTED_REQUEST_ID = re.compile(rb"^[A-Za-z0-9._:-]{1,128}$")
UNEXPECTED_ERROR = "An unexpected error occurred; quote the request id when reporting it."


def incoming_request_id(scope: Scope) -> str | None:
    name: bytes
    value: bytes
    for name, value in scope["headers"]:
        if name == REQUEST_ID_HEADER and ACCEPTED_REQUEST_ID.match(value):
            return value.decode("ascii")
    return None


class RequestContextMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.access_log = structlog.get_logger("access")
        self.error_log = structlog.get_logger("errors")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        # The caller's id (when well formed) correlates with its logs; ours is always kept too.
        server_request_id = os.urandom(16).hex()
        request_id = incoming_request_id(scope) or server_request_id
        tokens = structlog.contextvars.bind_contextvars(
            request_id=request_id, server_request_id=server_request_id
        )
        request_id_header = (REQUEST_ID_HEADER, request_id.encode("ascii"))
        status: int | None = None
        started = time.perf_counter()

        async def send_with_request_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", ()), request_id_header]
            await send(message)

        try:
            await self.app(scope, receive, send_with_request_id)
        except Exception:
            self.error_log.exception("unhandled_error", path=scope["path"])
            if status is not None:
                raise  # The response has started; the server can only drop the connection.
            await send_problem(send_with_request_id, 500, UNEXPECTED_ERROR, instance=scope["path"])
        finally:
            route = scope.get("route")
            self.access_log.info(
                "request",
                method=scope["method"],
                route=getattr(route, "path", None),
                path=scope["path"],
                status=status or 500,
                duration_ms=round((time.perf_counter() - started) * 1000, 3),
            )
            structlog.contextvars.reset_contextvars(**tokens)
