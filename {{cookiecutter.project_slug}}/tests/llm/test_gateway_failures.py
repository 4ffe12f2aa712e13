"""Whatever a client raises, the gateway answers with a typed error, records the attempt once
and counts it against the deployment's circuit; a stream always ends with an error event."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from pydantic import BaseModel, ValidationError

from {{ cookiecutter.package_name }}.llm.config import AliasConfig, CircuitBreakerPolicy, RetryPolicy
from {{ cookiecutter.package_name }}.llm.errors import ErrorKind, InvalidOutputError, ModelError, UnavailableError
from {{ cookiecutter.package_name }}.llm.output_validation import repair_request
from {{ cookiecutter.package_name }}.llm.types import (
    Completion,
    ModelRequest,
    ProviderStreamEvent,
    StreamError,
    TextDelta,
)

from .gateway_factories import default_deployments, make_gateway, request


class _Strict(BaseModel):
    count: int


def validation_error() -> ValidationError:
    try:
        _Strict.model_validate({"count": "many sk-live-0123456789abcdefghij"})
    except ValidationError as error:
        return error
    raise AssertionError("unreachable")


RAISED = [
    pytest.param(lambda: ValueError("negative usage"), id="ValueError"),
    pytest.param(validation_error, id="pydantic.ValidationError"),
    pytest.param(lambda: OverflowError("cannot convert float infinity"), id="OverflowError"),
    pytest.param(lambda: KeyError("choices"), id="KeyError"),
    pytest.param(lambda: RuntimeError("adapter bug"), id="RuntimeError"),
]


class ExplodingClient:
    """A client with a bug: raises a plain exception, optionally after some streamed text."""

    def __init__(self, make_error: object, after_text: bool = False) -> None:
        self._make_error = make_error
        self._after_text = after_text
        self.calls = 0

    def _error(self) -> BaseException:
        assert callable(self._make_error)
        error = self._make_error()
        assert isinstance(error, BaseException)
        return error

    async def generate(self, _request: ModelRequest) -> Completion:
        self.calls += 1
        raise self._error()

    async def stream(self, _request: ModelRequest) -> AsyncIterator[ProviderStreamEvent]:
        self.calls += 1
        if self._after_text:
            yield TextDelta(text="partial ")
        raise self._error()

    async def aclose(self) -> None:
        return None


def single_deployment_gateway(client: ExplodingClient, failure_threshold: int = 2) -> object:
    deployments = default_deployments(
        retry=RetryPolicy(max_attempts=1),
        circuit_breaker=CircuitBreakerPolicy(failure_rate=1.0, minimum_calls=failure_threshold),
    )
    h = make_gateway(
        deployments=deployments, aliases={"solo": AliasConfig(deployments=("primary",))}
    )
    h.gateway.clients["primary"] = client  # type: ignore[index]
    return h


@pytest.mark.parametrize("make_error", RAISED)
async def test_any_exception_from_generate_is_typed_recorded_once_and_counted(
    make_error: object,
) -> None:
    client = ExplodingClient(make_error)
    h = single_deployment_gateway(client)

    with pytest.raises(ModelError) as raised:
        await h.gateway.generate("solo", request())  # type: ignore[attr-defined]

    assert isinstance(raised.value, UnavailableError)
    assert "sk-live" not in raised.value.message  # Only the class name is kept.
    assert h.outcomes() == [("primary", 1, "unavailable")]  # type: ignore[attr-defined]
    with pytest.raises(ModelError):
        await h.gateway.generate("solo", request())  # type: ignore[attr-defined]
    assert h.gateway.circuit_states()["primary"] == "open"  # type: ignore[attr-defined]
    assert client.calls == 2


@pytest.mark.parametrize("after_text", [False, True], ids=["before-text", "after-text"])
@pytest.mark.parametrize("make_error", RAISED)
async def test_any_exception_in_a_stream_ends_it_with_an_error_event(
    make_error: object, after_text: bool
) -> None:
    h = single_deployment_gateway(ExplodingClient(make_error, after_text=after_text))

    events = [event async for event in h.gateway.stream("solo", request())]  # type: ignore[attr-defined]

    last = events[-1]
    assert isinstance(last, StreamError)
    assert last.kind is ErrorKind.UNAVAILABLE
    assert last.incomplete is after_text
    outcome = "incomplete" if after_text else "unavailable"
    assert h.outcomes() == [("primary", 1, outcome)]  # type: ignore[attr-defined]


def test_the_repair_prompt_carries_a_bounded_part_of_the_bad_output() -> None:
    bad_output = "{" * 1_000_000

    repaired = repair_request(request(), bad_output, InvalidOutputError("not JSON"))

    assistant = repaired.messages[-2]
    assert assistant.role == "assistant"
    assert len(assistant.content) < 10_000
    assert assistant.content.startswith("{" * 100)
