"""OpenAI-compatible adapter: what goes on the wire, and how answers and errors are read."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from pydantic import SecretStr

from {{ cookiecutter.package_name }}.llm.errors import (
    AuthError,
    BadRequestError,
    ContentFilteredError,
    ContextTooLongError,
    ModelError,
    ModelTimeoutError,
    RateLimitedError,
    UnavailableError,
)
from {{ cookiecutter.package_name }}.llm.providers.openai import OpenAIClient
from {{ cookiecutter.package_name }}.llm.types import (
    FinishReason,
    GenerationParameters,
    Message,
    ModelRequest,
    ProviderStreamEvent,
    TextDelta,
)

from .conftest import MODES, Mode, complete, deployment, drain
from .wire_protocols import SseEvent, openai_error, sse
from .wire_servers import Reply, WireServer

API_KEY = "sk-openai-wire-test"
SCHEMA = {"type": "object", "properties": {"label": {"type": "string"}}, "required": ["label"]}
REQUEST = ModelRequest(
    messages=(
        Message(role="system", content="You label tickets."),
        Message(role="user", content="My invoice is wrong."),
    ),
    parameters=GenerationParameters(temperature=0.9, stop=("END",)),
)
INVALID = "invalid_request_error"
VLLM_TOO_LONG = "This model's maximum context length is 4096 tokens."
MakeClient = Callable[..., OpenAIClient]


@pytest.fixture
async def make_client(openai_server: WireServer) -> AsyncIterator[MakeClient]:
    clients: list[OpenAIClient] = []

    def make(api_key: str | None = API_KEY, **fields: Any) -> OpenAIClient:
        config = deployment("openai", openai_server.url + "/v1", **fields)
        client = OpenAIClient(config, SecretStr(api_key) if api_key is not None else None)
        clients.append(client)
        return client

    yield make
    for client in clients:
        await client.aclose()


def chunk(delta: dict[str, Any], finish: str | None = None) -> SseEvent:
    return sse({"model": "m", "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]})


async def test_sends_bearer_key_and_the_chat_completions_body(
    openai_server: WireServer, make_client: MakeClient
) -> None:
    client = make_client(parameters=GenerationParameters(max_tokens=64, temperature=0.1, top_p=0.5))

    await client.generate(REQUEST)

    received = openai_server.received[-1]
    assert received.path == "/v1/chat/completions"
    assert received.headers["authorization"] == f"Bearer {API_KEY}"
    assert received.json == {
        "model": "openai-test-model",
        "messages": [
            {"role": "system", "content": "You label tickets."},
            {"role": "user", "content": "My invoice is wrong."},
        ],
        "max_tokens": 64,  # From the deployment ...
        "top_p": 0.5,
        "temperature": 0.9,  # ... but the request wins where it sets a value.
        "stop": ["END"],
    }


async def test_no_key_means_no_authorization_header(
    openai_server: WireServer, make_client: MakeClient
) -> None:
    await make_client(api_key=None).generate(REQUEST)

    assert "authorization" not in openai_server.received[-1].headers


async def test_streaming_asks_for_usage_in_the_final_chunk(
    openai_server: WireServer, make_client: MakeClient
) -> None:
    await complete(make_client(), REQUEST, "stream")

    body = openai_server.last_json()
    assert body["stream"] is True
    assert body["stream_options"] == {"include_usage": True}


async def test_output_schema_is_sent_as_json_schema_response_format(
    openai_server: WireServer, make_client: MakeClient
) -> None:
    await make_client().generate(REQUEST.model_copy(update={"output_schema": SCHEMA}))

    assert openai_server.last_json()["response_format"] == {
        "type": "json_schema",
        "json_schema": {"name": "output", "schema": SCHEMA},
    }


async def test_response_format_can_be_turned_off_for_servers_without_it(
    openai_server: WireServer, make_client: MakeClient
) -> None:
    client = make_client(options={"response_format": False})

    await client.generate(REQUEST.model_copy(update={"output_schema": SCHEMA}))

    assert "response_format" not in openai_server.last_json()


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    ("wire", "expected"),
    [
        ("stop", FinishReason.STOP),
        ("length", FinishReason.LENGTH),
        ("content_filter", FinishReason.CONTENT_FILTER),
        ("tool_calls", FinishReason.TOOL_CALLS),
        ("something_new", FinishReason.OTHER),
    ],
)
async def test_finish_reasons_map(
    openai_server: WireServer,
    make_client: MakeClient,
    mode: Mode,
    wire: str,
    expected: FinishReason,
) -> None:
    openai_server.queue(Reply(finish=wire))

    assert (await complete(make_client(), REQUEST, mode)).finish_reason is expected


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    ("status", "body", "expected"),
    [
        (400, openai_error(INVALID, "context_length_exceeded", "x"), ContextTooLongError),
        # vLLM and some proxies say it only in words.
        (400, openai_error("BadRequestError", None, VLLM_TOO_LONG), ContextTooLongError),
        (400, openai_error(INVALID, "content_filter", "x"), ContentFilteredError),
        (403, openai_error(INVALID, None, "x"), AuthError),
        (408, openai_error("timeout", None, "x"), ModelTimeoutError),
        (422, {"detail": [{"msg": "field required"}]}, BadRequestError),
        (502, b"<html>Bad Gateway</html>", UnavailableError),
        (504, openai_error("timeout", None, "x"), ModelTimeoutError),
        (529, openai_error("overloaded", None, "x"), UnavailableError),
    ],
)
async def test_error_statuses_and_codes_map(
    openai_server: WireServer,
    make_client: MakeClient,
    mode: Mode,
    status: int,
    body: object,
    expected: type[ModelError],
) -> None:
    openai_server.queue(Reply(status=status, body=body))

    with pytest.raises(expected) as raised:
        await complete(make_client(), REQUEST, mode)

    assert type(raised.value) is expected
    assert raised.value.message.startswith(f"openai {status}")


async def test_error_message_names_status_and_sanitized_code_only(
    openai_server: WireServer, make_client: MakeClient
) -> None:
    body = openai_error("requests", "rate_limit_exceeded<script>", "Rate limit for org-123 hit")
    openai_server.queue(Reply(status=429, body=body, headers={"retry-after-ms": "1500"}))

    with pytest.raises(RateLimitedError) as raised:
        await make_client().generate(REQUEST)

    assert raised.value.message == "openai 429 other"  # Not a known code: never echoed.
    assert raised.value.retry_after == 1.5


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (openai_error("requests", "rate_limit_exceeded", "slow down"), RateLimitedError),
        (openai_error("server_error", None, "boom"), UnavailableError),
        (openai_error(INVALID, "context_length_exceeded", "x"), ContextTooLongError),
        ({"error": {"object": "error", "type": "BadRequestError", "code": 400}}, BadRequestError),
    ],
)
async def test_error_event_inside_a_stream_maps_the_same_way(
    openai_server: WireServer,
    make_client: MakeClient,
    error: dict[str, Any],
    expected: type[ModelError],
) -> None:
    openai_server.queue(Reply(events=(chunk({"content": "Hel"}), sse(error))))
    received: list[ProviderStreamEvent] = []

    with pytest.raises(expected):
        await drain(make_client().stream(REQUEST), into=received)

    assert received == [TextDelta(text="Hel")]


@pytest.mark.parametrize(
    "events",
    [
        pytest.param((chunk({"content": "Hi"}), chunk({}, "stop")), id="no-done"),
        pytest.param((chunk({"content": "Hi"}), SseEvent("[DONE]")), id="done-without-finish"),
    ],
)
async def test_stream_that_ends_unfinished_is_unavailable(
    openai_server: WireServer, make_client: MakeClient, events: tuple[SseEvent, ...]
) -> None:
    openai_server.queue(Reply(events=events))
    received: list[ProviderStreamEvent] = []

    with pytest.raises(UnavailableError):
        await drain(make_client().stream(REQUEST), into=received)

    assert received == [TextDelta(text="Hi")]


async def test_stream_without_usage_chunk_still_completes(
    openai_server: WireServer, make_client: MakeClient
) -> None:
    """Older compatible servers ignore `stream_options`: the usage is then unknown, not fatal."""
    events = (chunk({"content": "Hi"}), chunk({}, "length"), SseEvent("[DONE]"))
    openai_server.queue(Reply(events=events))

    completion = await complete(make_client(), REQUEST, "stream")

    assert (completion.text, completion.finish_reason) == ("Hi", FinishReason.LENGTH)
    assert (completion.usage.input_tokens, completion.usage.output_tokens) == (0, 0)


@pytest.mark.parametrize(
    ("reply", "mode"),
    [
        pytest.param(Reply(body={"object": "list", "data": []}), "generate", id="no-choices"),
        pytest.param(Reply(events=(SseEvent("not json"),)), "stream", id="bad-event"),
        pytest.param(Reply(body={"choices": []}), "stream", id="json-not-sse"),
    ],
)
async def test_unreadable_success_is_unavailable(
    openai_server: WireServer, make_client: MakeClient, reply: Reply, mode: Mode
) -> None:
    openai_server.queue(reply)

    with pytest.raises(UnavailableError):
        await complete(make_client(), REQUEST, mode)
