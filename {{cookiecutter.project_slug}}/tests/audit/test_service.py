from __future__ import annotations

import structlog
from sqlalchemy import select

from {{ cookiecutter.package_name }}.audit.models import AuditEvent
from {{ cookiecutter.package_name }}.audit.service import record_audit_event
from {{ cookiecutter.package_name }}.core.database import create_engine, create_sessionmaker
from {{ cookiecutter.package_name }}.core.settings import Settings


async def test_audit_event_is_stored_with_the_request_id(migrated: Settings) -> None:
    engine = create_engine(migrated)
    sessionmaker = create_sessionmaker(engine)
    try:
        with structlog.contextvars.bound_contextvars(request_id="req-audit-1"):
            async with sessionmaker() as session, session.begin():
                await record_audit_event(
                    session,
                    actor="admin@example.com",
                    action="settings.changed",
                    target="feature-flags",
                    details={"flag": "beta", "value": True},
                )
        async with sessionmaker() as session:
            stored = (await session.scalars(select(AuditEvent))).one()
    finally:
        await engine.dispose()

    assert stored.request_id == "req-audit-1"
    assert stored.action == "settings.changed"
    assert stored.details == {"flag": "beta", "value": True}
    assert stored.occurred_at is not None


async def test_rolled_back_session_stores_nothing(migrated: Settings) -> None:
    engine = create_engine(migrated)
    sessionmaker = create_sessionmaker(engine)
    try:
        async with sessionmaker() as session:
            await record_audit_event(session, actor="a", action="x")
            await session.rollback()
        async with sessionmaker() as session:
            assert (await session.scalars(select(AuditEvent))).all() == []
    finally:
        await engine.dispose()
