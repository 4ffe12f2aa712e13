"""An upstream is not trusted: whatever it answers gives a bounded value or a typed error.

The parsers are driven with any JSON body (hypothesis) through the adapters' real code, on an
in-process transport so thousands of bodies run in seconds; the examples from the field run
over the wire servers.
"""

from __future__ import annotations

import asyncio
import json
import math
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import SecretStr

from {{ cookiecutter.package_name }}.llm.errors import ModelError, RateLimitedError, UnavailableError
from {{ cookiecutter.package_name }}.llm.providers.anthropic import AnthropicClient
from {{ cookiecutter.package_name }}.llm.providers.http import parse_retry_after
from {{ cookiecutter.package_name }}.llm.providers.openai import OpenAIClient
from {{ cookiecutter.package_name }}.llm.types import Completion, Message, ModelRequest, TextDelta

from .conftest import MODES, Mode, complete, deployment
from .wire_servers import Reply, WireServer

REQUEST = ModelRequest(messages=(Message(role="user", content="hi"),))
Client = OpenAIClient | AnthropicClient
# The bounds the adapters promise (llm/providers/wire.py), restated: a change is deliberate.
MAX_TOKENS = 100_000_000
MAX_MODEL_CHARS = 200

# Leaves an upstream might send where a value is expected: extreme and wrong-typed included.
leaves = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=300),
    st.text(min_size=250, max_size=400),
)
any_json = st.recursive(
    leaves,
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=8,
)
# Values of roughly the right type, so most bodies get past the shape checks to the bounds.
counts = st.one_of(
    st.none(), st.integers(), st.integers(min_value=-(2**70), max_value=2**70), leaves
)
texts = st.one_of(st.none(), st.text(max_size=300), st.text(min_size=250, max_size=400), leaves)
usage_openai = st.fixed_dictionaries({"prompt_tokens": counts, "completion_tokens": counts})
usage_anthropic = st.fixed_dictionaries({"input_tokens": counts, "output_tokens": counts})
openai_bodies = st.one_of(
    any_json,
    st.fixed_dictionaries(
        {
            "model": texts,
            "choices": st.lists(
                st.fixed_dictionaries(
                    {
                        "message": st.fixed_dictionaries({"content": texts}),
                        "finish_reason": texts,
                    }
                ),
                max_size=2,
            ),
            "usage": st.one_of(usage_openai, any_json),
        }
    ),
)
anthropic_bodies = st.one_of(
    any_json,
    st.fixed_dictionaries(
        {
            "model": texts,
            "content": st.lists(
                st.fixed_dictionaries({"type": st.sampled_from(["text", "other"]), "text": texts}),
                max_size=2,
            ),
            "stop_reason": texts,
            "usage": st.one_of(usage_anthropic, any_json),
        }
    ),
)


def dumps(body: Any) -> bytes:
    return json.dumps(body).encode()  # NaN and Infinity included, as a sloppy server writes.


async def on_transport(
    client: Client, handler: Callable[[httpx.Request], httpx.Response]
) -> Client:
    """The adapter's own code over an in-process transport (test-only: swaps its HTTP client)."""
    await client.aclose()
    client._http = httpx.AsyncClient(
        base_url="http://upstream.test", transport=httpx.MockTransport(handler)
    )
    return client


def build(provider: str) -> Client:
    config = deployment(provider, "http://upstream.test")  # type: ignore[arg-type]
    if provider == "openai":
        return OpenAIClient(config, SecretStr("sk-test"))
    return AnthropicClient(config, SecretStr("sk-test"))


def assert_bounded(completion: Completion) -> None:
    assert 0 <= completion.usage.input_tokens <= MAX_TOKENS
    assert 0 <= completion.usage.output_tokens <= MAX_TOKENS
    assert 0 < len(completion.model) <= MAX_MODEL_CHARS
    assert completion.model.isprintable()


async def parse_once(provider: str, body: bytes, *, stream: bool) -> Completion | ModelError:
    def answer(_request: httpx.Request) -> httpx.Response:
        if stream:
            return httpx.Response(200, content=body, headers={"content-type": "text/event-stream"})
        return httpx.Response(200, content=body, headers={"content-type": "application/json"})

    client = await on_transport(build(provider), answer)
    try:
        if not stream:
            return await client.generate(REQUEST)
        events = [event async for event in client.stream(REQUEST)]
        assert all(isinstance(event, TextDelta) for event in events[:-1])
        assert isinstance(events[-1], Completion)
        return events[-1]
    except ModelError as error:
        return error
    finally:
        await client.aclose()


PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))


@PROPERTY
@given(body=openai_bodies)
def test_any_openai_body_gives_a_bounded_completion_or_a_model_error(body: Any) -> None:
    outcome = asyncio.run(parse_once("openai", dumps(body), stream=False))
    if isinstance(outcome, Completion):
        assert_bounded(outcome)


@PROPERTY
@given(body=anthropic_bodies)
def test_any_anthropic_body_gives_a_bounded_completion_or_a_model_error(body: Any) -> None:
    outcome = asyncio.run(parse_once("anthropic", dumps(body), stream=False))
    if isinstance(outcome, Completion):
        assert_bounded(outcome)


@PROPERTY
@given(chunks=st.lists(openai_bodies, max_size=3), finish=leaves)
def test_any_openai_stream_gives_a_bounded_completion_or_a_model_error(
    chunks: list[Any], finish: Any
) -> None:
    last = {"choices": [{"delta": {}, "finish_reason": finish}]}
    events = [*chunks, last]
    body = b"".join(b"data: " + dumps(chunk) + b"\n\n" for chunk in events) + b"data: [DONE]\n\n"
    outcome = asyncio.run(parse_once("openai", body, stream=True))
    if isinstance(outcome, Completion):
        assert_bounded(outcome)


@PROPERTY
@given(start=anthropic_bodies, delta_usage=st.one_of(usage_anthropic, any_json))
def test_any_anthropic_stream_gives_a_bounded_completion_or_a_model_error(
    start: Any, delta_usage: Any
) -> None:
    events = [
        {"type": "message_start", "message": start},
        {"type": "content_block_delta", "delta": {"type": "text_delta", "text": "hi"}},
        {"type": "message_delta", "delta": {"stop_reason": "end_turn"}, "usage": delta_usage},
        {"type": "message_stop"},
    ]
    body = b"".join(b"data: " + dumps(event) + b"\n\n" for event in events)
    outcome = asyncio.run(parse_once("anthropic", body, stream=True))
    if isinstance(outcome, Completion):
        assert_bounded(outcome)


@pytest.fixture
async def openai_client(openai_server: WireServer) -> AsyncIterator[OpenAIClient]:
    client = OpenAIClient(deployment("openai", openai_server.url + "/v1"), SecretStr("sk-x"))
    yield client
    await client.aclose()


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    ("usage", "model", "expected_usage"),
    [
        ((3_000_000_000, 5), None, (MAX_TOKENS, 5)),  # Past int32, past any real call.
        ((-5, -1), None, (0, 0)),  # Negative counts.
        ((5, 2), "m" * 300, (5, 2)),  # A model id wider than its column.
        ((5, 2), "bad\x00model\nid", (5, 2)),  # Control characters.
    ],
)
async def test_out_of_range_values_from_the_wire_are_bounded(
    openai_server: WireServer,
    openai_client: OpenAIClient,
    mode: Mode,
    usage: tuple[int, int],
    model: str | None,
    expected_usage: tuple[int, int],
) -> None:
    openai_server.queue(Reply(text="ok", usage=usage, model=model))

    completion = await complete(openai_client, REQUEST, mode)

    assert (completion.usage.input_tokens, completion.usage.output_tokens) == expected_usage
    assert_bounded(completion)


@pytest.mark.parametrize(
    "headers",
    [
        {"retry-after": "inf"},
        {"retry-after": "nan"},
        {"retry-after": "1e400"},
        {"retry-after": "-inf"},
        {"retry-after-ms": "inf"},
        {"retry-after-ms": "1e400", "retry-after": "nan"},
    ],
)
async def test_non_finite_retry_after_gives_a_typed_error(
    openai_server: WireServer, openai_client: OpenAIClient, headers: dict[str, str]
) -> None:
    openai_server.queue(Reply(status=429, headers=headers))

    with pytest.raises(RateLimitedError) as raised:
        await openai_client.generate(REQUEST)

    retry_after = raised.value.retry_after
    assert retry_after is None or (math.isfinite(retry_after) and retry_after >= 0)


header_texts = st.one_of(
    st.none(),
    st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126)),
    st.sampled_from(["inf", "-inf", "nan", "NaN", "Infinity", "1e400", "-1e400", "1e308", "1_0"]),
    st.floats().map(str),
    st.integers().map(str),
)


@given(milliseconds=header_texts, seconds=header_texts)
def test_retry_after_parsing_is_total(milliseconds: str | None, seconds: str | None) -> None:
    headers = {"retry-after-ms": milliseconds, "retry-after": seconds}
    value = parse_retry_after(httpx.Headers({k: v for k, v in headers.items() if v is not None}))

    assert value is None or (math.isfinite(value) and 0 <= value <= 86_400)


@pytest.mark.parametrize("mode", MODES)
async def test_an_answer_past_the_byte_cap_is_a_typed_error(
    openai_server: WireServer, openai_client: OpenAIClient, mode: Mode
) -> None:
    huge = "x" * (17 * 1024 * 1024)  # Past the 16 MiB caps on an answer and on a stream.
    openai_server.queue(Reply(text=huge, chunks=(huge[:9_000_000], huge[9_000_000:])))

    with pytest.raises(UnavailableError, match="larger than"):
        await complete(openai_client, REQUEST, mode)
