"""A key is shown once, at creation; afterwards it is in no log line, response or table."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
from sqlalchemy import MetaData, select

from {{ cookiecutter.package_name }}.core.database import create_engine, create_sessionmaker
from {{ cookiecutter.package_name }}.core.settings import Settings

from ..factories import LogOutput
from .conftest import Keys, bearer

TICKET = {"subject": "Charged twice", "body": "Two charges on my invoice."}


async def database_text(settings: Settings) -> str:
    engine = create_engine(settings)
    try:
        metadata = MetaData()
        async with engine.connect() as connection:
            await connection.run_sync(metadata.reflect)
        chunks = []
        async with create_sessionmaker(engine)() as session:
            for table in metadata.sorted_tables:
                for row in (await session.execute(select(table))).all():
                    chunks.append(repr(tuple(row)))
    finally:
        await engine.dispose()
    return "\n".join(chunks)


async def test_a_planted_key_appears_nowhere_after_its_creation(
    secured_client: httpx.AsyncClient,
    keys: Keys,
    log_output: LogOutput,
    secured_settings: Settings,
) -> None:
    created = await secured_client.post(
        "/v1/admin/keys/new",
        json={"name": "planted", "role": "caller"},
        headers=bearer(keys.admin),
    )
    planted: str = created.json()["key"]
    secret_part = planted[len(secured_settings.api_key_prefix) + 1 + 12 :]
    responses: list[str] = []
    attempts: list[dict[str, Any]] = [
        {"method": "GET", "url": "/v1/tasks", "headers": bearer(planted)},
        {
            "method": "POST",
            "url": "/v1/tasks/triage_ticket",
            "json": TICKET,
            "headers": bearer(planted),
        },
        {
            "method": "POST",
            "url": "/v1/tasks/triage_ticket?stream=true",
            "json": TICKET,
            "headers": {"X-API-Key": planted},
        },
        # Echo attempts: the key in the body, a bad role's call, a malformed header.
        {
            "method": "POST",
            "url": "/v1/tasks/triage_ticket",
            "json": {"subject": planted},
            "headers": bearer(planted),
        },
        {"method": "GET", "url": "/v1/admin/keys", "headers": bearer(planted)},
        {"method": "GET", "url": "/v1/tasks", "headers": {"Authorization": f"Basic {planted}"}},
        {"method": "GET", "url": "/v1/tasks", "headers": bearer(planted + "x")},
        {"method": "GET", "url": "/v1/audit/events", "headers": bearer(keys.admin)},
        {"method": "GET", "url": "/v1/admin/keys", "headers": bearer(keys.admin)},
    ]
    for attempt in attempts:
        response = await secured_client.request(**attempt)
        responses.append(response.text + repr(dict(response.headers)))
    await asyncio.sleep(0)

    stored = await database_text(secured_settings)
    logged = log_output.text()
    assert "planted" in stored  # The searched text is the real thing, not an empty string.
    assert "GET" in logged
    for haystack in (logged, "\n".join(responses), stored):
        assert planted not in haystack
        assert secret_part not in haystack
