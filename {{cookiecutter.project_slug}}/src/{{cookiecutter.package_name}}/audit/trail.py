"""Append to the audit trail, one writer at a time, so the chain never forks.

Within a process an asyncio lock orders the writers; across processes and replicas on
PostgreSQL a transaction-scoped advisory lock does. The unique `seq` turns any other race
(two processes on one SQLite file) into a failed write rather than a fork.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import select, text

from ..core.logging import current_request_id
from .chain import GENESIS, hash_of
from .models import AuditEvent

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

# Any constant both processes agree on: "audit" in ASCII.
ADVISORY_LOCK_KEY = 0x6175646974


class AuditWriter:
    """Appends events inside one transaction that holds the chain's lock."""

    def __init__(self, session: AsyncSession, last_seq: int, last_hash: str) -> None:
        self.session = session
        self._seq, self._hash = last_seq, last_hash

    @property
    def next_seq(self) -> int:
        return self._seq + 1

    @property
    def last_hash(self) -> str:
        return self._hash

    def append(
        self,
        *,
        actor: str,
        action: str,
        target: str | None = None,
        details: dict[str, Any] | None = None,
        request_id: str | None = None,
    ) -> AuditEvent:
        event = AuditEvent(
            id=uuid.uuid4(),
            occurred_at=datetime.now(UTC),
            request_id=request_id or current_request_id(),
            actor=actor,
            action=action,
            target=target,
            details=details or {},
            seq=self._seq + 1,
            prev_hash=self._hash,
        )
        event.hash = hash_of(event)
        self.session.add(event)
        self._seq, self._hash = event.seq, event.hash
        return event


class AuditTrail:
    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession]) -> None:
        self._sessionmaker = sessionmaker
        self._lock = asyncio.Lock()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AuditWriter]:
        """A session in a transaction holding the chain; it commits when the block ends, so
        an admin action and its audit event are written together or not at all."""
        async with self._lock, self._sessionmaker() as session, session.begin():
            if session.get_bind().dialect.name == "postgresql":
                await session.execute(
                    text("SELECT pg_advisory_xact_lock(:key)"), {"key": ADVISORY_LOCK_KEY}
                )
            last = (
                await session.execute(
                    select(AuditEvent.seq, AuditEvent.hash).order_by(AuditEvent.seq.desc()).limit(1)
                )
            ).first()
            last_seq, last_hash = (int(last[0]), str(last[1])) if last else (0, GENESIS)
            yield AuditWriter(session, last_seq, last_hash)

    async def record(
        self,
        *,
        actor: str,
        action: str,
        target: str | None = None,
        details: dict[str, Any] | None = None,
    ) -> None:
        async with self.transaction() as writer:
            writer.append(actor=actor, action=action, target=target, details=details)
