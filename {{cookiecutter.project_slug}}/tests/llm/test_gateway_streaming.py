from __future__ import annotations

import math
from collections.abc import AsyncGenerator, AsyncIterator
from decimal import Decimal
from typing import Literal

import pytest
from pydantic import BaseModel

from {{ cookiecutter.package_name }}.llm.config import AliasConfig, RetryPolicy, TimeoutPolicy
from {{ cookiecutter.package_name }}.llm.errors import BadRequestError, ErrorKind, UnavailableError
from {{ cookiecutter.package_name }}.llm.gateway import UnknownAliasError
from {{ cookiecutter.package_name }}.llm.providers.fake import FakeModelClient, FakeReply
from {{ cookiecutter.package_name }}.llm.types import (
    FinishReason,
    ModelRequest,
    ProviderStreamEvent,
    StreamDone,
    StreamError,
    StreamEvent,
    TextDelta,
    Usage,
)

from .gateway_factories import cost_of, default_deployments, make_gateway, request

TEXT = "The quick brown fox jumps over the lazy dog, twice."  # 51 chars: 4 chunks of 16.


class Label(BaseModel):
    label: Literal["spam", "ham"]


async def collect(events: AsyncIterator[StreamEvent]) -> list[StreamEvent]:
    return [event async for event in events]


def split(events: list[StreamEvent]) -> tuple[str, StreamEvent]:
    """The streamed text and the final event; checks that only the last event is final."""
    *deltas, last = events
    assert all(isinstance(d, TextDelta) for d in deltas)
    assert isinstance(last, StreamDone | StreamError)
    return "".join(d.text for d in deltas if isinstance(d, TextDelta)), last


async def test_deltas_then_done_with_usage_cost_and_time_to_first_token() -> None:
    h = make_gateway()
    h.clients["primary"].queue(FakeReply(text=TEXT, usage=Usage(input_tokens=40, output_tokens=13)))

    events = await collect(h.gateway.stream("chat", request(), task="story"))

    assert [e.text for e in events if isinstance(e, TextDelta)] == [
        "The quick brown ",
        "fox jumps over t",
        "he lazy dog, twi",
        "ce.",
    ]
    text, done = split(events)
    assert text == TEXT
    assert isinstance(done, StreamDone)
    response = done.response
    assert response.text == TEXT
    assert response.finish_reason is FinishReason.STOP
    assert (response.deployment, response.attempts, response.fallback_index) == ("primary", 1, 0)
    assert response.usage == Usage(input_tokens=40, output_tokens=13)
    assert response.cost_usd == Decimal("0.00021")  # (40 * 2 + 13 * 10) / 1e6
    assert response.time_to_first_token_ms is not None
    assert 0 <= response.time_to_first_token_ms <= response.latency_ms
    assert h.outcomes() == [("primary", 1, "ok")]
    assert h.attempts[0].task == "story"


async def test_failure_before_the_first_chunk_falls_back_silently() -> None:
    h = make_gateway(deployments=default_deployments(retry=RetryPolicy(max_attempts=2)))
    h.clients["primary"].queue(UnavailableError("503"), FakeReply(text=TEXT, break_stream_after=0))
    h.clients["secondary"].queue(TEXT)

    events = await collect(h.gateway.stream("chat", request()))

    text, done = split(events)
    assert text == TEXT
    assert isinstance(done, StreamDone)
    assert (done.response.deployment, done.response.fallback_index) == ("secondary", 1)
    assert done.response.attempts == 3
    assert h.outcomes() == [
        ("primary", 1, "unavailable"),
        ("primary", 2, "unavailable"),
        ("secondary", 3, "ok"),
    ]
    assert h.sleep.delays == [0.375]


async def test_stream_cut_after_text_ends_with_an_incomplete_error_and_no_fallback() -> None:
    h = make_gateway()
    h.clients["primary"].queue(FakeReply(text=TEXT, break_stream_after=2))

    events = await collect(h.gateway.stream("chat", request("tell me a story")))

    text, last = split(events)
    assert text == "The quick brown fox jumps over t"
    assert last == StreamError(
        kind=ErrorKind.UNAVAILABLE, message="fake stream cut after 2 chunks", incomplete=True
    )
    assert [len(c.requests) for c in h.clients.values()] == [1, 0, 0]
    assert h.sleep.delays == []
    assert h.outcomes() == [("primary", 1, "incomplete")]
    attempt = h.attempts[0]
    # Estimated at four characters a token: the 15-char prompt and the 32 chars sent.
    estimated = Usage(input_tokens=math.ceil(15 / 4), output_tokens=8)
    assert (attempt.input_tokens, attempt.output_tokens) == (4, 8)
    assert attempt.cost_usd == cost_of("fake-a", estimated) == Decimal("0.000088")
    assert h.recorder.ledger.spent() == Decimal("0.000088")


async def test_first_token_timeout_is_retried() -> None:
    timeouts = TimeoutPolicy(first_token_seconds=0.02)
    h = make_gateway(deployments=default_deployments(timeouts=timeouts))
    h.clients["primary"].queue(FakeReply(text="late", latency_seconds=30.0), TEXT)

    events = await collect(h.gateway.stream("chat", request()))

    text, done = split(events)
    assert text == TEXT
    assert isinstance(done, StreamDone)
    assert (done.response.deployment, done.response.attempts) == ("primary", 2)
    assert h.outcomes() == [("primary", 1, "timeout"), ("primary", 2, "ok")]
    assert h.sleep.delays == [0.375]


async def test_first_token_timeout_falls_back_when_retries_are_used_up() -> None:
    timeouts = TimeoutPolicy(first_token_seconds=0.02)
    deployments = default_deployments(timeouts=timeouts, retry=RetryPolicy(max_attempts=1))
    h = make_gateway(deployments=deployments)
    h.clients["primary"].queue(FakeReply(text="late", latency_seconds=30.0))
    h.clients["secondary"].queue("on time")

    events = await collect(h.gateway.stream("chat", request()))

    assert events[0] == TextDelta(text="on time")
    assert isinstance(events[-1], StreamDone)
    assert events[-1].response.fallback_index == 1
    assert h.outcomes() == [("primary", 1, "timeout"), ("secondary", 2, "ok")]


async def test_valid_output_model_is_parsed_at_the_end() -> None:
    h = make_gateway()
    h.clients["primary"].queue('{"label": "ham"}')

    events = await collect(h.gateway.stream("chat", request(), output_model=Label))

    assert isinstance(events[-1], StreamDone)
    assert events[-1].response.parsed == Label(label="ham")


async def test_invalid_output_at_the_end_is_an_invalid_output_error() -> None:
    h = make_gateway()
    h.clients["primary"].queue(FakeReply(text='{"label": "eggs"}', usage=Usage(input_tokens=5)))

    events = await collect(h.gateway.stream("chat", request(), output_model=Label))

    text, last = split(events)
    assert text == '{"label": "eggs"}'
    assert isinstance(last, StreamError)
    assert last.kind is ErrorKind.INVALID_OUTPUT
    assert "label: Input should be 'spam' or 'ham'" in last.message
    assert last.incomplete
    assert [len(c.requests) for c in h.clients.values()] == [1, 0, 0]
    assert h.outcomes() == [("primary", 1, "invalid_output")]
    assert h.attempts[0].input_tokens == 5


async def test_error_outside_fallback_on_ends_with_a_complete_error() -> None:
    h = make_gateway()
    h.clients["primary"].queue(BadRequestError("bad request"))

    events = await collect(h.gateway.stream("chat", request()))

    assert events == [
        StreamError(kind=ErrorKind.BAD_REQUEST, message="bad request", incomplete=False)
    ]
    assert [len(c.requests) for c in h.clients.values()] == [1, 0, 0]


async def test_all_deployments_failing_ends_with_the_last_error() -> None:
    aliases = {"chat": AliasConfig(deployments=("primary", "secondary"))}
    deployments = default_deployments(retry=RetryPolicy(max_attempts=1))
    h = make_gateway(deployments=deployments, aliases=aliases)
    h.clients["primary"].queue(UnavailableError("primary down"))
    h.clients["secondary"].queue(UnavailableError("secondary down"))

    events = await collect(h.gateway.stream("chat", request()))

    assert events == [
        StreamError(kind=ErrorKind.UNAVAILABLE, message="secondary down", incomplete=False)
    ]


async def test_budget_exceeded_ends_the_stream_before_any_call() -> None:
    h = make_gateway(daily_budget_usd=0.0)

    events = await collect(h.gateway.stream("chat", request()))

    assert len(events) == 1
    assert isinstance(events[0], StreamError)
    assert (events[0].kind, events[0].incomplete) == (ErrorKind.BUDGET_EXCEEDED, False)
    assert [len(c.requests) for c in h.clients.values()] == [0, 0, 0]


async def test_unknown_alias_raises() -> None:
    h = make_gateway()
    with pytest.raises(UnknownAliasError):
        await collect(h.gateway.stream("nope", request()))


async def test_caller_leaving_mid_stream_is_recorded_as_incomplete() -> None:
    h = make_gateway()
    h.clients["primary"].queue(TEXT)
    events = h.gateway.stream("chat", request("abcd"))
    assert isinstance(events, AsyncGenerator)

    assert await anext(events) == TextDelta(text="The quick brown ")
    await events.aclose()

    assert h.outcomes() == [("primary", 1, "incomplete")]
    assert (h.attempts[0].input_tokens, h.attempts[0].output_tokens) == (1, 4)
    assert h.gateway.circuit_states()["primary"] == "closed"


class ClosingAwareClient(FakeModelClient):
    """Counts provider streams that were closed (a real adapter closes its HTTP response)."""

    closed = 0

    async def stream(self, request: ModelRequest) -> AsyncIterator[ProviderStreamEvent]:
        try:
            async for event in super().stream(request):
                yield event
        finally:
            self.closed += 1


async def test_caller_leaving_mid_stream_closes_the_provider_stream_at_once() -> None:
    h = make_gateway()
    client = h.clients["primary"] = ClosingAwareClient(model="fake-a")
    client.queue(TEXT)
    events = h.gateway.stream("chat", request())
    assert isinstance(events, AsyncGenerator)

    await anext(events)
    assert client.closed == 0
    await events.aclose()

    assert client.closed == 1


async def test_provider_stream_is_closed_after_a_complete_stream() -> None:
    h = make_gateway()
    client = h.clients["primary"] = ClosingAwareClient(model="fake-a")
    client.queue(TEXT)

    events = await collect(h.gateway.stream("chat", request()))

    assert isinstance(events[-1], StreamDone)
    assert client.closed == 1
