"""Exception handlers: every error leaves as `application/problem+json`."""

from __future__ import annotations

import itertools

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.responses import Response
from starlette.routing import Match

from .problems import problem_response
from .validation_errors import field_path

MAX_ERRORS_SHOWN = 20
MAX_FIELD_CHARS = 200
HTTP_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


async def http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)  # noqa: S101 - registered for HTTPException only
    detail = exc.detail if isinstance(exc.detail, str) else None
    headers = exc.headers
    if exc.status_code == 405:
        # Starlette names only the methods of the first route on the path; a collection with
        # GET and POST in two routes must list both.
        headers = {**(headers or {}), "Allow": allowed_methods(request)}
    return problem_response(exc.status_code, detail, instance=request.url.path, headers=headers)


def allowed_methods(request: Request) -> str:
    """Every method some route serves on this request's path, asked of the routes themselves
    (included routers keep their routes to themselves)."""
    routes = request.app.router.routes

    def served(method: str) -> bool:
        scope = {**request.scope, "method": method}
        return any(route.matches(scope)[0] is Match.FULL for route in routes)

    return ", ".join(method for method in HTTP_METHODS if served(method))


async def validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)  # noqa: S101 - registered for it only
    # A body can be built to fail on every one of 100,000 keys: the answer names the first few
    # and counts the rest, so it stays small and cheap whatever the request.
    found = exc.errors()
    errors = [
        {
            "field": field_path(error["loc"])[:MAX_FIELD_CHARS],
            "message": error["msg"],
            "type": error["type"],
        }
        for error in itertools.islice(found, MAX_ERRORS_SHOWN)
    ]
    if any(error["type"] == "json_invalid" for error in errors):
        return problem_response(
            400,
            "The request body is not valid JSON.",
            instance=request.url.path,
            errors=errors,
            error_count=getattr(exc, "total", len(found)),
        )
    return problem_response(
        422,
        "The request has invalid fields.",
        instance=request.url.path,
        errors=errors,
        error_count=getattr(exc, "total", len(found)),
    )


def install_error_handlers(app: FastAPI) -> None:
    """Unexpected errors are turned into a 500 problem by RequestContextMiddleware."""
    app.add_exception_handler(HTTPException, http_error)
    app.add_exception_handler(RequestValidationError, validation_error)
