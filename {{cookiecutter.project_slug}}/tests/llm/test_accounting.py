"""Rows in `inference_records`: one per attempt, written off the request path, read at start-up."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel
from sqlalchemy import func, insert, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from {{ cookiecutter.package_name }}.core.database import create_engine, create_sessionmaker
from {{ cookiecutter.package_name }}.core.settings import Settings
from {{ cookiecutter.package_name }}.llm.accounting import Attempt, InferenceRecorder, SpendLedger, utc_now
from {{ cookiecutter.package_name }}.llm.config import AliasConfig
from {{ cookiecutter.package_name }}.llm.errors import BudgetExceededError, RateLimitedError, UnavailableError
from {{ cookiecutter.package_name }}.llm.inference_records import InferenceRecord
from {{ cookiecutter.package_name }}.llm.providers.fake import FakeReply
from {{ cookiecutter.package_name }}.llm.types import Usage

from ..factories import make_settings
from .gateway_factories import CapturingRecorder, Harness, make_gateway, request

Row = tuple[str, int, str, str, str, int, int, Decimal]


class Numbered(BaseModel):
    n: int


@pytest.fixture
async def sessionmaker(migrated: Settings) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    engine = create_engine(migrated)
    try:
        yield create_sessionmaker(engine)
    finally:
        await engine.dispose()


def as_row(item: Attempt | InferenceRecord) -> Row:
    return (
        item.call_id,
        item.attempt,
        item.alias,
        item.deployment,
        item.outcome,
        item.input_tokens,
        item.output_tokens,
        Decimal(item.cost_usd),
    )


async def stored(sessionmaker: async_sessionmaker[AsyncSession]) -> list[Row]:
    async with sessionmaker() as session:
        records = (await session.scalars(select(InferenceRecord))).all()
    return sorted(as_row(r) for r in records)


async def stored_count(sessionmaker: async_sessionmaker[AsyncSession]) -> int:
    async with sessionmaker() as session:
        query = select(func.count()).select_from(InferenceRecord)
        return (await session.execute(query)).scalar_one()


async def wait_for_rows(sessionmaker: async_sessionmaker[AsyncSession], count: int) -> None:
    """Wait (bounded) until the background writer has stored `count` rows."""
    for _ in range(1000):
        if await stored_count(sessionmaker) >= count:
            return
        await asyncio.sleep(0.005)
    raise AssertionError(f"the writer did not store {count} rows")


async def run_mixed_calls(h: Harness) -> None:
    """Three calls: a retry, a repair then a fallback, a plain success. Seven attempts."""
    primary, secondary = h.clients["primary"], h.clients["secondary"]
    primary.queue(UnavailableError("503"), FakeReply(text="one", usage=Usage(input_tokens=11)))
    await h.gateway.generate("chat", request("first"))
    primary.queue(
        FakeReply(text="{}", usage=Usage(input_tokens=20, output_tokens=2)),
        FakeReply(text="[]", usage=Usage(input_tokens=40, output_tokens=2)),
    )
    secondary.queue(
        RateLimitedError("429"),
        FakeReply(text='{"n": 1}', usage=Usage(input_tokens=30, output_tokens=5)),
    )
    await h.gateway.generate("chat", request("second"), output_model=Numbered)
    h.clients["tertiary"].queue(FakeReply(text="x", usage=Usage(input_tokens=7, output_tokens=1)))
    await h.gateway.generate("cheap", request("third"))


def recorder_on(sessionmaker: async_sessionmaker[AsyncSession]) -> CapturingRecorder:
    return CapturingRecorder(SpendLedger(), sessionmaker)


async def test_background_writer_stores_every_attempt_exactly_once(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    recorder = recorder_on(sessionmaker)
    await recorder.start()
    h = make_gateway(recorder=recorder)

    await run_mixed_calls(h)
    assert len(recorder.attempts) == 7
    await wait_for_rows(sessionmaker, 7)  # Written without anyone calling flush.
    await h.gateway.generate("chat", request("fourth"))  # And the writer keeps going.
    await wait_for_rows(sessionmaker, 8)
    await recorder.aclose()

    assert await stored(sessionmaker) == sorted(as_row(a) for a in recorder.attempts)
    assert [(a.deployment, a.outcome) for a in recorder.attempts] == [
        ("primary", "unavailable"),
        ("primary", "ok"),
        ("primary", "invalid_output"),
        ("primary", "invalid_output"),
        ("secondary", "rate_limited"),
        ("secondary", "ok"),
        ("tertiary", "ok"),
        ("primary", "ok"),
    ]


@pytest.mark.parametrize("yields", [0, 1, 2, 4, 8, 16])
async def test_aclose_stores_everything_pending_whatever_the_writer_was_doing(
    sessionmaker: async_sessionmaker[AsyncSession], yields: int
) -> None:
    """Closing right away, or while the writer has a batch in flight: nothing lost or doubled."""
    recorder = recorder_on(sessionmaker)
    await recorder.start()
    h = make_gateway(recorder=recorder)
    await run_mixed_calls(h)
    for _ in range(yields):
        await asyncio.sleep(0)

    await recorder.aclose()

    assert await stored(sessionmaker) == sorted(as_row(a) for a in recorder.attempts)
    assert await stored_count(sessionmaker) == 7


@pytest.mark.parametrize("yields", [1, 2, 4, 8])
async def test_flush_waits_for_the_batch_the_writer_has_in_flight(
    sessionmaker: async_sessionmaker[AsyncSession], yields: int
) -> None:
    recorder = recorder_on(sessionmaker)
    await recorder.start()
    h = make_gateway(recorder=recorder)
    await h.gateway.generate("chat", request())
    for _ in range(yields):  # Let the writer take the row and start writing it.
        await asyncio.sleep(0)

    await recorder.flush()

    assert await stored_count(sessionmaker) == 1  # Read before the writer could finish alone.
    await recorder.aclose()
    assert await stored_count(sessionmaker) == 1


async def test_stored_rows_keep_the_call_details(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    recorder = recorder_on(sessionmaker)
    await recorder.start()
    h = make_gateway(recorder=recorder)
    h.clients["primary"].queue(
        FakeReply(text="hi", usage=Usage(input_tokens=1234, output_tokens=567))
    )
    response = await h.gateway.generate("chat", request(), task="greet")
    await recorder.aclose()

    async with sessionmaker() as session:
        record = (await session.scalars(select(InferenceRecord))).one()
    assert (record.task, record.served_model, record.prompt_version) == ("greet", "fake-a", None)
    assert record.cost_usd == response.cost_usd == Decimal("0.008138")  # 1234*2 + 567*10
    assert record.created_at is not None


async def test_a_restarted_recorder_loads_todays_spend_so_budgets_survive(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    first = recorder_on(sessionmaker)
    await first.start()
    h = make_gateway(recorder=first)
    await run_mixed_calls(h)
    await first.aclose()
    async with sessionmaker() as session, session.begin():  # Yesterday's spend does not count.
        yesterday = as_attempt("chat", Decimal("5"), created_at=utc_now() - timedelta(days=1))
        await session.execute(insert(InferenceRecord), [attempt_values(yesterday)])

    second = recorder_on(sessionmaker)
    assert second.ledger.spent() == 0
    await second.start()

    # chat: 11*2 + (20*2 + 2*10) + (40*2 + 2*10) on fake-a, 30*1 + 5*4 on fake-b; per 1e6.
    assert second.ledger.spent("chat") == first.ledger.spent("chat") == Decimal("0.000232")
    assert second.ledger.spent("cheap") == first.ledger.spent("cheap") == Decimal("0.000005")
    assert second.ledger.spent() == Decimal("0.000237")
    aliases = {
        "chat": AliasConfig(deployments=("primary",), daily_budget_usd=0.0002),
        "cheap": AliasConfig(deployments=("tertiary",)),
    }
    restarted = make_gateway(aliases=aliases, recorder=second)
    with pytest.raises(BudgetExceededError, match="alias 'chat'"):
        await restarted.gateway.generate("chat", request())
    assert len(restarted.clients["primary"].requests) == 0
    await second.aclose()
    assert await stored_count(sessionmaker) == 8  # The restart wrote nothing twice.


def as_attempt(alias: str, cost: Decimal, **overrides: Any) -> Attempt:
    values: dict[str, Any] = {
        "call_id": "c" * 32,
        "request_id": None,
        "task": None,
        "alias": alias,
        "deployment": "primary",
        "served_model": "fake-a",
        "prompt_version": None,
        "attempt": 1,
        "outcome": "ok",
        "input_tokens": 1,
        "output_tokens": 1,
        "cost_usd": cost,
        "latency_ms": 1.0,
    }
    return Attempt(**(values | overrides))


def attempt_values(attempt: Attempt) -> dict[str, Any]:
    return dict(vars(attempt))


async def test_flush_failure_keeps_the_rows_pending(tmp_path: Path) -> None:
    """A database without the table: flush raises, and the rows are written once it is there."""
    engine = create_engine(make_settings(database_url=f"sqlite+aiosqlite:///{tmp_path / 'x.db'}"))
    try:
        sessionmaker = create_sessionmaker(engine)
        recorder = InferenceRecorder(sessionmaker, SpendLedger())
        attempts = [as_attempt("chat", Decimal("0.01"), attempt=n) for n in (1, 2, 3)]
        for attempt in attempts[:2]:
            recorder.record(attempt)

        with pytest.raises(OperationalError, match="no such table"):
            await recorder.flush()
        recorder.record(attempts[2])
        with pytest.raises(OperationalError):
            await recorder.flush()

        async with engine.begin() as connection:
            await connection.run_sync(InferenceRecord.metadata.tables["inference_records"].create)
        await recorder.flush()
        await recorder.flush()  # Nothing left: writes nothing more.

        assert await stored(sessionmaker) == sorted(as_row(a) for a in attempts)
        assert recorder.ledger.spent("chat") == Decimal("0.03")  # Counted once, at record time.
    finally:
        await engine.dispose()


async def test_start_survives_a_database_without_the_table(tmp_path: Path) -> None:
    engine = create_engine(make_settings(database_url=f"sqlite+aiosqlite:///{tmp_path / 'x.db'}"))
    try:
        recorder = InferenceRecorder(create_sessionmaker(engine), SpendLedger())
        await recorder.start()  # Logs, does not raise: readiness reports the database.
        recorder.record(as_attempt("chat", Decimal("0.5")))
        await recorder.aclose()  # The writer gives up at shutdown instead of retrying forever.
        assert recorder.ledger.spent() == Decimal("0.5")
    finally:
        await engine.dispose()
