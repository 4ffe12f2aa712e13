"""Anthropic Messages adapter: what goes on the wire, and how answers and errors are read."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from pydantic import SecretStr

from {{ cookiecutter.package_name }}.llm.errors import (
    AuthError,
    BadRequestError,
    ContextTooLongError,
    ModelError,
    RateLimitedError,
    UnavailableError,
)
from {{ cookiecutter.package_name }}.llm.providers.anthropic import AnthropicClient
from {{ cookiecutter.package_name }}.llm.types import (
    FinishReason,
    GenerationParameters,
    Message,
    ModelRequest,
    ProviderStreamEvent,
    TextDelta,
    Usage,
)

from .conftest import MODES, Mode, complete, deployment, drain
from .wire_protocols import SseEvent, anthropic_error, sse
from .wire_servers import Reply, WireServer

API_KEY = "sk-ant-wire-test"
REQUEST = ModelRequest(
    messages=(
        Message(role="system", content="You label tickets."),
        Message(role="user", content="My invoice is wrong."),
        Message(role="assistant", content="Billing?"),
        Message(role="system", content="Answer with one word."),
        Message(role="user", content="Yes."),
    ),
)
MakeClient = Callable[..., AnthropicClient]


@pytest.fixture
async def make_client(anthropic_server: WireServer) -> AsyncIterator[MakeClient]:
    clients: list[AnthropicClient] = []

    def make(api_key: str | None = API_KEY, **fields: Any) -> AnthropicClient:
        config = deployment("anthropic", anthropic_server.url, **fields)
        client = AnthropicClient(config, SecretStr(api_key) if api_key is not None else None)
        clients.append(client)
        return client

    yield make
    for client in clients:
        await client.aclose()


def text_delta(text: str) -> SseEvent:
    delta = {"type": "text_delta", "text": text}
    return sse({"type": "content_block_delta", "index": 0, "delta": delta}, "content_block_delta")


async def test_sends_key_version_and_system_at_top_level(
    anthropic_server: WireServer, make_client: MakeClient
) -> None:
    await make_client().generate(REQUEST)

    received = anthropic_server.received[-1]
    assert received.path == "/v1/messages"
    assert received.headers["x-api-key"] == API_KEY
    assert received.headers["anthropic-version"] == "2023-06-01"
    assert "authorization" not in received.headers
    assert received.json == {
        "model": "anthropic-test-model",
        "max_tokens": 1024,  # Required by the API: the default when nothing sets it.
        "system": "You label tickets.\n\nAnswer with one word.",
        "messages": [
            {"role": "user", "content": "My invoice is wrong."},
            {"role": "assistant", "content": "Billing?"},
            {"role": "user", "content": "Yes."},
        ],
    }


async def test_no_key_means_no_key_header(
    anthropic_server: WireServer, make_client: MakeClient
) -> None:
    await make_client(api_key=None).generate(REQUEST)

    assert "x-api-key" not in anthropic_server.received[-1].headers


async def test_parameters_merge_with_the_request_winning(
    anthropic_server: WireServer, make_client: MakeClient
) -> None:
    defaults = GenerationParameters(max_tokens=300, temperature=0.2, stop=("STOP",))
    request = REQUEST.model_copy(
        update={"parameters": GenerationParameters(temperature=0.7, top_p=0.9)}
    )

    await make_client(parameters=defaults).generate(request)

    body = anthropic_server.last_json()
    assert (body["max_tokens"], body["temperature"], body["top_p"]) == (300, 0.7, 0.9)
    assert body["stop_sequences"] == ["STOP"]


async def test_streaming_sets_stream_and_reads_usage_from_start_and_delta(
    anthropic_server: WireServer, make_client: MakeClient
) -> None:
    anthropic_server.queue(Reply(text="One", usage=(42, 3)))

    completion = await complete(make_client(), REQUEST, "stream")

    assert anthropic_server.last_json()["stream"] is True
    assert completion.usage == Usage(input_tokens=42, output_tokens=3)


async def test_output_schema_is_not_sent(
    anthropic_server: WireServer, make_client: MakeClient
) -> None:
    schema = {"type": "object"}

    await make_client().generate(REQUEST.model_copy(update={"output_schema": schema}))

    assert set(anthropic_server.last_json()) == {"model", "max_tokens", "system", "messages"}


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    ("wire", "expected"),
    [
        ("end_turn", FinishReason.STOP),
        ("stop_sequence", FinishReason.STOP),
        ("max_tokens", FinishReason.LENGTH),
        ("refusal", FinishReason.CONTENT_FILTER),
        ("tool_use", FinishReason.TOOL_CALLS),
        ("pause_turn", FinishReason.OTHER),
    ],
)
async def test_stop_reasons_map(
    anthropic_server: WireServer,
    make_client: MakeClient,
    mode: Mode,
    wire: str,
    expected: FinishReason,
) -> None:
    anthropic_server.queue(Reply(finish=wire))

    assert (await complete(make_client(), REQUEST, mode)).finish_reason is expected


TOO_LONG = "prompt is too long: 210000 tokens > 200000 maximum"


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    ("status", "body", "expected"),
    [
        (400, anthropic_error("invalid_request_error", TOO_LONG), ContextTooLongError),
        (400, anthropic_error("invalid_request_error", "messages: empty"), BadRequestError),
        (413, anthropic_error("request_too_large", "x"), ContextTooLongError),
        (401, anthropic_error("authentication_error", "x"), AuthError),
        (403, anthropic_error("permission_error", "x"), AuthError),
        (404, anthropic_error("not_found_error", "x"), BadRequestError),
        (429, anthropic_error("rate_limit_error", "x"), RateLimitedError),
        (500, anthropic_error("api_error", "x"), UnavailableError),
        (529, anthropic_error("overloaded_error", "x"), UnavailableError),
    ],
)
async def test_error_statuses_and_types_map(
    anthropic_server: WireServer,
    make_client: MakeClient,
    mode: Mode,
    status: int,
    body: dict[str, Any],
    expected: type[ModelError],
) -> None:
    anthropic_server.queue(Reply(status=status, body=body))

    with pytest.raises(expected) as raised:
        await complete(make_client(), REQUEST, mode)

    assert type(raised.value) is expected
    assert raised.value.message == f"anthropic {status} {body['error']['type']}"


@pytest.mark.parametrize(
    ("error_type", "expected"),
    [
        ("overloaded_error", UnavailableError),
        ("rate_limit_error", RateLimitedError),
        ("invalid_request_error", BadRequestError),
        ("something_new", UnavailableError),
    ],
)
async def test_error_event_inside_a_stream_maps_the_same_way(
    anthropic_server: WireServer,
    make_client: MakeClient,
    error_type: str,
    expected: type[ModelError],
) -> None:
    error = sse(anthropic_error(error_type, "Overloaded"), "error")
    anthropic_server.queue(Reply(events=(text_delta("Bil"), error)))
    received: list[ProviderStreamEvent] = []

    with pytest.raises(expected):
        await drain(make_client().stream(REQUEST), into=received)

    assert received == [TextDelta(text="Bil")]


async def test_stream_that_ends_before_message_stop_is_unavailable(
    anthropic_server: WireServer, make_client: MakeClient
) -> None:
    delta = {"type": "message_delta", "delta": {"stop_reason": "end_turn"}, "usage": {}}
    anthropic_server.queue(Reply(events=(text_delta("Bil"), sse(delta, "message_delta"))))
    received: list[ProviderStreamEvent] = []

    with pytest.raises(UnavailableError, match="before message_stop"):
        await drain(make_client().stream(REQUEST), into=received)

    assert received == [TextDelta(text="Bil")]


async def test_retry_after_as_http_date_is_read(
    anthropic_server: WireServer, make_client: MakeClient
) -> None:
    headers = {"retry-after": "Wed, 21 Oct 2015 07:28:00 GMT"}  # In the past: retry now.
    anthropic_server.queue(Reply(status=429, headers=headers))

    with pytest.raises(RateLimitedError) as raised:
        await make_client().generate(REQUEST)

    assert raised.value.retry_after == 0.0
