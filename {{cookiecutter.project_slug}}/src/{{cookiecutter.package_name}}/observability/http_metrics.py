"""Pure ASGI middleware counting HTTP requests by route template and status class."""

from __future__ import annotations

import time
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .metrics import http_duration, http_in_flight

# A path no route matched (a 404 scan, a 405) is one series, whatever the path was.
UNMATCHED_ROUTE = "unmatched"
KNOWN_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
STATUS_CLASSES = ("1xx", "2xx", "3xx", "4xx", "5xx")


class HttpMetricsMiddleware:
    """Outermost of our middleware, so 413s and last-resort 500s are counted too.

    Label children are bound once per (method, route, status class) and cached: `.labels()`
    costs a lock and a tuple hash on every call, the cache one dict lookup.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self._durations: dict[tuple[str, str, str], Any] = {}
        self._in_flight = {method: http_in_flight.labels(method) for method in KNOWN_METHODS}
        self._other_in_flight = http_in_flight.labels("other")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        method = scope["method"]
        in_flight = self._in_flight.get(method, self._other_in_flight)
        status = 500  # Unless the response starts: the app raised before it did.

        async def send_with_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        in_flight.inc()
        started = time.perf_counter()
        try:
            await self.app(scope, receive, send_with_status)
        finally:
            elapsed = time.perf_counter() - started
            in_flight.dec()
            route = scope.get("route")
            key = (
                method if method in KNOWN_METHODS else "other",
                getattr(route, "path", UNMATCHED_ROUTE),
                STATUS_CLASSES[min(max(status // 100, 1), 5) - 1],
            )
            duration = self._durations.get(key)
            if duration is None:
                duration = self._durations[key] = http_duration.labels(*key)
            duration.observe(elapsed)
