"""`/v1/audit`: page through the audit trail and per-key usage (role auditor or admin)."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Query
from sqlalchemy import select

from ..audit.models import AuditEvent
from ..auth.dependencies import require
from ..auth.roles import Permission
from ..core.openapi import PROTECTED, problem_responses
from ..dependencies import Resources
from .schemas import EventInfo, EventPage, KeyUsage

router = APIRouter(prefix="/v1/audit", tags=["audit"])
TASK_CALL = "task.call"
MAX_USAGE_ROWS = 100_000


@router.get(
    "/events",
    dependencies=[require(Permission.READ_AUDIT)],
    responses=problem_responses(422, *PROTECTED),
)
async def events(
    resources: Resources,
    actor: str | None = None,
    action: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    after_seq: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> EventPage:
    query = select(AuditEvent).where(AuditEvent.seq > after_seq)
    if actor is not None:
        query = query.where(AuditEvent.actor == actor)
    if action is not None:
        query = query.where(AuditEvent.action == action)
    if since is not None:
        query = query.where(AuditEvent.occurred_at >= since)
    if until is not None:
        query = query.where(AuditEvent.occurred_at < until)
    async with resources.sessionmaker() as session:
        rows = (await session.scalars(query.order_by(AuditEvent.seq).limit(limit + 1))).all()
    page = [EventInfo.model_validate(row, from_attributes=True) for row in rows[:limit]]
    more = len(rows) > limit
    return EventPage(events=page, next_after_seq=page[-1].seq if more and page else None)


@router.get(
    "/usage",
    dependencies=[require(Permission.READ_USAGE)],
    responses=problem_responses(422, *PROTECTED),
)
async def usage(
    resources: Resources,
    actor: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> list[KeyUsage]:
    """Task calls, tokens and cost per caller, from the audit trail's `task.call` events."""
    query = select(AuditEvent.actor, AuditEvent.details).where(AuditEvent.action == TASK_CALL)
    if actor is not None:
        query = query.where(AuditEvent.actor == actor)
    if since is not None:
        query = query.where(AuditEvent.occurred_at >= since)
    if until is not None:
        query = query.where(AuditEvent.occurred_at < until)
    totals: dict[str, list[Decimal]] = defaultdict(lambda: [Decimal(0)] * 5)
    async with resources.sessionmaker() as session:
        for who, details in await session.execute(query.limit(MAX_USAGE_ROWS)):
            row = totals[who]
            row[0] += 1
            row[1] += details.get("outcome") != "ok"
            row[2] += int(details.get("input_tokens", 0))
            row[3] += int(details.get("output_tokens", 0))
            row[4] += Decimal(str(details.get("cost_usd", "0")))
    return [
        KeyUsage(
            actor=who,
            calls=int(row[0]),
            failed_calls=int(row[1]),
            input_tokens=int(row[2]),
            output_tokens=int(row[3]),
            cost_usd=row[4],
        )
        for who, row in sorted(totals.items())
    ]
