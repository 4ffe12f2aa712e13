"""Accounting: each model attempt becomes a log line, a ledger entry and an `inference_records` row.

The ledger (today's spend per alias, in memory) is updated at once so budgets are exact; rows are
written by a background task in batches, off the request path, and flushed at shutdown.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import structlog
from sqlalchemy import func, insert, select

from .dead_letters import DeadLetters, database_unavailable
from .inference_records import InferenceRecord

if TYPE_CHECKING:
    from pathlib import Path

    from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

CLOSE_TIMEOUT_SECONDS = 5.0
# Rows waiting for the database: past this (a long outage), the oldest are set aside.
MAX_PENDING = 10_000


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Attempt:
    call_id: str
    request_id: str | None
    task: str | None
    alias: str
    deployment: str
    served_model: str
    prompt_version: str | None
    attempt: int
    outcome: str  # "ok", "incomplete", or the error kind.
    input_tokens: int
    output_tokens: int
    cost_usd: Decimal
    latency_ms: float
    created_at: datetime = field(default_factory=utc_now)
    server_request_id: str | None = None

    def fields(self) -> dict[str, Any]:
        # A shallow copy: dataclasses.asdict deep-copies every value, 100 us an attempt.
        return dict(vars(self))


class SpendLedger:
    """Today's (UTC) spend per alias, counted from recorded attempts."""

    def __init__(self, clock: Callable[[], datetime] = utc_now) -> None:
        self._clock = clock
        self._spend: dict[tuple[date, str], Decimal] = defaultdict(Decimal)

    def add(self, alias: str, cost: Decimal, day: date | None = None) -> None:
        self._spend[(day or self._clock().date(), alias)] += cost

    def spent(self, alias: str | None = None) -> Decimal:
        today = self._clock().date()
        costs = (
            cost
            for (day, name), cost in self._spend.items()
            if day == today and alias in (None, name)
        )
        return sum(costs, Decimal(0))


class InferenceRecorder:
    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession] | None,
        ledger: SpendLedger,
        *,
        dead_letter_file: Path | None = None,
        max_pending: int = MAX_PENDING,
    ) -> None:
        self._sessionmaker = sessionmaker
        self._log = structlog.get_logger("llm")
        self.ledger = ledger
        self.dead_letters = DeadLetters(dead_letter_file)
        self._pending: deque[Attempt] = deque()
        self.max_pending = max_pending
        self._wake = asyncio.Event()
        self._flushing = asyncio.Lock()  # One batch in flight at a time, see `flush`.
        self._writer: asyncio.Task[None] | None = None
        self._spend_loaded = False
        self._closing = False

    def record(self, attempt: Attempt) -> None:
        self.ledger.add(attempt.alias, attempt.cost_usd, attempt.created_at.date())
        self._log.info("model_attempt", **{**attempt.fields(), "cost_usd": str(attempt.cost_usd)})
        if self._sessionmaker is not None:
            if len(self._pending) >= self.max_pending:
                self.dead_letters.set_aside(self._pending.popleft(), "pending queue full")
            self._pending.append(attempt)
            self._wake.set()

    @property
    def pending(self) -> int:
        """Rows waiting to be written."""
        return len(self._pending)

    async def start(self) -> None:
        """Start the background writer; it first loads today's spend from the table.

        A database that is down at start-up must not stop the service (readiness reports it):
        the writer keeps trying, and writes nothing before the spend is loaded, so no attempt is
        counted twice.
        """
        if self._sessionmaker is None:
            return
        try:
            await self._load_todays_spend()
        except Exception:
            self._log.warning("inference_spend_not_loaded", exc_info=True)
        self._writer = asyncio.create_task(self._write_forever(), name="inference-recorder")

    async def _load_todays_spend(self) -> None:
        assert self._sessionmaker is not None  # noqa: S101 - checked by the callers
        today = datetime.combine(utc_now().date(), time.min, tzinfo=UTC)
        query = (
            select(InferenceRecord.alias, func.sum(InferenceRecord.cost_usd))
            .where(InferenceRecord.created_at >= today)
            .group_by(InferenceRecord.alias)
        )
        async with self._sessionmaker() as session:
            for alias, total in (await session.execute(query)).all():
                self.ledger.add(alias, Decimal(str(total or 0)))
        self._spend_loaded = True

    async def flush(self) -> None:
        """Write every pending row now, including a batch the writer already has in flight.

        A batch the database rejects (a value it cannot store) is retried row by row, and a row
        it still rejects is set aside, so one bad row never holds back the others. While the
        database is unreachable, rows stay pending and a later flush retries them.
        """
        async with self._flushing:
            while self._pending and self._sessionmaker is not None:
                batch = list(self._pending)
                self._pending.clear()
                try:
                    await self._insert(batch)
                except Exception as exc:
                    if database_unavailable(exc):
                        self._pending.extendleft(reversed(batch))
                        raise
                    await self._insert_one_by_one(batch)
                except BaseException:  # Keep them (even when cancelled): a later flush retries.
                    self._pending.extendleft(reversed(batch))
                    raise

    async def _insert(self, batch: list[Attempt]) -> None:
        assert self._sessionmaker is not None  # noqa: S101 - checked by the caller
        async with self._sessionmaker() as session, session.begin():
            await session.execute(insert(InferenceRecord), [a.fields() for a in batch])

    async def _insert_one_by_one(self, batch: list[Attempt]) -> None:
        for index, attempt in enumerate(batch):
            try:
                await self._insert([attempt])
            except Exception as exc:
                if database_unavailable(exc):
                    self._pending.extendleft(reversed(batch[index:]))
                    raise
                self.dead_letters.set_aside(attempt, type(exc).__name__)
            except BaseException:
                self._pending.extendleft(reversed(batch[index:]))
                raise

    async def aclose(self) -> None:
        """Let the writer drain what is pending, for a bounded time; log what could not be."""
        if self._writer is not None:
            self._closing = True
            self._wake.set()
            # On timeout wait_for cancels the writer, and its batch goes back to pending.
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._writer, timeout=CLOSE_TIMEOUT_SECONDS)
        if self._pending:
            self._log.error("inference_records_lost", count=len(self._pending))

    async def _write_forever(self) -> None:
        while True:
            await self._wake.wait()
            self._wake.clear()
            try:
                if not self._spend_loaded:
                    await self._load_todays_spend()
                await self.flush()
            except Exception:
                self._log.exception("inference_records_write_failed", pending=len(self._pending))
                if self._closing:
                    return
                await asyncio.sleep(1.0)  # Do not spin while the database is down.
                self._wake.set()
            if self._closing:
                return
