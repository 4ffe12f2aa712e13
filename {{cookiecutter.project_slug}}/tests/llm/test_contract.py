"""The contract every `ModelClient` honours, run against the fake and both HTTP adapters.

A harness per provider scripts the same scenario its own way (a queued `FakeReply`, or a queued
reply on a real local wire server); the assertions are shared, so an adapter that maps a
failure differently from the others fails here.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from typing import Protocol

import pytest
from pydantic import SecretStr

from {{ cookiecutter.package_name }}.llm.client import ModelClient
from {{ cookiecutter.package_name }}.llm.config import ProviderName
from {{ cookiecutter.package_name }}.llm.errors import (
    AuthError,
    BadRequestError,
    ModelError,
    ModelTimeoutError,
    RateLimitedError,
    UnavailableError,
)
from {{ cookiecutter.package_name }}.llm.providers import build_client
from {{ cookiecutter.package_name }}.llm.providers.fake import FakeModelClient, FakeReply
from {{ cookiecutter.package_name }}.llm.types import (
    Completion,
    FinishReason,
    Message,
    ModelRequest,
    ProviderStreamEvent,
    TextDelta,
    Usage,
)

from .conftest import FAST_TIMEOUTS, MODES, Mode, complete, deployment, drain
from .wire_servers import Reply, WireServer

API_KEY = "sk-contract-secret-0123456789"
UPSTREAM_MARKER = "upstream-body-marker-7f3a"
SERVED_MODEL = "served-model-2026-01-01"
TEXT = "The quick brown fox."
CHUNKS = ("The ", "quic", "k br", "own ", "fox.")  # Four characters each, as the fake splits.
USAGE = Usage(input_tokens=11, output_tokens=5)
CUT_AFTER = 2
REQUEST = ModelRequest(
    messages=(Message(role="system", content="Be brief."), Message(role="user", content="Go."))
)
FAKE_ERRORS: dict[int, type[ModelError]] = {
    400: BadRequestError,
    401: AuthError,
    404: BadRequestError,
    429: RateLimitedError,
    500: UnavailableError,
    503: UnavailableError,
}


class Harness(Protocol):
    """Each method scripts one scenario and returns the client to call for it."""

    served_model: str

    def ok(self) -> ModelClient: ...
    def failing(self, status: int, retry_after: int | None = None) -> ModelClient: ...
    def slow(self) -> ModelClient: ...
    def cut(self) -> ModelClient: ...
    def unreachable(self) -> ModelClient: ...


class FakeHarness:
    served_model = "fake-contract-model"

    def __init__(self) -> None:
        self.clients: list[ModelClient] = []

    def ok(self) -> ModelClient:
        return self._client(FakeReply(text=TEXT, usage=USAGE))

    def failing(self, status: int, retry_after: int | None = None) -> ModelClient:
        return self._client(FAKE_ERRORS[status](f"fake {status}", retry_after=retry_after))

    def slow(self) -> ModelClient:
        return self._client(ModelTimeoutError("fake timed out"))

    def cut(self) -> ModelClient:
        return self._client(FakeReply(text=TEXT, usage=USAGE, break_stream_after=CUT_AFTER))

    def unreachable(self) -> ModelClient:
        return self._client(UnavailableError("fake unreachable"))

    def _client(self, reply: FakeReply | ModelError) -> ModelClient:
        client = build_client(deployment("fake", model=self.served_model))
        assert isinstance(client, FakeModelClient)
        client.chunk_chars = len(CHUNKS[0])
        client.queue(reply)
        self.clients.append(client)
        return client


class WireHarness:
    served_model = SERVED_MODEL

    def __init__(self, provider: ProviderName, server: WireServer, closed_url: str) -> None:
        self.provider, self.server, self.closed_url = provider, server, closed_url
        self.base_url = server.url + ("/v1" if provider == "openai" else "")
        self.clients: list[ModelClient] = []

    def ok(self) -> ModelClient:
        return self._client(self._text_reply())

    def failing(self, status: int, retry_after: int | None = None) -> ModelClient:
        # Some providers echo the key back in their error text; it must go no further.
        body = self.server.protocol.error_body(status, f"{UPSTREAM_MARKER}: bad key {API_KEY}")
        headers = {"retry-after": str(retry_after)} if retry_after is not None else {}
        return self._client(Reply(status=status, body=body, headers=headers))

    def slow(self) -> ModelClient:
        return self._client(Reply(delay_seconds=1.0), fast=True)

    def cut(self) -> ModelClient:
        return self._client(replace(self._text_reply(), cut_after=CUT_AFTER))

    def unreachable(self) -> ModelClient:
        return self._client(None, base_url=self.closed_url)

    def _text_reply(self) -> Reply:
        usage = (USAGE.input_tokens, USAGE.output_tokens)
        return Reply(text=TEXT, chunks=CHUNKS, usage=usage, model=SERVED_MODEL)

    def _client(
        self, reply: Reply | None, *, fast: bool = False, base_url: str | None = None
    ) -> ModelClient:
        if reply is not None:
            self.server.queue(reply)
        extra = {"timeouts": FAST_TIMEOUTS} if fast else {}
        config = deployment(self.provider, base_url or self.base_url, **extra)
        client = build_client(config, SecretStr(API_KEY))
        self.clients.append(client)
        return client


@pytest.fixture(params=["fake", "openai", "anthropic"])
async def harness(request: pytest.FixtureRequest, closed_port_url: str) -> AsyncIterator[Harness]:
    provider: ProviderName = request.param
    built: FakeHarness | WireHarness
    if provider == "fake":
        built = FakeHarness()
    else:
        server = request.getfixturevalue(f"{provider}_server")
        built = WireHarness(provider, server, closed_port_url)
    yield built
    for client in built.clients:
        await client.aclose()


def assert_safe(error: ModelError) -> None:
    for text in (str(error), error.message, repr(error.args)):
        assert API_KEY not in text
        assert UPSTREAM_MARKER not in text


async def test_generate_returns_text_usage_model_and_finish(harness: Harness) -> None:
    completion = await harness.ok().generate(REQUEST)

    assert completion == Completion(
        text=TEXT, finish_reason=FinishReason.STOP, usage=USAGE, model=harness.served_model
    )


async def test_stream_yields_deltas_then_exactly_one_completion(harness: Harness) -> None:
    events = [event async for event in harness.ok().stream(REQUEST)]

    deltas, last = events[:-1], events[-1]
    assert [d.text for d in deltas if isinstance(d, TextDelta)] == list(CHUNKS)
    assert len(deltas) == len(CHUNKS)
    assert last == Completion(
        text=TEXT, finish_reason=FinishReason.STOP, usage=USAGE, model=harness.served_model
    )


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    ("status", "expected", "retryable"),
    [
        (400, BadRequestError, False),
        (401, AuthError, False),
        (404, BadRequestError, False),
        (429, RateLimitedError, True),
        (500, UnavailableError, True),
        (503, UnavailableError, True),
    ],
)
async def test_http_errors_map_to_model_errors(
    harness: Harness, mode: Mode, status: int, expected: type[ModelError], retryable: bool
) -> None:
    with pytest.raises(expected) as raised:
        await complete(harness.failing(status), REQUEST, mode)

    assert type(raised.value) is expected
    assert raised.value.retryable is retryable
    assert_safe(raised.value)


@pytest.mark.parametrize("mode", MODES)
async def test_rate_limit_carries_retry_after(harness: Harness, mode: Mode) -> None:
    with pytest.raises(RateLimitedError) as raised:
        await complete(harness.failing(429, retry_after=7), REQUEST, mode)

    assert raised.value.retry_after == 7
    assert raised.value.retryable
    assert_safe(raised.value)


@pytest.mark.parametrize("mode", MODES)
async def test_reply_slower_than_first_token_timeout_times_out(
    harness: Harness, mode: Mode
) -> None:
    with pytest.raises(ModelTimeoutError) as raised:
        await complete(harness.slow(), REQUEST, mode)

    assert raised.value.retryable


async def test_stream_cut_midway_raises_after_the_deltas_sent(harness: Harness) -> None:
    received: list[ProviderStreamEvent] = []
    with pytest.raises(UnavailableError):
        await drain(harness.cut().stream(REQUEST), into=received)

    # Only the deltas sent before the cut, and no Completion.

    assert received == [TextDelta(text=chunk) for chunk in CHUNKS[:CUT_AFTER]]


@pytest.mark.parametrize("mode", MODES)
async def test_connection_refused_is_unavailable(harness: Harness, mode: Mode) -> None:
    with pytest.raises(UnavailableError) as raised:
        await complete(harness.unreachable(), REQUEST, mode)

    assert raised.value.retryable
    assert_safe(raised.value)
