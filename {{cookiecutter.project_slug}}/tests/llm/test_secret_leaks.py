"""A key planted in every field an upstream controls reaches no response, event, report or log.

The upstream echoes the service's own API key (as a misconfigured proxy would) in the error
code, type and message, the served model id, a stream's error event and its headers.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from {{ cookiecutter.package_name }}.app import create_app
from {{ cookiecutter.package_name }}.core import migrations
from {{ cookiecutter.package_name }}.core.logging import configure_logging
from {{ cookiecutter.package_name }}.evals.layout import EvalLayout
from {{ cookiecutter.package_name }}.evals.report import REPORT_FILES, write_reports
from {{ cookiecutter.package_name }}.evals.results import CaseError
from {{ cookiecutter.package_name }}.evals.run import EvalMode, run_suite

from ..evals.eval_project import SUITE, correct_answers, write_recordings, write_suite
from ..factories import LogOutput, lifespan_client, make_settings
from .wire_protocols import sse
from .wire_servers import Reply, WireServer

# Not credential-shaped on purpose: only knowing the configured value can catch it.
KEY = "proj0a1b2c3d4e5f6g7h8i9j0k1l2m3n4o5p6q7"
TICKET = {"subject": "Charged twice", "body": "Two charges on my card this month."}
TRIAGE = '{"category": "billing", "urgency": "normal", "summary": "Double charge."}'


def models_file(directory: Path, url: str) -> tuple[Path, Path]:
    models = directory / "models.toml"
    models.write_text(
        f"""
version = "leak"
[deployments.openai]
provider = "openai"
model = "gpt-leak"
base_url = "{url}/v1"
[deployments.openai.retry]
max_attempts = 1
[aliases.default]
deployments = ["openai"]
"""
    )
    prices = directory / "prices.toml"
    prices.write_text(
        """
version = "leak"
[prices."openai/gpt-leak"]
input_usd_per_million_tokens = 1.0
output_usd_per_million_tokens = 2.0
"""
    )
    return models, prices


@pytest.fixture
async def api(
    tmp_path: Path, sqlite_url: str, log_output: LogOutput, openai_server: WireServer
) -> AsyncIterator[httpx.AsyncClient]:
    models, prices = models_file(tmp_path, openai_server.url)
    settings = make_settings(
        database_url=sqlite_url, models_file=models, prices_file=prices, openai_api_key=KEY
    )
    await asyncio.to_thread(migrations.upgrade, settings)
    async with lifespan_client(create_app(settings)) as client:
        yield client


def leaky_error(**fields: Any) -> dict[str, Any]:
    error = {"type": KEY, "code": KEY, "message": f"bad key {KEY}", "param": KEY} | fields
    return {"error": error}


LEAKY_REPLIES = [
    pytest.param(Reply(status=401, body=leaky_error()), id="401-all-fields"),
    pytest.param(Reply(status=400, body=leaky_error(type="invalid_request_error")), id="400-code"),
    pytest.param(Reply(status=429, body=leaky_error(), headers={"x-echo": KEY}), id="429"),
    pytest.param(Reply(status=500, body=leaky_error(code=None)), id="500-type"),
    pytest.param(Reply(status=404, body={"error": f"model {KEY} not found"}), id="404-string"),
    pytest.param(Reply(text=TRIAGE, model=KEY), id="200-model"),
    pytest.param(Reply(text=TRIAGE, model=f"gpt {KEY} suffix"), id="200-model-inside"),
]


@pytest.mark.parametrize("stream", [False, True], ids=["json", "sse"])
@pytest.mark.parametrize("reply", LEAKY_REPLIES)
async def test_a_key_echoed_by_the_upstream_reaches_no_response_or_log(
    api: httpx.AsyncClient,
    openai_server: WireServer,
    log_output: LogOutput,
    reply: Reply,
    stream: bool,
) -> None:
    openai_server.queue(reply)

    response = await api.post(f"/v1/tasks/triage_ticket?stream={str(stream).lower()}", json=TICKET)

    assert response.status_code < 600
    assert KEY not in response.text
    assert KEY not in str(response.headers)
    assert KEY not in log_output.text()


async def test_a_key_in_a_stream_error_event_reaches_no_event_or_log(
    api: httpx.AsyncClient, openai_server: WireServer, log_output: LogOutput
) -> None:
    events = (sse(leaky_error()),)
    openai_server.queue(Reply(events=events))

    response = await api.post("/v1/tasks/triage_ticket?stream=true", json=TICKET)

    assert "event: error" in response.text
    assert KEY not in response.text
    assert KEY not in log_output.text()


async def test_eval_reports_are_scrubbed_of_configured_secrets(
    tmp_path: Path, log_output: LogOutput
) -> None:
    settings = make_settings(openai_api_key=KEY)
    configure_logging(settings, log_output.stream)
    layout: EvalLayout = write_suite(tmp_path / "evals")
    write_recordings(layout, correct_answers())
    results = await run_suite(settings, layout, SUITE, EvalMode.REPLAY)
    case = results.cases[0]
    error = CaseError(kind=KEY, message=f"openai 401 {KEY}; Bearer abc.def")
    attempt = case.attempts[0].model_copy(update={"error": error, "passed": None})
    leaky_case = case.model_copy(update={"id": f"case-{KEY}", "attempts": (attempt,)})
    leaky = results.model_copy(update={"cases": (leaky_case, *results.cases[1:])})

    write_reports(leaky, tmp_path / "reports")

    for name in REPORT_FILES:
        text = (tmp_path / "reports" / name).read_text(encoding="utf-8")
        assert KEY not in text, name
        assert "abc.def" not in text, name
