"""Every route against every kind of credential: none, wrong, revoked, expired, wrong role,
disallowed task; 401 and 403 are problem documents and 401 names the scheme."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from asgi_lifespan import LifespanManager
from pydantic import SecretStr

from {{ cookiecutter.package_name }}.app import create_app
from {{ cookiecutter.package_name }}.core import migrations
from {{ cookiecutter.package_name }}.core.settings import AppEnv, Settings

from ..factories import make_settings
from .conftest import Keys, bearer

TICKET = {"subject": "Charged twice", "body": "Two charges on my invoice."}
NEW_KEY = {"name": "ci", "role": "caller"}


def routes() -> list[Any]:
    """(method, path, body, the roles allowed): every route that needs a credential."""
    everyone = {"admin", "auditor", "caller", "viewer", "other_task_caller"}
    return [
        pytest.param("GET", "/v1/tasks", None, everyone, id="list-tasks"),
        pytest.param("POST", "/v1/tasks/triage_ticket", TICKET, {"admin", "caller"}, id="run-task"),
        pytest.param("GET", "/v1/admin/keys", None, {"admin"}, id="list-keys"),
        pytest.param("POST", "/v1/admin/keys/new", NEW_KEY, {"admin"}, id="create-key"),
        pytest.param("POST", "/v1/admin/keys/nosuchkey/revoke", None, {"admin"}, id="revoke"),
        pytest.param("POST", "/v1/admin/keys/nosuchkey/rotate", None, {"admin"}, id="rotate"),
        pytest.param("GET", "/v1/audit/events", None, {"admin", "auditor"}, id="audit-events"),
        pytest.param("GET", "/v1/audit/usage", None, {"admin", "auditor"}, id="audit-usage"),
    ]


async def call(
    client: httpx.AsyncClient, method: str, path: str, body: Any, headers: dict[str, str]
) -> httpx.Response:
    return await client.request(method, path, json=body, headers=headers)


def assert_problem(response: httpx.Response, status: int) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["status"] == status


@pytest.mark.parametrize(("method", "path", "body", "allowed"), routes())
async def test_a_route_refuses_every_bad_credential(
    secured_client: httpx.AsyncClient,
    keys: Keys,
    method: str,
    path: str,
    body: Any,
    allowed: set[str],
) -> None:
    missing = await call(secured_client, method, path, body, {})
    assert_problem(missing, 401)
    assert missing.headers["www-authenticate"].startswith("Bearer realm=")
    assert "invalid_token" not in missing.headers["www-authenticate"]

    for credential in (keys.unknown, keys.revoked, keys.expired, "not-a-key", keys.admin[:-1]):
        refused = await call(secured_client, method, path, body, bearer(credential))
        assert_problem(refused, 401)
        assert 'error="invalid_token"' in refused.headers["www-authenticate"]
    refused = await call(secured_client, method, path, body, {"Authorization": "Basic abc"})
    assert_problem(refused, 401)

    for role in {"admin", "auditor", "caller", "viewer", "other_task_caller"} - allowed:
        forbidden = await call(secured_client, method, path, body, bearer(getattr(keys, role)))
        assert_problem(forbidden, 403)


@pytest.mark.parametrize(("method", "path", "body", "allowed"), routes())
async def test_a_route_serves_the_roles_it_allows(
    secured_client: httpx.AsyncClient,
    keys: Keys,
    method: str,
    path: str,
    body: Any,
    allowed: set[str],
) -> None:
    for role in allowed - {"other_task_caller"}:
        response = await call(secured_client, method, path, body, bearer(getattr(keys, role)))
        assert response.status_code not in (401, 403), (role, response.text)
        assert response.status_code < 500, (role, response.text)


async def test_the_x_api_key_header_works_too(
    secured_client: httpx.AsyncClient, keys: Keys
) -> None:
    response = await secured_client.get("/v1/tasks", headers={"X-API-Key": keys.viewer})
    assert response.status_code == 200


async def test_a_caller_limited_to_other_tasks_cannot_run_this_one(
    secured_client: httpx.AsyncClient, keys: Keys
) -> None:
    response = await secured_client.post(
        "/v1/tasks/triage_ticket", json=TICKET, headers=bearer(keys.other_task_caller)
    )
    assert_problem(response, 403)
    assert "triage_ticket" in response.json()["detail"]


async def test_liveness_is_public_and_readiness_shows_details_only_to_a_role(
    secured_client: httpx.AsyncClient, keys: Keys
) -> None:
    assert (await secured_client.get("/health/live")).status_code == 200
    public = await secured_client.get("/health/ready")
    assert public.status_code == 200
    assert public.json()["status"] == "ok"
    assert not any(check.get("detail") for check in public.json()["checks"].values())
    detailed = await secured_client.get("/health/ready", headers=bearer(keys.viewer))
    checks = detailed.json()["checks"]
    assert set(checks) >= {"database", "migrations", "models"}
    assert checks["migrations"]["detail"].startswith("at head")
    wrong = await secured_client.get("/health/ready", headers=bearer(keys.revoked))
    assert_problem(wrong, 401)


async def test_revoking_through_the_api_takes_effect_at_once(
    secured_client: httpx.AsyncClient, keys: Keys
) -> None:
    created = await secured_client.post(
        "/v1/admin/keys/new", json=NEW_KEY, headers=bearer(keys.admin)
    )
    assert created.status_code == 201
    new_key, key_id = created.json()["key"], created.json()["info"]["key_id"]
    assert (await secured_client.get("/v1/tasks", headers=bearer(new_key))).status_code == 200

    revoked = await secured_client.post(
        f"/v1/admin/keys/{key_id}/revoke", headers=bearer(keys.admin)
    )
    assert revoked.json()["revoked_at"] is not None
    assert (await secured_client.get("/v1/tasks", headers=bearer(new_key))).status_code == 401


async def test_a_key_for_an_unknown_task_is_refused(
    secured_client: httpx.AsyncClient, keys: Keys
) -> None:
    response = await secured_client.post(
        "/v1/admin/keys/new", json={**NEW_KEY, "tasks": ["nope"]}, headers=bearer(keys.admin)
    )
    assert_problem(response, 422)
    assert "nope" in response.json()["detail"]


async def test_rotating_gives_a_new_key_and_retires_the_old_one(
    secured_client: httpx.AsyncClient, keys: Keys
) -> None:
    created = await secured_client.post(
        "/v1/admin/keys/new", json=NEW_KEY, headers=bearer(keys.admin)
    )
    old_key, key_id = created.json()["key"], created.json()["info"]["key_id"]
    rotated = await secured_client.post(
        f"/v1/admin/keys/{key_id}/rotate", headers=bearer(keys.admin)
    )
    assert rotated.status_code == 201
    new_key = rotated.json()["key"]
    assert rotated.json()["info"]["role"] == "caller"
    assert (await secured_client.get("/v1/tasks", headers=bearer(new_key))).status_code == 200
    assert (await secured_client.get("/v1/tasks", headers=bearer(old_key))).status_code == 401
    listed = await secured_client.get(
        "/v1/admin/keys", params={"include_revoked": True}, headers=bearer(keys.admin)
    )
    (old,) = [k for k in listed.json() if k["key_id"] == key_id]
    assert old["replaced_by"] == rotated.json()["info"]["key_id"]


async def test_development_serves_anonymous_loopback_clients_only(tmp_path: Any) -> None:
    settings = make_settings(
        env=AppEnv.DEVELOPMENT,
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'dev.db'}",
        anonymous_loopback=None,
    )
    await asyncio.to_thread(migrations.upgrade, settings)
    app = create_app(settings)
    async with (
        LifespanManager(app) as manager,
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=manager.app), base_url="http://testserver"
        ) as loopback,
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=manager.app, client=("203.0.113.9", 4000)),
            base_url="http://testserver",
        ) as remote,
    ):
        assert (await loopback.post("/v1/tasks/triage_ticket", json=TICKET)).status_code == 200
        assert_problem(await remote.get("/v1/tasks"), 401)


@pytest.mark.parametrize("env", [AppEnv.STAGING, AppEnv.PRODUCTION])
def test_deployed_environments_refuse_anonymous_calls(env: AppEnv) -> None:
    with pytest.raises(ValueError, match="APP_ANONYMOUS_LOOPBACK is refused"):
        make_settings(env=env, anonymous_loopback=True, secret_key="k" * 40)


@pytest.mark.parametrize("env", [AppEnv.TEST, AppEnv.STAGING, AppEnv.PRODUCTION])
def test_only_development_defaults_to_anonymous_loopback(env: AppEnv) -> None:
    settings = Settings(
        _env_file=None,
        env=env,
        secret_key=SecretStr("kV3-q8Zp7mWx" * 4),
        database_url=SecretStr("sqlite+aiosqlite:///:memory:"),
    )
    assert settings.effective_anonymous_loopback is False
    assert Settings(_env_file=None).effective_anonymous_loopback is True
