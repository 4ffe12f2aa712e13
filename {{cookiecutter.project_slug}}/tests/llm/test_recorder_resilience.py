"""One bad row never stops recording: rejected rows are set aside, the queue is bounded, and
whatever the provider parsers yield is stored on SQLite and PostgreSQL alike."""

from __future__ import annotations

import asyncio
import uuid
from decimal import Decimal
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from {{ cookiecutter.package_name }}.core import migrations
from {{ cookiecutter.package_name }}.core.database import create_engine, create_sessionmaker
from {{ cookiecutter.package_name }}.core.logging import configure_logging
from {{ cookiecutter.package_name }}.llm.accounting import Attempt, InferenceRecorder, SpendLedger
from {{ cookiecutter.package_name }}.llm.inference_records import InferenceRecord
from {{ cookiecutter.package_name }}.llm.types import Completion

from ..factories import LogOutput, make_settings
from .test_hostile_upstream import anthropic_bodies, dumps, openai_bodies, parse_once


def attempt(**overrides: Any) -> Attempt:
    values: dict[str, Any] = {
        "call_id": uuid.uuid4().hex,
        "request_id": None,
        "task": None,
        "alias": "chat",
        "deployment": "primary",
        "served_model": "fake-a",
        "prompt_version": None,
        "attempt": 1,
        "outcome": "ok",
        "input_tokens": 1,
        "output_tokens": 1,
        "cost_usd": Decimal("0.001"),
        "latency_ms": 1.0,
    }
    return Attempt(**(values | overrides))


async def stored_call_ids(database_url: str) -> set[str]:
    engine = create_engine(make_settings(database_url=database_url))
    try:
        async with create_sessionmaker(engine)() as session:
            return set((await session.scalars(select(InferenceRecord.call_id))).all())
    finally:
        await engine.dispose()


@pytest.fixture
def migrated_url(database_url: str) -> Any:
    settings_ = make_settings(database_url=database_url)
    migrations.upgrade(settings_)
    yield database_url
    migrations.downgrade(settings_)


async def test_a_rejected_row_is_set_aside_and_the_rest_are_written(
    migrated_url: str, tmp_path: Path, log_output: LogOutput
) -> None:
    configure_logging(make_settings(), log_output.stream)
    dead_letters = tmp_path / "dead.jsonl"
    engine = create_engine(make_settings(database_url=migrated_url))
    try:
        recorder = InferenceRecorder(
            create_sessionmaker(engine), SpendLedger(), dead_letter_file=dead_letters
        )
        # 2**70 fits no integer column; a 300-character model id fits no PostgreSQL column.
        bad = [attempt(input_tokens=2**70), attempt(served_model="m" * 300, input_tokens=2**70)]
        good = [attempt(), attempt(), attempt()]
        for row in (good[0], bad[0], good[1], bad[1]):
            recorder.record(row)

        await recorder.flush()  # Does not raise: the batch is retried row by row.
        recorder.record(good[2])
        await recorder.flush()

        assert await stored_call_ids(migrated_url) == {row.call_id for row in good}
        assert recorder.pending == 0
        assert recorder.dead_letters.count == 2
        kept = [orjson.loads(line) for line in dead_letters.read_bytes().splitlines()]
        assert [row["call_id"] for row in kept] == [row.call_id for row in bad]
        logged = [
            line
            for line in log_output.json_lines()
            if line["event"] == "inference_record_set_aside"
        ]
        assert [line["call_id"] for line in logged] == [row.call_id for row in bad]
    finally:
        await engine.dispose()


async def test_the_pending_queue_is_bounded_while_the_database_is_down(tmp_path: Path) -> None:
    unreachable = f"sqlite+aiosqlite:///{tmp_path / 'missing-dir' / 'x.db'}"
    engine = create_engine(make_settings(database_url=unreachable))
    try:
        recorder = InferenceRecorder(
            create_sessionmaker(engine),
            SpendLedger(),
            dead_letter_file=tmp_path / "dead.jsonl",
            max_pending=3,
        )
        rows = [attempt() for _ in range(5)]
        for row in rows:
            recorder.record(row)
        with pytest.raises(Exception):  # noqa: B017, PT011 - whatever the driver says
            await recorder.flush()

        assert recorder.pending == 3  # The newest three, kept for when the database is back.
        assert recorder.dead_letters.count == 2
        lines = (tmp_path / "dead.jsonl").read_bytes().splitlines()
        assert [orjson.loads(line)["call_id"] for line in lines] == [r.call_id for r in rows[:2]]
        assert recorder.ledger.spent() == Decimal("0.005")  # Budgets still count every attempt.
    finally:
        await engine.dispose()


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    openai=st.lists(openai_bodies, min_size=1, max_size=4),
    anthropic=st.lists(anthropic_bodies, min_size=1, max_size=4),
)
def test_every_parsed_attempt_is_accepted_by_the_recorder(
    migrated_url: str, openai: list[Any], anthropic: list[Any]
) -> None:
    async def run() -> None:
        outcomes = [await parse_once("openai", dumps(body), stream=False) for body in openai]
        outcomes += [await parse_once("anthropic", dumps(body), stream=False) for body in anthropic]
        completions = [outcome for outcome in outcomes if isinstance(outcome, Completion)]
        rows = [
            attempt(
                served_model=c.model,
                input_tokens=c.usage.input_tokens,
                output_tokens=c.usage.output_tokens,
            )
            for c in completions
        ]
        engine = create_engine(make_settings(database_url=migrated_url))
        try:
            sessionmaker = create_sessionmaker(engine)
            recorder = InferenceRecorder(sessionmaker, SpendLedger())
            for row in rows:
                recorder.record(row)
            await recorder.flush()
            async with sessionmaker() as session:
                ids = [r.call_id for r in rows]
                query = select(func.count()).where(InferenceRecord.call_id.in_(ids))
                assert (await session.execute(query)).scalar_one() == len(rows)
        finally:
            await engine.dispose()

    asyncio.run(run())
