"""OpenTelemetry tracing: off unless the standard OTEL_* variables ask for it.

On: `OTEL_EXPORTER_OTLP_ENDPOINT` (or `..._TRACES_ENDPOINT`) or `OTEL_TRACES_EXPORTER` is set,
and `OTEL_SDK_DISABLED` is not `true`. The SDK reads the rest itself (`OTEL_SERVICE_NAME`,
`OTEL_RESOURCE_ATTRIBUTES`, `OTEL_TRACES_SAMPLER`, `OTEL_EXPORTER_OTLP_HEADERS`, ...).
FastAPI's native telemetry makes the server span of each request; this module adds a span per
model attempt and carries the trace to the providers in a W3C `traceparent` header.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from fastapi.telemetry import TelemetryConfig
from opentelemetry.sdk.resources import SERVICE_NAME, SERVICE_VERSION, Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, ConsoleSpanExporter, SpanExporter

EXPORTERS = ("otlp", "console", "none")


class TracingConfigError(ValueError):
    pass


def tracing_requested(environ: Mapping[str, str] = os.environ) -> bool:
    if environ.get("OTEL_SDK_DISABLED", "").strip().lower() == "true":
        return False
    exporters = environ.get("OTEL_TRACES_EXPORTER", "").strip().lower()
    if exporters:
        return exporters != "none"
    return bool(
        environ.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
        or environ.get("OTEL_EXPORTER_OTLP_ENDPOINT")
    )


def span_exporters(environ: Mapping[str, str] = os.environ) -> list[SpanExporter]:
    names = [n.strip() for n in environ.get("OTEL_TRACES_EXPORTER", "otlp").lower().split(",")]
    unknown = sorted(set(names) - set(EXPORTERS))
    if unknown:
        msg = f"OTEL_TRACES_EXPORTER: {', '.join(unknown)} not supported (use {EXPORTERS})"
        raise TracingConfigError(msg)
    exporters: list[SpanExporter] = []
    if "otlp" in names:
        # Imported only when used: the exporter pulls in protobuf. OTLP over HTTP/protobuf,
        # which reads its endpoint, headers, timeout and compression from OTEL_EXPORTER_OTLP_*.
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        exporters.append(OTLPSpanExporter())
    if "console" in names:
        exporters.append(ConsoleSpanExporter())
    return exporters


def tracer_provider_from_environment(
    service_name: str, version: str, environ: Mapping[str, str] = os.environ
) -> TracerProvider | None:
    """A provider that batches spans to the configured exporters, or None when tracing is off."""
    if not tracing_requested(environ):
        return None
    attributes = {SERVICE_VERSION: version}
    if not environ.get("OTEL_SERVICE_NAME"):
        attributes[SERVICE_NAME] = service_name
    provider = TracerProvider(resource=Resource.create(attributes))
    for exporter in span_exporters(environ):
        provider.add_span_processor(BatchSpanProcessor(exporter))
    return provider


def telemetry_config(provider: TracerProvider | None) -> TelemetryConfig:
    """FastAPI's native telemetry: server spans only, from our provider, never auto-configured.

    Metrics go through prometheus-client (docs/decisions.md), so FastAPI's OTel metrics and
    logs stay off. With no provider everything is off and FastAPI skips its telemetry per
    request after three boolean checks.
    """
    if provider is None:
        return {"tracing": False, "metrics": False, "logs": False, "auto_configure": False}
    return {
        "tracer_provider": provider,
        "tracing": True,
        "metrics": False,
        "logs": False,
        # Spans for dependencies, endpoint and serialization: detail most teams do not need.
        "operation_spans": False,
        "auto_configure": False,
    }
