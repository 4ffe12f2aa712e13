"""The request dependencies: each hands a route what the lifespan built, and `Session` commits
once on success and rolls back on error."""

from __future__ import annotations

import uuid

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select

from {{ cookiecutter.package_name }}.auth.models import ApiKey
from {{ cookiecutter.package_name }}.dependencies import Gateway, Resources, Session, Settings


def key_row(key_id: str, name: str) -> ApiKey:
    return ApiKey(key_id=key_id, digest="0" * 64, name=name, role="viewer", created_by="test")


async def record_then_succeed(session: Session) -> dict[str, int]:
    session.add(key_row(uuid.uuid4().hex[:12], "kept"))
    await session.flush()
    return {"recorded": 1}


async def record_then_fail(session: Session) -> None:
    session.add(key_row(uuid.uuid4().hex[:12], "discarded"))
    await session.flush()
    raise RuntimeError("after the write")


async def fail_at_commit(session: Session) -> dict[str, str]:
    """The duplicate key is only found when the dependency commits, after this returns."""
    duplicate_id = uuid.uuid4().hex[:12]
    session.add(key_row(duplicate_id, "first"))
    await session.flush()
    session.expunge_all()
    session.add(key_row(duplicate_id, "second"))
    return {"ok": "yes"}


async def count_events(session: Session) -> dict[str, int]:
    total = await session.scalar(select(func.count()).select_from(ApiKey))
    return {"events": total or 0}


async def what_the_route_got(
    resources: Resources, settings: Settings, gateway: Gateway
) -> dict[str, bool]:
    return {
        "settings": settings is resources.settings,
        "gateway": gateway is resources.gateway,
        "models_check": "models" in resources.readiness_checks,
    }


@pytest.fixture
def routes(app: FastAPI) -> None:
    app.add_api_route("/dependencies", what_the_route_got)
    app.add_api_route("/ok", record_then_succeed, methods=["POST"])
    app.add_api_route("/fail", record_then_fail, methods=["POST"])
    app.add_api_route("/fail-at-commit", fail_at_commit, methods=["POST"])
    app.add_api_route("/count", count_events)


@pytest.mark.usefixtures("routes")
async def test_session_commits_on_success_and_rolls_back_on_error(
    client: httpx.AsyncClient,
) -> None:
    assert (await client.post("/ok")).status_code == 200
    assert (await client.post("/fail")).status_code == 500

    response = await client.get("/count")

    assert response.json() == {"events": 1}


@pytest.mark.usefixtures("routes")
async def test_a_failed_commit_is_an_error_not_a_success(client: httpx.AsyncClient) -> None:
    response = await client.post("/fail-at-commit")

    assert response.status_code == 500
    assert response.headers["content-type"] == "application/problem+json"
    assert (await client.get("/count")).json() == {"events": 0}


@pytest.mark.usefixtures("routes")
async def test_dependencies_hand_out_what_the_lifespan_built(client: httpx.AsyncClient) -> None:
    response = await client.get("/dependencies")

    assert response.json() == {"settings": True, "gateway": True, "models_check": True}
