"""`Task.run` and `Task.stream`: the one way the routes and the evals call a task."""

from __future__ import annotations

import pytest

from {{ cookiecutter.package_name }}.llm.accounting import InferenceRecorder, SpendLedger
from {{ cookiecutter.package_name }}.llm.config import load_models_config
from {{ cookiecutter.package_name }}.llm.errors import InvalidOutputError
from {{ cookiecutter.package_name }}.llm.gateway import ModelGateway
from {{ cookiecutter.package_name }}.llm.pricing import load_price_table
from {{ cookiecutter.package_name }}.llm.providers.fake import FakeModelClient
from {{ cookiecutter.package_name }}.llm.types import StreamDone, StreamError, TextDelta
from {{ cookiecutter.package_name }}.tasks.catalog.triage_ticket import (
    TASK,
    Ticket,
    TicketCategory,
    Triage,
    Urgency,
)

from ..factories import OFFLINE_MODELS_FILE, PRICES_FILE

TICKET = Ticket(subject="Charged twice", body="My billing page shows two charges this month.")
TRIAGE = '{"category": "billing", "urgency": "urgent", "summary": "Charged twice."}'


def gateway_with(model: FakeModelClient) -> ModelGateway:
    return ModelGateway(
        load_models_config(OFFLINE_MODELS_FILE),
        load_price_table(PRICES_FILE),
        {"fake": model},
        InferenceRecorder(None, SpendLedger()),
    )


async def test_run_returns_the_output_model_the_task_declares() -> None:
    model = FakeModelClient("fake-1")
    model.queue(TRIAGE)

    response = await TASK.run(gateway_with(model), TICKET)

    assert response.parsed == Triage(
        category=TicketCategory.BILLING, urgency=Urgency.URGENT, summary="Charged twice."
    )
    assert response.alias == TASK.alias
    (sent,) = model.requests
    assert sent == TASK.build_request(TICKET)
    assert sent.metadata == {"task": "triage_ticket"}


async def test_run_raises_when_every_answer_is_invalid() -> None:
    model = FakeModelClient("fake-1")
    model.queue("not json", "still not json", "nope", "no")

    with pytest.raises(InvalidOutputError):
        await TASK.run(gateway_with(model), TICKET)


async def test_stream_sends_text_then_the_parsed_output() -> None:
    model = FakeModelClient("fake-1")
    model.queue(TRIAGE)

    events = [event async for event in TASK.stream(gateway_with(model), TICKET)]

    *deltas, done = events
    assert deltas
    assert all(isinstance(delta, TextDelta) for delta in deltas)
    assert "".join(d.text for d in deltas if isinstance(d, TextDelta)) == TRIAGE
    assert isinstance(done, StreamDone)
    assert isinstance(done.response.parsed, Triage)
    assert done.response.parsed.urgency is Urgency.URGENT


async def test_stream_ends_with_an_error_event_for_invalid_output() -> None:
    model = FakeModelClient("fake-1")
    model.queue("not json")

    events = [event async for event in TASK.stream(gateway_with(model), TICKET)]

    assert isinstance(events[-1], StreamError)
    assert events[-1].kind == "invalid_output"
