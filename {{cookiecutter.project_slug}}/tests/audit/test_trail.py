"""The hash chain: intact when written, broken at the first edited, deleted or moved row."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
import structlog
from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from {{ cookiecutter.package_name }}.audit.models import AuditEvent
from {{ cookiecutter.package_name }}.audit.retention import prune_trail, verify_trail
from {{ cookiecutter.package_name }}.audit.trail import AuditTrail
from {{ cookiecutter.package_name }}.core import migrations
from {{ cookiecutter.package_name }}.core.database import create_engine, create_sessionmaker

from ..conftest import POSTGRES_URL
from ..factories import make_settings

Sessions = async_sessionmaker[AsyncSession]


async def write(trail: AuditTrail, count: int) -> None:
    for number in range(count):
        await trail.record(actor="tester", action="thing.done", details={"n": number})


async def test_an_event_is_stored_with_the_request_id_and_chained(
    trail: AuditTrail, sessionmaker: Sessions
) -> None:
    with structlog.contextvars.bound_contextvars(request_id="req-audit-1"):
        await trail.record(actor="admin", action="settings.changed", details={"flag": True})
    await trail.record(actor="admin", action="settings.changed", target="x")
    async with sessionmaker() as session:
        first, second = (await session.scalars(select(AuditEvent).order_by(AuditEvent.seq))).all()
    assert first.request_id == "req-audit-1"
    assert (first.seq, second.seq) == (1, 2)
    assert first.prev_hash == "0" * 64
    assert second.prev_hash == first.hash
    verdict = await verify_trail(sessionmaker)
    assert (verdict.checked, verdict.broken, verdict.head_hash) == (2, None, second.hash)


async def tamper_and_verify(sessionmaker: Sessions, statement: object) -> tuple[int, str]:
    async with sessionmaker() as session, session.begin():
        await session.execute(statement)  # type: ignore[call-overload]
    verdict = await verify_trail(sessionmaker)
    assert verdict.broken is not None
    return verdict.broken.seq, verdict.broken.reason


async def test_an_edited_row_is_named(trail: AuditTrail, sessionmaker: Sessions) -> None:
    await write(trail, 5)
    edit = update(AuditEvent).where(AuditEvent.seq == 3).values(actor="someone else")
    assert await tamper_and_verify(sessionmaker, edit) == (
        3,
        "its content does not match its hash (edited)",
    )


async def test_a_deleted_row_is_named(trail: AuditTrail, sessionmaker: Sessions) -> None:
    await write(trail, 5)
    seq, reason = await tamper_and_verify(
        sessionmaker, delete(AuditEvent).where(AuditEvent.seq == 2)
    )
    assert seq == 3
    assert "missing" in reason


async def test_deleting_the_first_rows_is_caught(trail: AuditTrail, sessionmaker: Sessions) -> None:
    await write(trail, 5)
    seq, reason = await tamper_and_verify(
        sessionmaker, delete(AuditEvent).where(AuditEvent.seq < 3)
    )
    assert seq == 3
    assert "does not start the chain" in reason


async def test_reordered_rows_are_caught(trail: AuditTrail, sessionmaker: Sessions) -> None:
    await write(trail, 5)
    async with sessionmaker() as session, session.begin():
        await session.execute(update(AuditEvent).where(AuditEvent.seq == 2).values(seq=100))
        await session.execute(update(AuditEvent).where(AuditEvent.seq == 4).values(seq=2))
        await session.execute(update(AuditEvent).where(AuditEvent.seq == 100).values(seq=4))
    verdict = await verify_trail(sessionmaker)
    assert verdict.broken is not None
    assert verdict.broken.seq == 2


async def test_pruning_keeps_the_rest_verifiable(trail: AuditTrail, sessionmaker: Sessions) -> None:
    await write(trail, 4)
    cutoff = datetime.now(UTC) + timedelta(microseconds=1)
    await asyncio.sleep(0.01)
    await write(trail, 3)

    assert await prune_trail(trail, cutoff, "tester") == 4
    await write(trail, 2)

    verdict = await verify_trail(sessionmaker)
    assert verdict.broken is None
    assert verdict.checked == 3 + 1 + 2  # kept rows, the checkpoint, new rows
    async with sessionmaker() as session:
        checkpoint = (
            await session.scalars(select(AuditEvent).where(AuditEvent.action == "audit.pruned"))
        ).one()
    assert checkpoint.details["pruned"] == 4


async def test_pruning_everything_leaves_a_verifiable_checkpoint(
    trail: AuditTrail, sessionmaker: Sessions
) -> None:
    await write(trail, 3)
    assert await prune_trail(trail, datetime.now(UTC) + timedelta(days=1), "tester") == 3
    await write(trail, 1)
    verdict = await verify_trail(sessionmaker)
    assert (verdict.checked, verdict.broken) == (2, None)


async def test_concurrent_writers_in_one_process_keep_one_chain(
    trail: AuditTrail, sessionmaker: Sessions
) -> None:
    await asyncio.gather(
        *(trail.record(actor="t", action="a", details={"n": n}) for n in range(50))
    )
    verdict = await verify_trail(sessionmaker)
    assert (verdict.checked, verdict.broken) == (50, None)


@pytest.mark.postgres
@pytest.mark.skipif(not POSTGRES_URL, reason="set TEST_DATABASE_URL to a PostgreSQL database")
async def test_200_concurrent_writers_in_two_processes_keep_one_chain_on_postgresql() -> None:
    """Two trails with their own engines and locks stand for two processes: only the
    database's advisory lock orders them."""
    settings = make_settings(database_url=str(POSTGRES_URL), database_pool_size=20)
    await asyncio.to_thread(migrations.upgrade, settings)
    engines = [create_engine(settings), create_engine(settings)]
    try:
        trails = [AuditTrail(create_sessionmaker(engine)) for engine in engines]
        await asyncio.gather(
            *(
                trails[n % 2].record(actor="t", action="concurrent", details={"n": n})
                for n in range(200)
            )
        )
        verdict = await verify_trail(create_sessionmaker(engines[0]))
        assert verdict.broken is None
        assert verdict.checked == 200
    finally:
        for engine in engines:
            await engine.dispose()
        await asyncio.to_thread(migrations.downgrade, settings)
