from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..core.logging import current_request_id
from .models import AuditEvent

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession


async def record_audit_event(
    session: AsyncSession,
    *,
    actor: str,
    action: str,
    target: str | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Add an audit event to the session; it is written when the request's session commits."""
    audit_event = AuditEvent(
        request_id=current_request_id(),
        actor=actor,
        action=action,
        target=target,
        details=details or {},
    )
    session.add(audit_event)
    await session.flush()
    return audit_event
