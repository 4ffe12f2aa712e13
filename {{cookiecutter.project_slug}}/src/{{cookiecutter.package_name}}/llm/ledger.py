"""The spend ledger behind hard budgets: reserve an upper bound before an attempt, settle after.

A reservation succeeds only when every limited scope stays within its limit counting what is
spent and what other attempts hold in flight, so concurrent calls cannot overrun a budget. The
memory ledger serves one process (and tests); ledger_database.py and ledger_redis.py share one
ledger among workers and replicas.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Protocol


@dataclass(frozen=True)
class SpendLimit:
    scope: str  # "global", "alias:<name>" or "key:<id>"
    limit_usd: Decimal | None  # None: counted, not limited.


@dataclass(frozen=True)
class Reservation:
    day: date
    scopes: tuple[str, ...]
    amount: Decimal


class SpendLedger(Protocol):
    async def reserve(self, day: date, amount: Decimal, limits: Sequence[SpendLimit]) -> str | None:
        """Hold `amount` in every scope, or hold nothing and return the scope over its limit.

        Raises BudgetUnavailableError when the ledger cannot be reached.
        """

    async def settle(self, reservation: Reservation, actual: Decimal) -> None:
        """Release the held amount and add what the attempt really cost."""

    async def spent(self, day: date, scope: str) -> Decimal:
        """Spent plus held in flight."""


class MemorySpendLedger:
    def __init__(self) -> None:
        self._spent: dict[tuple[date, str], Decimal] = defaultdict(Decimal)
        self._held: dict[tuple[date, str], Decimal] = defaultdict(Decimal)
        self._lock = asyncio.Lock()

    async def reserve(self, day: date, amount: Decimal, limits: Sequence[SpendLimit]) -> str | None:
        async with self._lock:
            for limit in limits:
                used = self._spent[(day, limit.scope)] + self._held[(day, limit.scope)]
                if limit.limit_usd is not None and used + amount > limit.limit_usd:
                    return limit.scope
            for limit in limits:
                self._held[(day, limit.scope)] += amount
            return None

    async def settle(self, reservation: Reservation, actual: Decimal) -> None:
        async with self._lock:
            for scope in reservation.scopes:
                self._held[(reservation.day, scope)] -= reservation.amount
                self._spent[(reservation.day, scope)] += actual

    async def spent(self, day: date, scope: str) -> Decimal:
        return self._spent[(day, scope)] + self._held[(day, scope)]
