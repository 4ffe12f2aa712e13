from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI
from pydantic import BaseModel, Field

from ..factories import TEST_SECRET_KEY, LogOutput

PROBLEM = "application/problem+json"


class Order(BaseModel):
    item: str = Field(min_length=1)
    quantity: int = Field(gt=0)


async def create_order(order: Order) -> Order:
    return order


async def list_orders() -> list[Order]:
    return []


async def explode() -> None:
    raise RuntimeError(f"database password is {TEST_SECRET_KEY}")


@pytest.fixture
def routes(app: FastAPI) -> None:
    """Routes that fail in known ways, added before the client starts the app."""
    app.add_api_route("/orders", create_order, methods=["POST"])
    app.add_api_route("/orders", list_orders, methods=["GET"])
    app.add_api_route("/explode", explode)


async def test_unknown_path_is_a_404_problem(client: httpx.AsyncClient) -> None:
    response = await client.get("/nope")

    assert response.status_code == 404
    assert response.headers["content-type"] == PROBLEM
    body = response.json()
    assert body["title"] == "Not Found"
    assert body["status"] == 404
    assert body["instance"] == "/nope"
    assert body["request_id"] == response.headers["x-request-id"]


async def test_wrong_method_is_a_405_problem_with_allow(client: httpx.AsyncClient) -> None:
    response = await client.post("/health/live")

    assert response.status_code == 405
    assert response.headers["content-type"] == PROBLEM
    assert response.headers["allow"] == "GET"
    assert response.json()["title"] == "Method Not Allowed"


@pytest.mark.usefixtures("routes")
async def test_invalid_fields_are_a_422_problem_naming_each_field(
    client: httpx.AsyncClient,
) -> None:
    response = await client.post("/orders", json={"item": "", "quantity": "many"})

    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM
    body = response.json()
    assert body["detail"] == "The request has invalid fields."
    fields = {error["field"]: error["type"] for error in body["errors"]}
    assert fields == {"body.item": "string_too_short", "body.quantity": "int_parsing"}


@pytest.mark.usefixtures("routes")
async def test_missing_field_is_named(client: httpx.AsyncClient) -> None:
    response = await client.post("/orders", json={"item": "pen"})

    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "body.quantity", "message": "Field required", "type": "missing"}
    ]


@pytest.mark.usefixtures("routes")
async def test_malformed_json_is_a_400_problem(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/orders", content=b'{"item": "pen",', headers={"content-type": "application/json"}
    )

    assert response.status_code == 400
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["detail"] == "The request body is not valid JSON."


@pytest.mark.usefixtures("routes")
async def test_unexpected_error_is_a_500_problem_without_internals(
    client: httpx.AsyncClient, log_output: LogOutput
) -> None:
    response = await client.get("/explode", headers={"X-Request-ID": "boom-1"})

    assert response.status_code == 500
    assert response.headers["content-type"] == PROBLEM
    assert response.headers["x-request-id"] == "boom-1"
    assert response.headers["x-content-type-options"] == "nosniff"
    body = response.json()
    assert body["request_id"] == "boom-1"
    assert "Traceback" not in response.text
    assert "RuntimeError" not in response.text
    assert TEST_SECRET_KEY not in response.text

    (error,) = log_output.events("unhandled_error")
    assert error["request_id"] == "boom-1"
    assert "Traceback" in error["exception"]
    assert "RuntimeError" in error["exception"]
    assert TEST_SECRET_KEY not in log_output.text()
    (access,) = log_output.events("request")
    assert access["status"] == 500


@pytest.mark.usefixtures("routes")
async def test_a_405_lists_the_methods_of_every_route_on_the_path(
    client: httpx.AsyncClient,
) -> None:
    response = await client.delete("/orders")

    assert response.status_code == 405
    assert response.headers["content-type"] == PROBLEM
    assert response.headers["allow"] == "GET, POST"
