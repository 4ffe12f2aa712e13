from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from pydantic import BaseModel

from {{ cookiecutter.package_name }}.app import create_app
from {{ cookiecutter.package_name }}.core.settings import Settings

from ..factories import TEST_SECRET_KEY, lifespan_client, production_settings


class Echo(BaseModel):
    text: str


async def echo(body: Echo) -> Echo:
    return body


async def test_request_id_is_generated_when_absent(client: httpx.AsyncClient) -> None:
    first = await client.get("/health/live")
    second = await client.get("/health/live")

    assert len(first.headers["x-request-id"]) == 32
    assert first.headers["x-request-id"] != second.headers["x-request-id"]


async def test_a_callers_request_id_is_returned(client: httpx.AsyncClient) -> None:
    response = await client.get("/health/live", headers={"X-Request-ID": "abc-123.DEF:9"})

    assert response.headers["x-request-id"] == "abc-123.DEF:9"


@pytest.mark.parametrize("bad_id", ["has space", "x" * 129, "new\\nline", "<script>"])
async def test_an_unsafe_request_id_is_replaced(client: httpx.AsyncClient, bad_id: str) -> None:
    response = await client.get("/health/live", headers={"X-Request-ID": bad_id})

    assert response.headers["x-request-id"] != bad_id
    assert len(response.headers["x-request-id"]) == 32


async def test_security_headers_are_set(client: httpx.AsyncClient) -> None:
    response = await client.get("/health/live")

    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert "default-src 'none'" in response.headers["content-security-policy"]
    assert "strict-transport-security" not in response.headers


async def test_production_adds_hsts_and_hides_the_docs(migrated: Settings, tmp_path: Path) -> None:
    settings = production_settings(
        tmp_path,
        secret_key=TEST_SECRET_KEY,
        database_url=migrated.database_url.get_secret_value(),
    )
    async with lifespan_client(create_app(settings)) as client:
        live = await client.get("/health/live")
        docs = await client.get("/docs")
        schema = await client.get("/openapi.json")

    assert live.headers["strict-transport-security"].startswith("max-age=")
    assert docs.status_code == 404
    assert schema.status_code == 404


async def test_docs_page_is_served_without_the_api_csp(client: httpx.AsyncClient) -> None:
    response = await client.get("/docs")

    assert response.status_code == 200
    assert "content-security-policy" not in response.headers


async def test_body_over_the_limit_is_refused_from_its_declared_length(
    migrated: Settings,
) -> None:
    app = create_app(migrated.model_copy(update={"max_request_body_bytes": 64}))
    app.add_api_route("/echo", echo, methods=["POST"])
    async with lifespan_client(app) as client:
        small = await client.post("/echo", json={"text": "hi"})
        large = await client.post("/echo", json={"text": "x" * 100})

    assert small.status_code == 200
    assert large.status_code == 413
    assert large.headers["content-type"] == "application/problem+json"
    assert large.json()["detail"] == "The request body is larger than 64 bytes."
    assert large.json()["request_id"] == large.headers["x-request-id"]


async def test_chunked_body_over_the_limit_is_refused_while_read(migrated: Settings) -> None:
    app = create_app(migrated.model_copy(update={"max_request_body_bytes": 64}))
    app.add_api_route("/echo", echo, methods=["POST"])

    async def chunks() -> AsyncIterator[bytes]:
        yield b'{"text": "0123456789"'
        for _ in range(10):
            yield b" " * 10

    async with lifespan_client(app) as client:
        response = await client.post(
            "/echo", content=chunks(), headers={"content-type": "application/json"}
        )

    assert response.status_code == 413
    assert response.json()["status"] == 413


async def test_cors_allows_only_configured_origins(migrated: Settings) -> None:
    app = create_app(migrated.model_copy(update={"cors_origins": ["https://app.example"]}))
    async with lifespan_client(app) as client:
        allowed = await client.get("/health/live", headers={"Origin": "https://app.example"})
        denied = await client.get("/health/live", headers={"Origin": "https://evil.example"})

    assert allowed.headers["access-control-allow-origin"] == "https://app.example"
    assert "access-control-allow-origin" not in denied.headers


def test_security_headers_wrap_the_request_context(app: FastAPI) -> None:
    names = [middleware.cls.__name__ for middleware in app.user_middleware]  # type: ignore[attr-defined]

    assert names == [
        "SecurityHeadersMiddleware",
        "RequestContextMiddleware",
        "HeaderSizeLimitMiddleware",
        "BodySizeLimitMiddleware",
    ]
