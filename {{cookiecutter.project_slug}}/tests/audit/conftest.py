from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from {{ cookiecutter.package_name }}.audit.trail import AuditTrail
from {{ cookiecutter.package_name }}.core.database import create_engine, create_sessionmaker
from {{ cookiecutter.package_name }}.core.settings import Settings

# The app with access control on, and keys of every role, as the auth tests use them.
from ..auth.conftest import keys, secured_app, secured_client, secured_settings

__all__ = ["keys", "secured_app", "secured_client", "secured_settings"]


@pytest.fixture
async def sessionmaker(migrated: Settings) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    engine = create_engine(migrated)
    yield create_sessionmaker(engine)
    await engine.dispose()


@pytest.fixture
def trail(sessionmaker: async_sessionmaker[AsyncSession]) -> AuditTrail:
    return AuditTrail(sessionmaker)
