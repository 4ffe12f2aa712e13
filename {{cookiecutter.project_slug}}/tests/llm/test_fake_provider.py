from __future__ import annotations

from collections.abc import AsyncIterator
from enum import StrEnum
from typing import Any, Literal

import orjson
import pytest
from pydantic import BaseModel, Field

from {{ cookiecutter.package_name }}.llm.errors import RateLimitedError, UnavailableError
from {{ cookiecutter.package_name }}.llm.providers.fake import FakeModelClient, FakeReply
from {{ cookiecutter.package_name }}.llm.providers.fake_output import fake_text
from {{ cookiecutter.package_name }}.llm.types import (
    Completion,
    FinishReason,
    Message,
    ModelRequest,
    ProviderStreamEvent,
    TextDelta,
    Usage,
)


class Color(StrEnum):
    RED = "red"
    GREEN = "green"
    BLUE = "blue"


class Address(BaseModel):
    city: str = Field(max_length=5)
    zip_code: int = Field(ge=1000)


class Person(BaseModel):
    name: str
    favourite: Color
    mood: Literal["happy", "sad"]
    address: Address
    backup: Address | None = None
    nickname: str | None = None
    tags: list[str] = Field(min_length=2)
    score: float = Field(gt=0)
    code: str = Field(min_length=6)
    active: bool
    count: int
    kind: Literal["person"] = "person"


def ask(text: str, schema: dict[str, Any] | None = None) -> ModelRequest:
    return ModelRequest(
        messages=(
            Message(role="system", content="You are terse."),
            Message(role="user", content=text),
        ),
        output_schema=schema,
    )


async def drain(
    stream: AsyncIterator[ProviderStreamEvent], into: list[ProviderStreamEvent]
) -> None:
    """Append each event to `into` as it comes, so a test sees what arrived before a failure."""
    async for event in stream:
        into.append(event)


async def collect(client: FakeModelClient, request: ModelRequest) -> list[ProviderStreamEvent]:
    return [event async for event in client.stream(request)]


async def test_default_reply_echoes_the_last_user_message() -> None:
    client = FakeModelClient(model="fake-x")
    completion = await client.generate(ask("  Hello\n   world  "))
    assert completion == Completion(
        text="echo: Hello world",
        finish_reason=FinishReason.STOP,
        # ceil(14 / 4) + ceil(18 / 4) input tokens; ceil(17 / 4) output tokens.
        usage=Usage(input_tokens=4 + 5, output_tokens=5),
        model="fake-x",
    )
    assert len(client.requests) == 1


async def test_default_reply_is_schema_valid_json() -> None:
    client = FakeModelClient()
    completion = await client.generate(ask("Tell me   about nothing", Person.model_json_schema()))
    person = Person.model_validate_json(completion.text)
    assert orjson.loads(completion.text) == {
        "name": "Tell me about nothing",
        "favourite": "blue",  # No colour is mentioned: a stable hash of the text picks one.
        "mood": "sad",
        "address": {"city": "Tell ", "zip_code": 1000},
        "backup": {"city": "Tell ", "zip_code": 1000},  # Optional models are filled in.
        "nickname": "Tell me about nothing",
        "tags": ["Tell me about nothing", "Tell me about nothing"],
        "score": 1,
        "code": "Tell me about nothing",
        "active": False,
        "count": 0,
        "kind": "person",
    }
    assert person.address.city == "Tell "


def test_short_text_is_padded_to_min_length() -> None:
    text = fake_text(ask("hi", Person.model_json_schema()))
    person = Person.model_validate_json(text)
    assert person.code == "hi...."
    assert person.address.city == "hi"


def test_empty_user_text_still_gives_valid_output() -> None:
    request = ModelRequest(
        messages=(Message(role="system", content="x"),), output_schema=Person.model_json_schema()
    )
    person = Person.model_validate_json(fake_text(request))
    assert person.name == "n/a"


@pytest.mark.parametrize(
    ("text", "colour", "mood"),
    [
        ("I really like GREEN, and I am happy", Color.GREEN, "happy"),
        ("red first, then green; sadly", Color.RED, "sad"),
        ("something blue makes me happy, not red", Color.BLUE, "happy"),
    ],
)
def test_enum_value_mentioned_first_in_the_text_is_chosen(
    text: str, colour: Color, mood: str
) -> None:
    person = Person.model_validate_json(fake_text(ask(text, Person.model_json_schema())))
    assert person.favourite is colour
    assert person.mood == mood


def test_output_is_deterministic_for_the_same_request() -> None:
    schema = Person.model_json_schema()
    texts = {fake_text(ask(f"case {i % 3} of nothing", schema)) for i in range(9)}
    assert len(texts) == 3
    # Stable across processes too (a hash of the text, not Python's salted hash()).
    words = ("alpha", "omega", "zeta")
    chosen = [orjson.loads(fake_text(ask(word, schema)))["favourite"] for word in words]
    assert chosen == ["green", "red", "blue"]


async def test_scripted_replies_come_in_queue_order_then_the_default() -> None:
    client = FakeModelClient()
    error = RateLimitedError("slow down", retry_after=2.0)
    client.queue(
        "first", FakeReply(text="second", finish_reason=FinishReason.LENGTH), error, "fourth"
    )
    assert (await client.generate(ask("q1"))).text == "first"
    second = await client.generate(ask("q2"))
    assert (second.text, second.finish_reason) == ("second", FinishReason.LENGTH)
    with pytest.raises(RateLimitedError) as caught:
        await client.generate(ask("q3"))
    assert caught.value is error
    assert caught.value.retry_after == 2.0
    assert (await client.generate(ask("q4"))).text == "fourth"
    assert (await client.generate(ask("q5"))).text == "echo: q5"
    assert [r.messages[-1].content for r in client.requests] == ["q1", "q2", "q3", "q4", "q5"]


async def test_scripted_usage_overrides_the_estimate() -> None:
    client = FakeModelClient()
    client.queue(FakeReply(text="x" * 100, usage=Usage(input_tokens=7, output_tokens=3)))
    assert (await client.generate(ask("q"))).usage == Usage(input_tokens=7, output_tokens=3)


async def test_responder_answers_when_nothing_is_scripted() -> None:
    client = FakeModelClient(responder=lambda r: f"len={len(r.messages)}")
    client.queue("scripted")
    assert (await client.generate(ask("q"))).text == "scripted"
    assert (await client.generate(ask("q"))).text == "len=2"


async def test_injected_error_is_raised_by_stream_before_any_chunk() -> None:
    client = FakeModelClient()
    client.queue(UnavailableError("down"))
    events: list[ProviderStreamEvent] = []
    with pytest.raises(UnavailableError, match="down"):
        await drain(client.stream(ask("q")), events)
    assert events == []


async def test_stream_sends_chunks_then_one_completion() -> None:
    client = FakeModelClient(chunk_chars=4)
    client.queue("abcdefghij")
    events = await collect(client, ask("q"))
    assert events[:-1] == [TextDelta(text="abcd"), TextDelta(text="efgh"), TextDelta(text="ij")]
    assert isinstance(events[-1], Completion)
    assert events[-1].text == "abcdefghij"
    assert events[-1].usage == Usage(input_tokens=4 + 1, output_tokens=3)


async def test_break_stream_after_cuts_the_stream_after_n_chunks() -> None:
    client = FakeModelClient(chunk_chars=4)
    client.queue(FakeReply(text="abcdefghijkl", break_stream_after=2))
    events: list[ProviderStreamEvent] = []
    with pytest.raises(UnavailableError, match="cut after 2 chunks"):
        await drain(client.stream(ask("q")), events)
    assert events == [TextDelta(text="abcd"), TextDelta(text="efgh")]


async def test_break_stream_after_zero_fails_before_the_first_chunk() -> None:
    client = FakeModelClient(chunk_chars=4)
    client.queue(FakeReply(text="abcdefgh", break_stream_after=0))
    with pytest.raises(UnavailableError, match="cut after 0 chunks"):
        await collect(client, ask("q"))
