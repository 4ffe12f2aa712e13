"""The spend ledger in the database: one `spend_counters` row per day and scope.

A reservation is one transaction of conditional updates (`spent + reserved + amount <= limit`);
on PostgreSQL the row locks order concurrent reservers across every worker and replica, and
SQLite has a single writer. A scope's row is created on first use with today's spend from
`inference_records`, so counting resumes where the recorded attempts left it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import Numeric, cast, func, literal, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import SQLAlchemyError

from .errors import BudgetUnavailableError
from .inference_records import InferenceRecord, SpendCounter
from .ledger import Reservation, SpendLimit

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker


class OverLimitError(Exception):
    pass


def recorded_spend(day: date, scope: str) -> Any:
    """Today's recorded spend of a scope, as a scalar subquery (0 for per-key scopes)."""
    start = datetime.combine(day, time.min, tzinfo=UTC)
    query = select(func.coalesce(func.sum(InferenceRecord.cost_usd), 0)).where(
        InferenceRecord.created_at >= start, InferenceRecord.created_at < start + timedelta(1)
    )
    if scope.startswith("alias:"):
        query = query.where(InferenceRecord.alias == scope.removeprefix("alias:"))
    elif scope != "global":
        return literal(0)
    return query.scalar_subquery()


class DatabaseSpendLedger:
    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession]) -> None:
        self._sessionmaker = sessionmaker
        self._known: set[tuple[date, str]] = set()

    async def _ensure_rows(self, session: AsyncSession, day: date, scopes: Sequence[str]) -> None:
        dialect = session.get_bind().dialect.name
        dialect_insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        for scope in scopes:
            if (day, scope) in self._known:
                continue
            seeded = select(
                literal(day),
                literal(scope),
                cast(recorded_spend(day, scope), Numeric(18, 9)),
                literal(Decimal(0)),
            )
            statement = dialect_insert(SpendCounter).from_select(
                ["day", "scope", "spent_usd", "reserved_usd"], seeded
            )
            await session.execute(statement.on_conflict_do_nothing())
            self._known.add((day, scope))

    async def reserve(self, day: date, amount: Decimal, limits: Sequence[SpendLimit]) -> str | None:
        ordered = sorted(limits, key=lambda limit: limit.scope)  # One lock order: no deadlock.
        try:
            async with self._sessionmaker() as session, session.begin():
                await self._ensure_rows(session, day, [limit.scope for limit in ordered])
                for limit in ordered:
                    statement = (
                        update(SpendCounter)
                        .where(SpendCounter.day == day, SpendCounter.scope == limit.scope)
                        .values(reserved_usd=SpendCounter.reserved_usd + amount)
                    )
                    if limit.limit_usd is not None:
                        used = SpendCounter.spent_usd + SpendCounter.reserved_usd + amount
                        statement = statement.where(used <= limit.limit_usd)
                    result = await session.execute(statement)
                    if getattr(result, "rowcount", 0) == 0:
                        raise OverLimitError(limit.scope)
        except OverLimitError as over:
            return str(over)
        except (SQLAlchemyError, OSError) as error:
            self._known.clear()  # The rows may be gone with a restored database.
            msg = f"the spend ledger is unavailable ({type(error).__name__})"
            raise BudgetUnavailableError(msg) from None
        return None

    async def settle(self, reservation: Reservation, actual: Decimal) -> None:
        async with self._sessionmaker() as session, session.begin():
            await session.execute(
                update(SpendCounter)
                .where(
                    SpendCounter.day == reservation.day,
                    SpendCounter.scope.in_(reservation.scopes),
                )
                .values(
                    reserved_usd=SpendCounter.reserved_usd - reservation.amount,
                    spent_usd=SpendCounter.spent_usd + actual,
                )
            )

    async def spent(self, day: date, scope: str) -> Decimal:
        try:
            async with self._sessionmaker() as session:
                row = (
                    await session.execute(
                        select(SpendCounter.spent_usd + SpendCounter.reserved_usd).where(
                            SpendCounter.day == day, SpendCounter.scope == scope
                        )
                    )
                ).first()
        except (SQLAlchemyError, OSError) as error:
            msg = f"the spend ledger is unavailable ({type(error).__name__})"
            raise BudgetUnavailableError(msg) from None
        return Decimal(str(row[0])) if row else Decimal(0)
