from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from {{ cookiecutter.package_name }} import __version__
from {{ cookiecutter.package_name }}.app import create_app
from {{ cookiecutter.package_name }}.core import migrations
from {{ cookiecutter.package_name }}.health.checks import run_readiness_checks

from ..factories import lifespan_client, make_settings

UNREACHABLE_POSTGRES = "postgresql+asyncpg://nobody:pw-9Xk@127.0.0.1:1/none"


async def test_liveness_needs_no_dependency() -> None:
    settings = make_settings(database_url=UNREACHABLE_POSTGRES)
    async with lifespan_client(create_app(settings)) as client:
        response = await client.get("/health/live")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "version": __version__}


async def test_ready_when_database_is_migrated(database_url: str) -> None:
    settings = make_settings(database_url=database_url)
    await asyncio.to_thread(migrations.upgrade, settings)
    try:
        async with lifespan_client(create_app(settings)) as client:
            response = await client.get("/health/ready")
    finally:
        await asyncio.to_thread(migrations.downgrade, settings)

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"]["status"] == "ok"
    assert body["checks"]["migrations"] == {
        "status": "ok",
        "latency_ms": body["checks"]["migrations"]["latency_ms"],
        "detail": f"at head {migrations.head_revision()}",
    }
    assert all(check["latency_ms"] >= 0 for check in body["checks"].values())


async def test_not_ready_when_migrations_are_behind(database_url: str) -> None:
    settings = make_settings(database_url=database_url)
    async with lifespan_client(create_app(settings)) as client:
        response = await client.get("/health/ready")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "fail"
    assert body["checks"]["database"]["status"] == "ok"
    assert body["checks"]["migrations"]["status"] == "fail"
    assert "the code expects" in body["checks"]["migrations"]["detail"]


@pytest.mark.parametrize("backend", ["postgresql", "sqlite"])
async def test_not_ready_when_database_is_down(backend: str, tmp_path: Path) -> None:
    # A directory where the SQLite file should be cannot be opened as a database.
    url = UNREACHABLE_POSTGRES if backend == "postgresql" else f"sqlite+aiosqlite:///{tmp_path}"
    settings = make_settings(database_url=url, readiness_timeout_seconds=5.0)
    async with lifespan_client(create_app(settings)) as client:
        response = await client.get("/health/ready")
        live = await client.get("/health/live")

    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["database"]["status"] == "fail"
    assert checks["migrations"]["status"] == "fail"
    assert "pw-9Xk" not in response.text
    assert live.status_code == 200


async def test_a_check_that_hangs_fails_with_a_timeout() -> None:
    async def hangs() -> str | None:
        await asyncio.Event().wait()
        return None

    async def answers() -> str | None:
        return "fine"

    reports = await run_readiness_checks({"slow": hangs, "fast": answers}, timeout_seconds=0.05)

    assert reports["slow"].status == "fail"
    assert reports["slow"].detail == "timed out after 0.05s"
    assert reports["fast"].status == "ok"
    assert reports["fast"].detail == "fine"


async def test_a_failing_check_shows_only_the_error_type() -> None:
    async def leaks() -> str | None:
        raise ConnectionError("host db.internal user admin password hunter2")

    reports = await run_readiness_checks({"db": leaks}, timeout_seconds=1)

    assert reports["db"].status == "fail"
    assert reports["db"].detail == "ConnectionError"
