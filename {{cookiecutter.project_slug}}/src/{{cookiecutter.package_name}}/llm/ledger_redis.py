"""The spend ledger in Redis: one hash per day and scope, checked and held by one Lua script.

Amounts are whole nano-dollars (Lua numbers are doubles: exact up to nine million dollars).
Today's recorded spend is loaded from `inference_records` at start-up; until it is, paid
calls are refused (BudgetUnavailableError), and so they are while Redis is down.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import structlog
from redis.exceptions import RedisError
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from .errors import BudgetUnavailableError
from .ledger import Reservation, SpendLimit
from .ledger_database import recorded_spend

if TYPE_CHECKING:
    from redis.asyncio import Redis
    from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

NANO = Decimal(1_000_000_000)
TTL_SECONDS = 3 * 24 * 3600
RESERVE = """
local amount, ttl = tonumber(ARGV[1]), ARGV[#ARGV]
for i, key in ipairs(KEYS) do
  local limit = tonumber(ARGV[i + 1])
  if limit >= 0 then
    local used = tonumber(redis.call('HGET', key, 'spent') or '0')
      + tonumber(redis.call('HGET', key, 'held') or '0')
    if used + amount > limit then return i end
  end
end
for _, key in ipairs(KEYS) do
  redis.call('HINCRBY', key, 'held', amount)
  redis.call('EXPIRE', key, ttl)
end
return 0
"""
RETRY_SECONDS = 1.0


def nanos(amount: Decimal) -> int:
    return int((amount * NANO).to_integral_value())


class RedisSpendLedger:
    def __init__(
        self,
        redis: Redis,
        prefix: str,
        sessionmaker: async_sessionmaker[AsyncSession] | None,
        scopes_to_load: Sequence[str],
    ) -> None:
        self._redis = redis
        self._prefix = f"{prefix}:spend"
        self._sessionmaker = sessionmaker
        self._scopes_to_load = tuple(scopes_to_load)
        self._reserve = redis.register_script(RESERVE)
        self._loaded = sessionmaker is None
        self._loader: asyncio.Task[None] | None = None
        self._log = structlog.get_logger("llm")

    def _key(self, day: date, scope: str) -> str:
        return f"{self._prefix}:{day.isoformat()}:{scope}"

    def start(self) -> None:
        if not self._loaded:
            self._loader = asyncio.create_task(self._load_forever(), name="spend-loader")

    async def aclose(self) -> None:
        if self._loader is not None:
            self._loader.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._loader

    async def _load_forever(self) -> None:
        while not self._loaded:
            try:
                await self.load_today()
            except (SQLAlchemyError, OSError, RedisError) as error:
                self._log.warning("spend_not_loaded", error=type(error).__name__)
                await asyncio.sleep(RETRY_SECONDS)

    async def load_today(self) -> None:
        """Seed today's counters from the recorded attempts; a replica that loaded first wins."""
        assert self._sessionmaker is not None  # noqa: S101 - start() checked it
        day = datetime.now(UTC).date()
        async with self._sessionmaker() as session:
            for scope in self._scopes_to_load:
                total = await session.scalar(select(recorded_spend(day, scope)))
                key = self._key(day, scope)
                await self._redis.hsetnx(key, "spent", nanos(Decimal(str(total or 0))))
                await self._redis.expire(key, TTL_SECONDS)
        self._loaded = True
        self._log.info("spend_loaded", scopes=len(self._scopes_to_load))

    async def reserve(self, day: date, amount: Decimal, limits: Sequence[SpendLimit]) -> str | None:
        if not self._loaded:
            raise BudgetUnavailableError("today's spend is not loaded yet; paid calls wait")
        args: list[Any] = [nanos(amount)]
        args += [-1 if limit.limit_usd is None else nanos(limit.limit_usd) for limit in limits]
        args.append(TTL_SECONDS)
        keys = [self._key(day, limit.scope) for limit in limits]
        try:
            verdict = int(await self._reserve(keys=keys, args=args))
        except RedisError as error:
            msg = f"the spend ledger is unavailable ({type(error).__name__})"
            raise BudgetUnavailableError(msg) from None
        return limits[verdict - 1].scope if verdict else None

    async def settle(self, reservation: Reservation, actual: Decimal) -> None:
        async with self._redis.pipeline(transaction=True) as pipe:
            for scope in reservation.scopes:
                key = self._key(reservation.day, scope)
                pipe.hincrby(key, "held", -nanos(reservation.amount))
                pipe.hincrby(key, "spent", nanos(actual))
            await pipe.execute()

    async def spent(self, day: date, scope: str) -> Decimal:
        try:
            values = await self._redis.hmget(self._key(day, scope), ["spent", "held"])
        except RedisError as error:
            msg = f"the spend ledger is unavailable ({type(error).__name__})"
            raise BudgetUnavailableError(msg) from None
        return sum((Decimal(int(v)) for v in values if v is not None), Decimal(0)) / NANO
