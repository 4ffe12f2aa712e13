"""A span per model attempt with the GenAI attributes, and the trace carried to providers.

The gateway reports an attempt when it ends (see `observe_model_attempt`), so the span is
written then, with the attempt's measured start: one call in the gateway instead of a context
manager around each of its retry paths. The provider request, made while the request's server
span is current, carries that span in `traceparent`, so a provider's own spans nest under it.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import httpx
from opentelemetry import propagate
from opentelemetry.trace import SpanKind, Status, StatusCode, Tracer, TracerProvider

from . import genai_conventions as semconv
from .metrics import AttemptView


class MessageView(Protocol):
    @property
    def role(self) -> str: ...
    @property
    def content(self) -> str: ...


@dataclass(frozen=True)
class _Active:
    tracer: Tracer
    capture_content: bool


_active: _Active | None = None


def start_model_spans(provider: TracerProvider, *, capture_content: bool) -> None:
    global _active  # One tracer per process, set by the lifespan.
    _active = _Active(provider.get_tracer(__name__), capture_content)


def stop_model_spans() -> None:
    global _active
    _active = None


def record_attempt_span(
    attempt: AttemptView, messages: Sequence[MessageView] | None = None
) -> None:
    active = _active
    if active is None:
        return
    ended = time.time_ns()
    attributes: dict[str, str | int] = {
        semconv.OPERATION_NAME: semconv.OPERATION_CHAT,
        semconv.RESPONSE_MODEL: attempt.served_model,
        semconv.USAGE_INPUT_TOKENS: attempt.input_tokens,
        semconv.USAGE_OUTPUT_TOKENS: attempt.output_tokens,
        "llm.alias": attempt.alias,
        "llm.deployment": attempt.deployment,
        "llm.outcome": attempt.outcome,
    }
    if attempt.outcome != "ok":
        attributes[semconv.ERROR_TYPE] = attempt.outcome
    if active.capture_content and messages:
        attributes[semconv.INPUT_MESSAGES] = json.dumps(
            [{"role": m.role, "content": m.content} for m in messages]
        )
    span = active.tracer.start_span(
        f"{semconv.OPERATION_CHAT} {attempt.served_model}",
        kind=SpanKind.CLIENT,
        attributes=attributes,
        start_time=ended - int(attempt.latency_ms * 1_000_000),
    )
    if attempt.outcome != "ok":
        span.set_status(Status(StatusCode.ERROR, attempt.outcome))
    span.end(end_time=ended)


def trace_headers() -> dict[str, str]:
    """`traceparent` (and `tracestate`) for a provider call while a span is current, else none."""
    headers: dict[str, str] = {}
    if _active is not None:
        propagate.inject(headers)
    return headers


async def inject_trace_context(request: httpx.Request) -> None:
    """An httpx request hook: add `traceparent` (and `tracestate`) when a span is current."""
    if _active is not None:
        propagate.inject(request.headers)
