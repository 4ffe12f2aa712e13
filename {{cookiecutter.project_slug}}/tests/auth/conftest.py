"""An app with access control on (no anonymous calls) and keys of every kind for the tests."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from fastapi import FastAPI

from {{ cookiecutter.package_name }}.app import create_app
from {{ cookiecutter.package_name }}.auth.keys import KeySpec, create_key, revoke_key
from {{ cookiecutter.package_name }}.auth.models import ApiKey
from {{ cookiecutter.package_name }}.auth.roles import Role
from {{ cookiecutter.package_name }}.core.database import create_engine, create_sessionmaker
from {{ cookiecutter.package_name }}.core.settings import Settings

from ..factories import LogOutput, lifespan_client


@dataclass(frozen=True)
class Keys:
    admin: str
    auditor: str
    caller: str
    viewer: str
    other_task_caller: str
    revoked: str
    expired: str
    unknown: str  # Well-formed, right prefix and checksum, never stored.


async def make_keys(settings: Settings) -> Keys:
    engine = create_engine(settings)
    prefix = settings.api_key_prefix
    made: dict[str, str] = {}
    try:
        async with create_sessionmaker(engine)() as session, session.begin():
            for role in Role:
                made[role.value], _ = await create_key(
                    session, KeySpec(name=role.value, role=role), prefix=prefix, created_by="test"
                )
            made["other_task_caller"], _ = await create_key(
                session,
                KeySpec(name="other", role=Role.CALLER, tasks=("some_other_task",)),
                prefix=prefix,
                created_by="test",
            )
            made["revoked"], revoked = await create_key(
                session, KeySpec(name="revoked", role=Role.ADMIN), prefix=prefix, created_by="t"
            )
            await revoke_key(session, revoked.key_id)
            made["expired"], expired = await create_key(
                session, KeySpec(name="expired", role=Role.ADMIN), prefix=prefix, created_by="t"
            )
            expired.expires_at = datetime.now(UTC) - timedelta(seconds=1)
            made["unknown"], unknown = await create_key(
                session, KeySpec(name="gone", role=Role.ADMIN), prefix=prefix, created_by="t"
            )
            await session.delete(unknown)
            await session.flush()
            assert await session.get(ApiKey, unknown.key_id) is None
    finally:
        await engine.dispose()
    return Keys(**made)


@pytest.fixture
def secured_settings(migrated: Settings) -> Settings:
    return migrated.model_copy(update={"anonymous_loopback": False, "readiness_details": False})


@pytest.fixture
def secured_app(log_output: LogOutput, secured_settings: Settings) -> FastAPI:
    return create_app(secured_settings)


@pytest.fixture
async def keys(secured_settings: Settings) -> Keys:
    return await make_keys(secured_settings)


@pytest.fixture
async def secured_client(secured_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with lifespan_client(secured_app) as client:
        yield client


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}
