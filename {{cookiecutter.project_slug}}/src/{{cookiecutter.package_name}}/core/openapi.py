"""Errors in the OpenAPI schema: every status a route can return, as `application/problem+json`.

FastAPI would document an error model as `application/json` (and its own 422 shape), which is
not what the service sends; so routes take their error responses from this one table, and
`install_problem_schema` adds the `Problem` schema they point at.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from pydantic import BaseModel, ConfigDict

from .problems import PROBLEM_MEDIA_TYPE

ERROR_DESCRIPTIONS = {
    400: "The request body is not valid JSON.",
    401: "No credentials, or credentials that are not valid.",
    403: "The credentials do not allow this operation.",
    404: "No such resource.",
    413: "The request body is larger than the service accepts.",
    422: "A field of the request is invalid; `errors` names each one.",
    429: "Too many requests for these credentials; retry after `Retry-After` seconds.",
    502: "The model failed, or gave an invalid answer, after every attempt.",
    503: "Models unavailable, rate limited, circuit open or budget spent; see `Retry-After`.",
    504: "The model timed out after every attempt.",
}
# What any route behind authentication can answer; 401/403/429 come from auth and rate limits.
PROTECTED = (401, 403, 429)
# What any route that reads a JSON body can answer.
WITH_BODY = (400, 413, 422)
# What a route that calls a model can answer, once every attempt and fallback failed.
MODEL_CALL = (502, 503, 504)


class FieldError(BaseModel):
    field: str
    message: str
    type: str


class Problem(BaseModel):
    """RFC 9457 problem details: the body of every error response."""

    model_config = ConfigDict(extra="allow")

    type: str = "about:blank"
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None
    request_id: str | None = None
    errors: list[FieldError] | None = None  # 400 and 422: which fields, and why.
    kind: str | None = None  # A failed model call: the provider-neutral error kind.


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The `responses=` of a route: each status as a problem, with its description."""
    content = {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}}
    return {
        status: {"description": ERROR_DESCRIPTIONS[status], "content": content}
        for status in sorted(statuses)
    }


def install_problem_schema(app: FastAPI) -> None:
    """Add `Problem` (and what it refers to) to the schema's components, once, when asked."""
    build_schema = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        schema = build_schema()
        problem = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
        schemas = schema.setdefault("components", {}).setdefault("schemas", {})
        schemas.update(problem.pop("$defs", {}))
        schemas["Problem"] = problem
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
