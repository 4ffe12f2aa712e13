from __future__ import annotations

from decimal import Decimal
from typing import Any

import httpx
import orjson
import pytest
from sqlalchemy import select

from {{ cookiecutter.package_name }}.core.database import create_engine, create_sessionmaker
from {{ cookiecutter.package_name }}.core.settings import Settings
from {{ cookiecutter.package_name }}.llm.errors import (
    AuthError,
    ModelError,
    ModelTimeoutError,
    RateLimitedError,
    UnavailableError,
)
from {{ cookiecutter.package_name }}.llm.inference_records import InferenceRecord
from {{ cookiecutter.package_name }}.llm.providers.fake import FakeModelClient, FakeReply

from ..factories import lifespan_client

TICKET = {"subject": "Charged twice", "body": "My billing page shows two charges this month."}
TRIAGE = '{"category": "billing", "urgency": "normal", "summary": "Customer was charged twice."}'


def sse_events(body: str) -> list[tuple[str, dict[str, Any]]]:
    events = []
    for block in body.strip().split("\n\n"):
        name, data = block.split("\n")
        events.append((name.removeprefix("event: "), orjson.loads(data.removeprefix("data: "))))
    return events


async def test_lists_tasks_with_their_schemas(client: httpx.AsyncClient) -> None:
    response = await client.get("/v1/tasks")

    assert response.status_code == 200
    (task,) = [t for t in response.json() if t["name"] == "triage_ticket"]
    assert task["alias"] == "default"
    assert set(task["input_schema"]["required"]) == {"subject", "body"}
    assert set(task["output_schema"]["required"]) == {"category", "urgency", "summary"}


async def test_runs_a_task_through_the_gateway(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/v1/tasks/triage_ticket", json=TICKET, headers={"X-Request-ID": "req-123"}
    )

    assert response.status_code == 200
    body = response.json()
    assert body["task"] == "triage_ticket"
    assert body["output"]["category"] == "billing"  # The offline fake picks what the text names.
    assert body["model"] == "fake-1"
    assert body["deployment"] == "fake"
    assert body["attempts"] == 1
    assert body["usage"]["input_tokens"] > 0
    assert Decimal(body["cost_usd"]) > 0
    assert body["request_id"] == "req-123"


async def test_every_attempt_is_recorded_in_the_database(migrated: Settings, app: Any) -> None:
    async with lifespan_client(app) as client:
        for request_id in ("first", "second"):
            response = await client.post(
                "/v1/tasks/triage_ticket", json=TICKET, headers={"X-Request-ID": request_id}
            )
            assert response.status_code == 200
    # The recorder writes in the background and flushes at shutdown.
    engine = create_engine(migrated)
    async with create_sessionmaker(engine)() as session:
        records = (await session.scalars(select(InferenceRecord))).all()
    await engine.dispose()

    assert sorted(r.request_id or "" for r in records) == ["first", "second"]
    assert {(r.task, r.alias, r.outcome, r.attempt) for r in records} == {
        ("triage_ticket", "default", "ok", 1)
    }
    assert all(r.prompt_version == "triage_ticket@1" and r.cost_usd > 0 for r in records)


async def test_streams_deltas_then_done(
    client: httpx.AsyncClient, scripted_model: FakeModelClient
) -> None:
    scripted_model.queue(TRIAGE)

    response = await client.post("/v1/tasks/triage_ticket?stream=true", json=TICKET)

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/event-stream")
    events = sse_events(response.text)
    deltas = [data["text"] for name, data in events if name == "delta"]
    assert "".join(deltas) == TRIAGE
    assert len(deltas) > 1
    name, done = events[-1]
    assert name == "done"
    assert done["output"] == {
        "category": "billing",
        "urgency": "normal",
        "summary": "Customer was charged twice.",
    }


async def test_a_stream_cut_midway_ends_with_an_error_event(
    client: httpx.AsyncClient, scripted_model: FakeModelClient
) -> None:
    scripted_model.queue(FakeReply(text=TRIAGE, break_stream_after=2))

    response = await client.post("/v1/tasks/triage_ticket?stream=true", json=TICKET)

    events = sse_events(response.text)
    assert [name for name, _ in events] == ["delta", "delta", "error"]
    error = events[-1][1]
    assert error["kind"] == "unavailable"
    assert error["incomplete"] is True
    assert error["request_id"] == response.headers["x-request-id"]


async def test_unknown_task_is_a_404_problem(client: httpx.AsyncClient) -> None:
    response = await client.post("/v1/tasks/no_such_task", json=TICKET)

    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert "no_such_task" in response.json()["detail"]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"subject": "Hi"}, "body.body"),
        ({"subject": "", "body": "text"}, "body.subject"),
        ({**TICKET, "priority": "high"}, "body.priority"),
        ({"subject": 3, "body": "text"}, "body.subject"),
    ],
)
async def test_invalid_input_is_a_422_naming_the_field(
    client: httpx.AsyncClient, payload: dict[str, Any], field: str
) -> None:
    response = await client.post("/v1/tasks/triage_ticket", json=payload)

    assert response.status_code == 422
    assert field in [error["field"] for error in response.json()["errors"]]


async def test_malformed_json_is_a_400(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/v1/tasks/triage_ticket",
        content=b'{"subject": ',
        headers={"content-type": "application/json"},
    )

    assert response.status_code == 400


@pytest.mark.parametrize(
    ("errors", "status", "kind"),
    [
        ([UnavailableError("openai 503")] * 3, 503, "unavailable"),
        ([ModelTimeoutError("no answer within 30s")] * 3, 504, "timeout"),
        ([AuthError("openai 401 invalid_api_key")], 502, "auth"),
    ],
)
async def test_provider_failure_after_every_attempt_is_a_typed_problem(
    client: httpx.AsyncClient,
    scripted_model: FakeModelClient,
    errors: list[ModelError],
    status: int,
    kind: str,
) -> None:
    scripted_model.queue(*errors)

    response = await client.post("/v1/tasks/triage_ticket", json=TICKET)

    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["kind"] == kind
    assert body["request_id"] == response.headers["x-request-id"]
    assert len(scripted_model.requests) == len(errors)


async def test_rate_limited_gives_retry_after(
    client: httpx.AsyncClient, scripted_model: FakeModelClient
) -> None:
    # Retry-After longer than the policy allows: no retry here, and no fallback to offer.
    scripted_model.queue(RateLimitedError("openai 429 rate_limit_exceeded", retry_after=42))

    response = await client.post("/v1/tasks/triage_ticket", json=TICKET)

    assert response.status_code == 503
    assert response.headers["retry-after"] == "42"
    assert response.json()["kind"] == "rate_limited"


async def test_invalid_output_is_repaired_once_then_a_502(
    client: httpx.AsyncClient, scripted_model: FakeModelClient
) -> None:
    scripted_model.queue('{"category": "billing"}', "not json at all")

    response = await client.post("/v1/tasks/triage_ticket", json=TICKET)

    assert response.status_code == 502
    assert response.json()["kind"] == "invalid_output"
    repair = scripted_model.requests[1].messages
    assert repair[-2].content == '{"category": "billing"}'
    assert "urgency" in repair[-1].content


async def test_invalid_output_repaired(
    client: httpx.AsyncClient, scripted_model: FakeModelClient
) -> None:
    scripted_model.queue('{"category": "billing"}', TRIAGE)

    response = await client.post("/v1/tasks/triage_ticket", json=TICKET)

    assert response.status_code == 200
    assert response.json()["attempts"] == 2
    assert response.json()["output"]["summary"] == "Customer was charged twice."


async def test_openapi_shows_each_tasks_input_and_output(client: httpx.AsyncClient) -> None:
    document = (await client.get("/openapi.json")).json()
    schemas = document["components"]["schemas"]

    operation = document["paths"]["/v1/tasks/triage_ticket"]["post"]
    body = operation["requestBody"]["content"]["application/json"]["schema"]
    assert body == {"$ref": "#/components/schemas/Ticket", "description": body["description"]}
    assert set(schemas["Ticket"]["required"]) == {"subject", "body"}
    ok = operation["responses"]["200"]["content"]
    result = schemas[ok["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]]
    assert result["properties"]["output"] == {"$ref": "#/components/schemas/Triage"}
    assert set(schemas["Triage"]["required"]) == {"category", "urgency", "summary"}
    assert ok["text/event-stream"]["schema"]["properties"]["event"]["enum"] == [
        "delta",
        "done",
        "error",
    ]


async def test_openapi_documents_every_error_as_a_problem(client: httpx.AsyncClient) -> None:
    document = (await client.get("/openapi.json")).json()

    run = document["paths"]["/v1/tasks/triage_ticket"]["post"]["responses"]
    assert sorted(run) == ["200", "400", "401", "403", "413", "422", "429", "502", "503", "504"]
    for path, operations in document["paths"].items():
        for operation in operations.values():
            for status, response in operation["responses"].items():
                if status.startswith("2") or path == "/health/ready":
                    continue
                schema = {"$ref": "#/components/schemas/Problem"}
                assert response["content"] == {"application/problem+json": {"schema": schema}}
    problem = document["components"]["schemas"]["Problem"]
    assert set(problem["required"]) == {"title", "status"}
    assert "HTTPValidationError" not in document["components"]["schemas"]
