"""What the service writes to the trail: one event per task call and per admin action."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from sqlalchemy import select, update

from {{ cookiecutter.package_name }}.__main__ import main
from {{ cookiecutter.package_name }}.audit.models import AuditEvent
from {{ cookiecutter.package_name }}.core.database import create_engine, create_sessionmaker
from {{ cookiecutter.package_name }}.core.settings import Settings
from {{ cookiecutter.package_name }}.llm.errors import AuthError
from {{ cookiecutter.package_name }}.llm.providers.fake import FakeModelClient

from ..auth.conftest import Keys, bearer

TICKET = {"subject": "Charged twice", "body": "Two charges on my invoice."}


async def events(settings: Settings, action: str | None = None) -> list[AuditEvent]:
    engine = create_engine(settings)
    try:
        query = select(AuditEvent).order_by(AuditEvent.seq)
        if action:
            query = query.where(AuditEvent.action == action)
        async with create_sessionmaker(engine)() as session:
            return list((await session.scalars(query)).all())
    finally:
        await engine.dispose()


async def test_each_task_call_is_audited_once_with_who_what_and_cost(
    secured_client: httpx.AsyncClient, keys: Keys, secured_settings: Settings
) -> None:
    response = await secured_client.post(
        "/v1/tasks/triage_ticket",
        json=TICKET,
        headers={**bearer(keys.caller), "X-Request-ID": "audited-1"},
    )
    assert response.status_code == 200
    (event,) = await events(secured_settings, "task.call")
    assert event.request_id == "audited-1"
    assert event.actor.startswith("key:")
    assert event.target == "triage_ticket"
    assert event.details["role"] == "caller"
    assert event.details["outcome"] == "ok"
    assert event.details["deployments"] == ["fake"]
    assert event.details["alias"] == "default"
    assert event.details["cost_usd"] == response.json()["cost_usd"]
    assert event.details["client"] == "127.0.0.1"
    assert event.details["prompt_version"] == response.json()["prompt_version"]


async def test_a_streamed_call_is_audited_once(
    secured_client: httpx.AsyncClient, keys: Keys, secured_settings: Settings
) -> None:
    response = await secured_client.post(
        "/v1/tasks/triage_ticket?stream=true", json=TICKET, headers=bearer(keys.caller)
    )
    assert "event: done" in response.text
    (event,) = await events(secured_settings, "task.call")
    assert event.details["outcome"] == "ok"


async def test_a_failed_call_is_audited_once_with_its_error_kind(
    secured_client: httpx.AsyncClient,
    keys: Keys,
    secured_settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async def refuse(*_args: Any, **_kwargs: Any) -> Any:
        raise AuthError("upstream refused the key")

    monkeypatch.setattr(FakeModelClient, "generate", refuse)
    response = await secured_client.post(
        "/v1/tasks/triage_ticket", json=TICKET, headers=bearer(keys.caller)
    )
    assert response.status_code == 502
    (event,) = await events(secured_settings, "task.call")
    assert event.details["outcome"] == "auth"
    assert event.details["deployments"] == ["fake"]


async def test_admin_actions_and_the_loaded_config_are_audited(
    secured_client: httpx.AsyncClient, keys: Keys, secured_settings: Settings
) -> None:
    created = await secured_client.post(
        "/v1/admin/keys/new", json={"name": "n", "role": "viewer"}, headers=bearer(keys.admin)
    )
    key_id = created.json()["info"]["key_id"]
    await secured_client.post(f"/v1/admin/keys/{key_id}/rotate", headers=bearer(keys.admin))
    await secured_client.post(f"/v1/admin/keys/{key_id}/revoke", headers=bearer(keys.admin))
    recorded = [(e.action, e.target) for e in await events(secured_settings)]
    assert recorded[0][0] == "config.loaded"
    assert recorded[1:] == [
        ("key.created", key_id),
        ("key.rotated", key_id),
        ("key.revoked", key_id),
    ]
    (loaded,) = await events(secured_settings, "config.loaded")
    assert len(loaded.details["models_sha256"]) == 64


async def test_an_auditor_pages_through_events_with_filters(
    secured_client: httpx.AsyncClient, keys: Keys
) -> None:
    for _ in range(3):
        await secured_client.post(
            "/v1/tasks/triage_ticket", json=TICKET, headers=bearer(keys.caller)
        )
    seen: list[int] = []
    after = 0
    while True:
        page = await secured_client.get(
            "/v1/audit/events",
            params={"action": "task.call", "limit": 2, "after_seq": after},
            headers=bearer(keys.auditor),
        )
        body = page.json()
        seen += [event["seq"] for event in body["events"]]
        if body["next_after_seq"] is None:
            break
        after = body["next_after_seq"]
    assert len(seen) == 3
    assert seen == sorted(seen)

    usage = await secured_client.get("/v1/audit/usage", headers=bearer(keys.auditor))
    (caller,) = usage.json()
    assert caller["calls"] == 3
    assert caller["failed_calls"] == 0
    assert float(caller["cost_usd"]) > 0
    assert caller["input_tokens"] > 0
    bad = await secured_client.get(
        "/v1/audit/events", params={"limit": 0}, headers=bearer(keys.auditor)
    )
    assert bad.status_code == 422


async def test_concurrent_task_calls_keep_the_chain(
    secured_client: httpx.AsyncClient, keys: Keys, secured_settings: Settings
) -> None:
    responses = await asyncio.gather(
        *(
            secured_client.post("/v1/tasks/triage_ticket", json=TICKET, headers=bearer(keys.caller))
            for _ in range(40)
        )
    )
    assert {r.status_code for r in responses} == {200}
    assert len(await events(secured_settings, "task.call")) == 40
    assert await asyncio.to_thread(main, ["audit", "verify"]) == 0


async def test_audit_verify_exits_1_naming_the_edited_row(
    secured_client: httpx.AsyncClient,
    keys: Keys,
    secured_settings: Settings,
    capsys: pytest.CaptureFixture[str],
) -> None:
    for _ in range(3):
        await secured_client.post(
            "/v1/tasks/triage_ticket", json=TICKET, headers=bearer(keys.caller)
        )
    engine = create_engine(secured_settings)
    async with create_sessionmaker(engine)() as session, session.begin():
        await session.execute(
            update(AuditEvent).where(AuditEvent.seq == 3).values(details={"outcome": "ok"})
        )
    await engine.dispose()

    assert await asyncio.to_thread(main, ["audit", "verify"]) == 1
    assert "BROKEN at seq 3" in capsys.readouterr().err


@pytest.fixture(autouse=True)
def cli_environment(secured_settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    """The command line reads the same database as the app under test."""
    monkeypatch.setenv("APP_DATABASE_URL", secured_settings.database_url.get_secret_value())
    monkeypatch.setenv("APP_ENV", "test")
    monkeypatch.chdir(secured_settings.models_file.parent.parent)
