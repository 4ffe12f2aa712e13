"""Spans: one per request (FastAPI's), one per model attempt with GenAI attributes, the trace
carried to the provider in `traceparent`, and its ids on every log line of the request."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind

from {{ cookiecutter.package_name }}.app import create_app
from {{ cookiecutter.package_name }}.core import migrations
from {{ cookiecutter.package_name }}.core.logging import configure_logging
from {{ cookiecutter.package_name }}.observability.tracing import (
    TracingConfigError,
    span_exporters,
    tracing_requested,
)

from ..factories import LogOutput, lifespan_client, make_settings
from ..llm.wire_protocols import OpenAIWire
from ..llm.wire_servers import Reply, WireServer

TICKET = {"subject": "Charged twice", "body": "PRIVATE-TICKET-TEXT on my card."}
TRIAGE = '{"category": "billing", "urgency": "normal", "summary": "Double charge."}'
MODELS = """
version = "trace"
[deployments.openai]
provider = "openai"
model = "gpt-trace"
base_url = "{url}/v1"
[aliases.default]
deployments = ["openai"]
[aliases.cheap]
deployments = ["openai"]
"""
PRICES = """
version = "trace"
[prices."openai/gpt-trace"]
input_usd_per_million_tokens = 1.0
output_usd_per_million_tokens = 2.0
"""


@pytest.fixture(scope="module")
def upstream() -> Iterator[WireServer]:
    server = WireServer(OpenAIWire())
    server.start()
    yield server
    server.stop()


async def traced_call(
    tmp_path: Path, upstream: WireServer, log_output: LogOutput, *, trace_content: bool = False
) -> tuple[list[ReadableSpan], httpx.Response]:
    """One task call through the real app with an in-memory span exporter."""
    upstream.reset()
    upstream.queue(Reply(text=TRIAGE, usage=(1000, 500)))
    (tmp_path / "models.toml").write_text(MODELS.format(url=upstream.url))
    (tmp_path / "prices.toml").write_text(PRICES)
    settings = make_settings(
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'trace.db'}",
        models_file=tmp_path / "models.toml",
        prices_file=tmp_path / "prices.toml",
        openai_api_key="sk-trace-0123456789abcdefghijklmnopqrstuvwx",
        trace_content=trace_content,
    )
    await asyncio.to_thread(migrations.upgrade, settings)
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    app = create_app(settings, tracer_provider=provider)
    # Made during the test's call phase, where pytest's capture owns sys.stdout: log to ours.
    configure_logging(settings, log_output.stream)
    async with lifespan_client(app) as client:
        response = await client.post("/v1/tasks/triage_ticket", json=TICKET)
    return list(exporter.get_finished_spans()), response


def only(spans: list[ReadableSpan], kind: SpanKind) -> ReadableSpan:
    (span,) = [s for s in spans if s.kind is kind]
    return span


async def test_a_task_call_is_one_server_span_with_an_attempt_span_inside(
    tmp_path: Path, upstream: WireServer, log_output: LogOutput
) -> None:
    spans, response = await traced_call(tmp_path, upstream, log_output)

    assert response.status_code == 200, response.text
    server, attempt = only(spans, SpanKind.SERVER), only(spans, SpanKind.CLIENT)
    assert server.context is not None
    assert server.attributes is not None
    assert attempt.attributes is not None
    assert str(server.attributes["http.route"]).startswith("/v1/tasks")
    assert attempt.parent is not None
    assert attempt.parent.span_id == server.context.span_id
    assert attempt.name == "chat gpt-trace"
    assert attempt.attributes["gen_ai.operation.name"] == "chat"
    assert attempt.attributes["gen_ai.response.model"] == "gpt-trace"
    assert attempt.attributes["gen_ai.usage.input_tokens"] == 1000
    assert attempt.attributes["gen_ai.usage.output_tokens"] == 500
    # No prompt or answer text unless APP_TRACE_CONTENT opts in.
    assert "gen_ai.input.messages" not in attempt.attributes
    texts = [str(v) for s in spans for v in (s.attributes or {}).values()]
    assert not [text for text in texts if "PRIVATE-TICKET-TEXT" in text]

    trace_id = format(server.context.trace_id, "032x")
    (received,) = upstream.received
    assert received.headers["traceparent"].split("-")[1] == trace_id
    request_lines = [line for line in log_output.json_lines() if line.get("request_id")]
    assert request_lines
    assert {line.get("trace_id") for line in request_lines} == {trace_id}


async def test_prompt_text_reaches_the_span_only_when_opted_in(
    tmp_path: Path, upstream: WireServer, log_output: LogOutput
) -> None:
    spans, response = await traced_call(tmp_path, upstream, log_output, trace_content=True)

    assert response.status_code == 200, response.text
    attributes = only(spans, SpanKind.CLIENT).attributes
    assert attributes is not None
    assert "PRIVATE-TICKET-TEXT" in str(attributes["gen_ai.input.messages"])


async def test_without_tracing_no_header_and_no_ids(
    tmp_path: Path, upstream: WireServer, log_output: LogOutput
) -> None:
    upstream.reset()
    upstream.queue(Reply(text=TRIAGE))
    (tmp_path / "models.toml").write_text(MODELS.format(url=upstream.url))
    (tmp_path / "prices.toml").write_text(PRICES)
    settings = make_settings(
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'off.db'}",
        models_file=tmp_path / "models.toml",
        prices_file=tmp_path / "prices.toml",
        openai_api_key="sk-trace-0123456789abcdefghijklmnopqrstuvwx",
    )
    await asyncio.to_thread(migrations.upgrade, settings)
    app = create_app(settings)
    configure_logging(settings, log_output.stream)
    async with lifespan_client(app) as client:
        response = await client.post("/v1/tasks/triage_ticket", json=TICKET)

    assert response.status_code == 200, response.text
    assert log_output.events("request")
    assert "traceparent" not in upstream.received[0].headers
    assert not [line for line in log_output.json_lines() if "trace_id" in line]


@pytest.mark.parametrize(
    ("environ", "requested"),
    [
        ({}, False),
        ({"OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:4318"}, True),
        ({"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://127.0.0.1:4318/v1/traces"}, True),
        ({"OTEL_TRACES_EXPORTER": "console"}, True),
        ({"OTEL_TRACES_EXPORTER": "none", "OTEL_EXPORTER_OTLP_ENDPOINT": "http://x"}, False),
        ({"OTEL_SDK_DISABLED": "true", "OTEL_EXPORTER_OTLP_ENDPOINT": "http://x"}, False),
    ],
)
def test_tracing_is_off_unless_the_otel_variables_ask(
    environ: dict[str, str], requested: bool
) -> None:
    assert tracing_requested(environ) is requested


def test_an_unknown_exporter_is_refused_by_name() -> None:
    with pytest.raises(TracingConfigError, match="OTEL_TRACES_EXPORTER: zipkin"):
        span_exporters({"OTEL_TRACES_EXPORTER": "zipkin"})
