"""Refuse requests whose headers together pass a size limit, with 431 (RFC 6585).

The server has already read the headers by then, so this bounds what the app processes, logs
and keeps per request, not the server's read buffer: a proxy in front bounds that (see
docs/runbook.md), and uvicorn's h11 parser (`--http h11`) takes the same limit.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

from ..problems import send_problem


class HeaderSizeLimitMiddleware:
    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            size = sum(len(name) + len(value) + 4 for name, value in scope["headers"])
            if size > self.max_bytes:
                detail = f"The request headers are larger than {self.max_bytes} bytes."
                await send_problem(send, 431, detail, instance=None)
                return
        await self.app(scope, receive, send)
