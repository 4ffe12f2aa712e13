"""Budgets are hard caps: reservations in flight count, on every ledger backend."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from decimal import Decimal

import pytest
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from {{ cookiecutter.package_name }}.core import migrations
from {{ cookiecutter.package_name }}.core.database import create_engine, create_sessionmaker
from {{ cookiecutter.package_name }}.llm.budget import utc_today
from {{ cookiecutter.package_name }}.llm.errors import BudgetExceededError, BudgetUnavailableError
from {{ cookiecutter.package_name }}.llm.ledger import MemorySpendLedger, SpendLedger, SpendLimit
from {{ cookiecutter.package_name }}.llm.ledger_database import DatabaseSpendLedger
from {{ cookiecutter.package_name }}.llm.ledger_redis import RedisSpendLedger
from {{ cookiecutter.package_name }}.llm.providers.fake import FakeReply
from {{ cookiecutter.package_name }}.llm.types import Usage

from ..factories import make_settings
from .gateway_factories import MAX_TOKENS, make_gateway, request

REDIS_URL = "redis://127.0.0.1:6379/0"
DOWN_DATABASE_URL = "postgresql+asyncpg://nobody@127.0.0.1:1/none"  # Nothing listens on port 1.
# "hello there" is 11 bytes: a call that uses all of its upper bound costs exactly it.
FULL = Usage(input_tokens=11, output_tokens=MAX_TOKENS)
UPPER_BOUND = (11 * Decimal("2.00") + MAX_TOKENS * Decimal("10.00")) / 1_000_000


async def redis_or_skip() -> Redis:
    redis = Redis.from_url(REDIS_URL, socket_connect_timeout=0.5)
    try:
        await redis.ping()
    except Exception:
        await redis.aclose()
        pytest.skip("no Redis on 127.0.0.1:6379")
    return redis


@pytest.fixture(params=["memory", "database", "redis"])
async def ledger(request: pytest.FixtureRequest, database_url: str) -> AsyncIterator[SpendLedger]:
    if request.param == "memory":
        yield MemorySpendLedger()
        return
    settings = make_settings(database_url=database_url, database_pool_size=25)
    await asyncio.to_thread(migrations.upgrade, settings)
    engine = create_engine(settings)
    sessions: async_sessionmaker[AsyncSession] = create_sessionmaker(engine)
    try:
        if request.param == "database":
            yield DatabaseSpendLedger(sessions)
        else:
            redis = await redis_or_skip()
            prefix = f"test-{uuid.uuid4().hex}"
            redis_ledger = RedisSpendLedger(redis, prefix, sessions, ["global", "alias:chat"])
            await redis_ledger.load_today()
            yield redis_ledger
            keys = [key async for key in redis.scan_iter(f"{prefix}:*")]
            if keys:
                await redis.delete(*keys)
            await redis.aclose()
    finally:
        await engine.dispose()
        await asyncio.to_thread(migrations.downgrade, settings)


async def test_20_concurrent_calls_against_a_budget_for_3_let_only_3_through(
    ledger: SpendLedger,
) -> None:
    h = make_gateway(daily_budget_usd=float(UPPER_BOUND * 3), ledger=ledger)
    h.clients["primary"].queue(*(FakeReply(text="ok", usage=FULL, latency_seconds=0.05),) * 20)

    results = await asyncio.gather(
        *(h.gateway.generate("chat", request()) for _ in range(20)), return_exceptions=True
    )
    await h.gateway.budget.drain()

    served = [r for r in results if not isinstance(r, BaseException)]
    refused = [r for r in results if isinstance(r, BudgetExceededError)]
    assert len(h.clients["primary"].requests) == 3
    assert (len(served), len(refused)) == (3, 17)
    assert await ledger.spent(utc_today(), "global") == UPPER_BOUND * 3


async def test_a_settled_call_frees_what_it_did_not_use(ledger: SpendLedger) -> None:
    h = make_gateway(daily_budget_usd=float(UPPER_BOUND * 2), ledger=ledger)
    cheap = FakeReply(text="ok", usage=Usage(input_tokens=1, output_tokens=1))
    h.clients["primary"].queue(*(cheap,) * 5)
    for _ in range(5):
        await h.gateway.generate("chat", request())
        await h.gateway.budget.drain()
    assert await ledger.spent(utc_today(), "global") == 5 * Decimal("12") / 1_000_000


async def test_a_callers_own_budget_is_a_cap_too(ledger: SpendLedger) -> None:
    h = make_gateway(ledger=ledger)
    h.clients["primary"].queue(FakeReply(text="ok", usage=FULL))
    mine = [SpendLimit("key:abc", UPPER_BOUND)]
    await h.gateway.generate("chat", request(), spend_limits=mine)
    await h.gateway.budget.drain()
    with pytest.raises(BudgetExceededError, match="API key 'abc'"):
        await h.gateway.generate("chat", request(), spend_limits=mine)
    await h.gateway.generate("chat", request())  # Other callers still may.
    await h.gateway.budget.drain()


async def test_an_unreachable_database_refuses_paid_calls() -> None:
    down = make_settings(database_url=DOWN_DATABASE_URL)
    engine = create_engine(down)
    try:
        h = make_gateway(ledger=DatabaseSpendLedger(create_sessionmaker(engine)))
        with pytest.raises(BudgetUnavailableError):
            await h.gateway.generate("chat", request())
        assert h.clients["primary"].requests == []
    finally:
        await engine.dispose()


async def test_redis_refuses_paid_calls_until_todays_spend_is_loaded() -> None:
    redis = await redis_or_skip()
    down = make_settings(database_url=DOWN_DATABASE_URL)
    engine = create_engine(down)
    ledger = RedisSpendLedger(redis, f"test-{uuid.uuid4().hex}", create_sessionmaker(engine), [])
    ledger.start()
    try:
        h = make_gateway(ledger=ledger)
        with pytest.raises(BudgetUnavailableError, match="not loaded"):
            await h.gateway.generate("chat", request())
        assert h.clients["primary"].requests == []
    finally:
        await ledger.aclose()
        await redis.aclose()
        await engine.dispose()
