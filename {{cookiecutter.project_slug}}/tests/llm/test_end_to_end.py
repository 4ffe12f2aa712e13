"""The task API over real HTTP providers on 127.0.0.1: fallback across providers, accounting,
streaming, and no key or upstream body in any response or log line."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import orjson
import pytest

from {{ cookiecutter.package_name }}.app import create_app
from {{ cookiecutter.package_name }}.core import migrations

from ..factories import LogOutput, lifespan_client, make_settings
from .wire_servers import Reply, WireServer

OPENAI_KEY = "sk-e2e-openai-0123456789abcdefghijklmnopqrstuv"
ANTHROPIC_KEY = "sk-ant-e2e-0123456789abcdefghijklmnopqrstuv"
UPSTREAM_SECRET = "UPSTREAM-BODY-MUST-NOT-LEAK"
TICKET = {"subject": "Charged twice", "body": "Two charges on my card this month."}
TRIAGE = '{"category": "billing", "urgency": "normal", "summary": "Double charge."}'


def write_config(directory: Path, openai_url: str, anthropic_url: str) -> tuple[Path, Path]:
    models = directory / "models.toml"
    models.write_text(
        f"""
version = "e2e"
[deployments.openai]
provider = "openai"
model = "gpt-e2e"
base_url = "{openai_url}/v1"
[deployments.anthropic]
provider = "anthropic"
model = "claude-e2e"
base_url = "{anthropic_url}"
[deployments.openai.retry]
max_attempts = 2
base_delay_seconds = 0.0
max_delay_seconds = 0.0
[aliases.default]
deployments = ["openai", "anthropic"]
"""
    )
    prices = directory / "prices.toml"
    prices.write_text(
        """
version = "e2e"
[prices."openai/gpt-e2e"]
input_usd_per_million_tokens = 1.0
output_usd_per_million_tokens = 2.0
[prices."anthropic/claude-e2e"]
input_usd_per_million_tokens = 3.0
output_usd_per_million_tokens = 4.0
"""
    )
    return models, prices


@pytest.fixture
async def api(
    tmp_path: Path,
    sqlite_url: str,
    log_output: LogOutput,
    openai_server: WireServer,
    anthropic_server: WireServer,
) -> AsyncIterator[httpx.AsyncClient]:
    models, prices = write_config(tmp_path, openai_server.url, anthropic_server.url)
    settings = make_settings(
        database_url=sqlite_url,
        models_file=models,
        prices_file=prices,
        openai_api_key=OPENAI_KEY,
        anthropic_api_key=ANTHROPIC_KEY,
    )
    await asyncio.to_thread(migrations.upgrade, settings)
    async with lifespan_client(create_app(settings)) as client:
        yield client


async def test_served_by_openai_with_its_key_and_priced(
    api: httpx.AsyncClient, openai_server: WireServer
) -> None:
    openai_server.queue(Reply(text=TRIAGE, usage=(1000, 500)))

    response = await api.post("/v1/tasks/triage_ticket", json=TICKET)

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["output"]["category"] == "billing"
    assert (body["deployment"], body["model"]) == ("openai", "gpt-e2e")
    assert body["cost_usd"] == "0.002"  # 1000 * $1/M + 500 * $2/M
    (received,) = openai_server.received
    assert received.headers["authorization"] == f"Bearer {OPENAI_KEY}"
    assert received.json["response_format"]["type"] == "json_schema"


async def test_falls_back_to_anthropic_when_openai_keeps_failing(
    api: httpx.AsyncClient, openai_server: WireServer, anthropic_server: WireServer
) -> None:
    openai_server.queue(Reply(status=500), Reply(status=503))
    anthropic_server.queue(Reply(text=TRIAGE, usage=(100, 10)))

    response = await api.post("/v1/tasks/triage_ticket", json=TICKET)

    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["deployment"], body["attempts"]) == ("anthropic", 3)
    assert len(openai_server.received) == 2
    assert anthropic_server.received[0].headers["x-api-key"] == ANTHROPIC_KEY


async def test_a_refused_key_leaks_neither_key_nor_upstream_body(
    api: httpx.AsyncClient, openai_server: WireServer, log_output: LogOutput
) -> None:
    leaky = {
        "error": {"type": "invalid_request_error", "message": f"{UPSTREAM_SECRET} {OPENAI_KEY}"}
    }
    openai_server.queue(Reply(status=401, body=leaky))

    response = await api.post("/v1/tasks/triage_ticket", json=TICKET)

    assert response.status_code == 502
    assert response.json()["kind"] == "auth"
    for text in (response.text, log_output.text()):
        assert OPENAI_KEY not in text
        assert UPSTREAM_SECRET not in text


async def test_streams_from_a_real_sse_upstream(
    api: httpx.AsyncClient, openai_server: WireServer
) -> None:
    chunks = (TRIAGE[:20], TRIAGE[20:45], TRIAGE[45:])
    openai_server.queue(Reply(text=TRIAGE, chunks=chunks))

    response = await api.post("/v1/tasks/triage_ticket?stream=true", json=TICKET)

    events = [block.split("\n") for block in response.text.strip().split("\n\n")]
    names = [name.removeprefix("event: ") for name, _ in events]
    assert names == ["delta", "delta", "delta", "done"]
    done = orjson.loads(events[-1][1].removeprefix("data: "))
    assert done["output"]["summary"] == "Double charge."
