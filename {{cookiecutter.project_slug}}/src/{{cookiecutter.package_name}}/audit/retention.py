"""Verify the whole trail, and prune old rows while keeping what is left verifiable."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import delete, func, select

from .chain import CHECKPOINT_ACTION, ChainBreak, first_break
from .models import AuditEvent

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

    from .trail import AuditTrail

BATCH = 1000


@dataclass(frozen=True)
class Verdict:
    checked: int
    broken: ChainBreak | None
    head_hash: str


async def verify_trail(sessionmaker: async_sessionmaker[AsyncSession]) -> Verdict:
    async with sessionmaker() as session:
        checkpoints = await session.scalars(
            select(AuditEvent.details).where(AuditEvent.action == CHECKPOINT_ACTION)
        )
        anchors = {
            (int(details["kept_from_seq"]), str(details["anchor_hash"]))
            for details in checkpoints
            if "kept_from_seq" in details and "anchor_hash" in details
        }
        rows = await session.stream_scalars(
            select(AuditEvent).order_by(AuditEvent.seq).execution_options(yield_per=BATCH)
        )
        events = [event async for event in rows]
    checked, broken, head = first_break(events, anchors)
    return Verdict(checked=checked, broken=broken, head_hash=head)


async def prune_trail(trail: AuditTrail, before: datetime, actor: str) -> int:
    """Delete the rows older than `before`; a checkpoint row records where the chain resumes."""
    async with trail.transaction() as writer:
        session = writer.session
        kept_from = await session.scalar(
            select(func.min(AuditEvent.seq)).where(AuditEvent.occurred_at >= before)
        )
        if kept_from is None:  # Everything is older: the checkpoint itself starts the chain.
            kept_from = writer.next_seq
            anchor = writer.last_hash
        else:
            anchor = str(
                await session.scalar(
                    select(AuditEvent.prev_hash).where(AuditEvent.seq == kept_from)
                )
            )
        result = await session.execute(delete(AuditEvent).where(AuditEvent.seq < kept_from))
        pruned = int(getattr(result, "rowcount", 0) or 0)
        writer.append(
            actor=actor,
            action=CHECKPOINT_ACTION,
            details={
                "before": before.isoformat(),
                "pruned": pruned,
                "kept_from_seq": kept_from,
                "anchor_hash": anchor,
            },
        )
    return pruned
