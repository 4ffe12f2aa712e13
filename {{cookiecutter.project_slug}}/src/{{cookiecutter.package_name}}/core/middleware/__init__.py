"""Pure ASGI middleware (never BaseHTTPMiddleware: it is slow and breaks contextvars)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from starlette.middleware.cors import CORSMiddleware

from ..settings import AppEnv
from .body_limit import BodySizeLimitMiddleware
from .header_limit import HeaderSizeLimitMiddleware
from .request_context import RequestContextMiddleware
from .security_headers import SecurityHeadersMiddleware

if TYPE_CHECKING:
    from fastapi import FastAPI

    from ..settings import Settings

__all__ = [
    "BodySizeLimitMiddleware",
    "HeaderSizeLimitMiddleware",
    "RequestContextMiddleware",
    "SecurityHeadersMiddleware",
    "install_middleware",
]


def install_middleware(app: FastAPI, settings: Settings) -> None:
    """The last one added runs first.

    CORS and security headers wrap everything, so even a 500 or 413 carries them; the
    request context (id, access log, last-resort 500) wraps the body limit and the app.
    """
    app.add_middleware(BodySizeLimitMiddleware, max_bytes=settings.max_request_body_bytes)
    app.add_middleware(HeaderSizeLimitMiddleware, max_bytes=settings.max_request_header_bytes)
    app.add_middleware(RequestContextMiddleware)
    app.add_middleware(SecurityHeadersMiddleware, hsts=settings.env is AppEnv.PRODUCTION)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["*"],
            allow_headers=["*"],
            expose_headers=["X-Request-ID"],
        )
