"""Pure ASGI middleware (never BaseHTTPMiddleware: it is slow and breaks contextvars)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from starlette.middleware.cors import CORSMiddleware

from ..settings import AppEnv
from .body_limit import BodySizeLimitMiddleware
from .request_context import RequestContextMiddleware
from .security_headers import SecurityHeadersMiddleware

if TYPE_CHECKING:
    from fastapi import FastAPI

    from ..settings import Settings

__all__ = [
    "BodySizeLimitMiddleware",
    "RequestContextMiddleware",
    "SecurityHeadersMiddleware",
    "install_middleware",
]


def install_middleware(app: FastAPI, settings: Settings) -> None:
    """The last one added runs first: request context wraps everything else."""
    app.add_middleware(BodySizeLimitMiddleware, max_bytes=settings.max_request_body_bytes)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["*"],
            allow_headers=["*"],
            expose_headers=["X-Request-ID"],
        )
    app.add_middleware(SecurityHeadersMiddleware, hsts=settings.env is AppEnv.PRODUCTION)
    app.add_middleware(RequestContextMiddleware)
