"""The metrics port after known traffic, parsed as Prometheus parses it."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from {{ cookiecutter.package_name }}.app import create_app
from {{ cookiecutter.package_name }}.core import migrations

from ..factories import LogOutput, lifespan_client, make_settings
from .scraping import scrape, value

TICKET = {"subject": "Charged twice", "body": "Two charges on my card this month."}
PROBES = 7
SCANNED_PATHS = [f"/wp-admin/{n}/setup.php" for n in range(5)]


@pytest.fixture
async def served(
    sqlite_url: str, log_output: LogOutput
) -> AsyncIterator[tuple[httpx.AsyncClient, str, FastAPI]]:
    settings = make_settings(database_url=sqlite_url, metrics_port=0)
    await asyncio.to_thread(migrations.upgrade, settings)
    app = create_app(settings)
    async with lifespan_client(app) as client:
        (serving,) = log_output.events("metrics_serving")
        yield client, f"http://127.0.0.1:{serving['port']}/metrics", app


async def test_http_requests_are_counted_by_route_template_and_status_class(
    served: tuple[httpx.AsyncClient, str, FastAPI],
) -> None:
    client, url, app = served
    before = await asyncio.to_thread(scrape, url)

    for _ in range(PROBES):
        assert (await client.get("/health/live")).status_code == 200
    for path in SCANNED_PATHS:
        assert (await client.get(path)).status_code == 404
    after = await asyncio.to_thread(scrape, url)

    def delta(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    live = {"method": "GET", "route": "/health/live", "status_class": "2xx"}
    assert delta("http_server_request_duration_seconds_count", **live) == PROBES
    assert delta("http_server_request_duration_seconds_count", **live) == PROBES
    unmatched = {"route": "unmatched", "status_class": "4xx"}
    assert delta("http_server_request_duration_seconds_count", **unmatched) == len(SCANNED_PATHS)
    # No series is labelled with a raw path: every route label is a template or "unmatched".
    templates = set(app.openapi()["paths"])
    # Series of this test's traffic: those whose sample changed (others come from other apps
    # of this test process, which share prometheus-client's registry).
    changed = {s.labels["route"] for s in after if "route" in s.labels and s not in before}
    assert "unmatched" in changed
    assert changed <= templates | {"unmatched"}
    assert not {label for s in after for label in s.labels.values()} & set(SCANNED_PATHS)
    assert value(after, "http_server_active_requests") == 0


async def test_a_task_call_feeds_the_genai_model_metrics(
    served: tuple[httpx.AsyncClient, str, FastAPI],
) -> None:
    client, url, _ = served
    before = await asyncio.to_thread(scrape, url)

    response = await client.post("/v1/tasks/triage_ticket", json=TICKET)
    after = await asyncio.to_thread(scrape, url)

    assert response.status_code == 200, response.text
    body = response.json()
    labels = {"alias": body["alias"], "deployment": body["deployment"]}

    def delta(name: str, **extra: str) -> float:
        return value(after, name, **labels, **extra) - value(before, name, **labels, **extra)

    assert delta("gen_ai_client_operation_duration_seconds_count", outcome="ok") == 1
    usage = body["usage"]
    tokens = "gen_ai_client_token_usage_sum"
    assert delta(tokens, gen_ai_token_type="input") == usage["input_tokens"]
    assert delta(tokens, gen_ai_token_type="output") == usage["output_tokens"]
    assert delta("model_cost_usd_total") == pytest.approx(float(body["cost_usd"]))


async def test_the_state_gauges_are_sampled(
    served: tuple[httpx.AsyncClient, str, FastAPI],
) -> None:
    _, url, _ = served

    samples = await asyncio.to_thread(scrape, url)

    assert value(samples, "model_circuit_state", deployment="fake") == 0  # closed
    assert "inference_recorder_queue_depth" in {s.name for s in samples}


def test_metrics_are_off_unless_a_port_is_set(tmp_path: Path) -> None:
    assert make_settings(database_url=f"sqlite+aiosqlite:///{tmp_path}/x.db").metrics_port is None
