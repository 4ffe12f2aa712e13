"""Spans leave through the standard OTEL_* variables to an OTLP/HTTP receiver on 127.0.0.1."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest

from {{ cookiecutter.package_name }}.app import create_app
from {{ cookiecutter.package_name }}.core import migrations

from ..factories import LogOutput, lifespan_client, make_settings

TICKET = {"subject": "Charged twice", "body": "Two charges on my card this month."}


class OtlpReceiver(ThreadingHTTPServer):
    """The OTLP/HTTP trace endpoint of a collector: protobuf bodies POSTed to /v1/traces."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.requests: list[ExportTraceServiceRequest] = []

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _Handler(BaseHTTPRequestHandler):
    server: OtlpReceiver

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["content-length"]))
        if self.path == "/v1/traces" and self.headers["content-type"] == "application/x-protobuf":
            self.server.requests.append(ExportTraceServiceRequest.FromString(body))
            self.send_response(200)
        else:
            self.send_response(404)
        self.send_header("content-length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        return


@pytest.fixture
def receiver() -> Iterator[OtlpReceiver]:
    server = OtlpReceiver()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


async def test_spans_reach_an_otlp_http_receiver(
    tmp_path: Path,
    receiver: OtlpReceiver,
    monkeypatch: pytest.MonkeyPatch,
    log_output: LogOutput,
) -> None:
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint)
    monkeypatch.setenv("OTEL_SERVICE_NAME", "traced-service")
    settings = make_settings(database_url=f"sqlite+aiosqlite:///{tmp_path / 'otlp.db'}")
    await asyncio.to_thread(migrations.upgrade, settings)

    async with lifespan_client(create_app(settings)) as client:
        response = await client.post("/v1/tasks/triage_ticket", json=TICKET)
    # Leaving the lifespan shut the provider down, which flushed the batch.

    assert response.status_code == 200, response.text
    resource_spans = [rs for request in receiver.requests for rs in request.resource_spans]
    services = {
        attribute.value.string_value
        for rs in resource_spans
        for attribute in rs.resource.attributes
        if attribute.key == "service.name"
    }
    assert services == {"traced-service"}
    names = {span.name for rs in resource_spans for ss in rs.scope_spans for span in ss.spans}
    assert "chat fake-1" in names
    assert any(name.startswith("POST /v1/tasks") for name in names), names
