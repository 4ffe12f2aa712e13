"""Fixtures shared by every test: settings, a migrated database and a client over the real app.

SQLite always runs; set TEST_DATABASE_URL (postgresql+asyncpg://...) to run the
database-facing tests against PostgreSQL as well.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sys
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
import structlog
from fastapi import FastAPI

from {{ cookiecutter.package_name }}.app import create_app
from {{ cookiecutter.package_name }}.core import migrations
from {{ cookiecutter.package_name }}.core.settings import ENV_PREFIX, Settings

from .factories import LogOutput, lifespan_client, make_settings

POSTGRES_URL = os.environ.get("TEST_DATABASE_URL")


def database_backends() -> list[Any]:
    backends: list[Any] = ["sqlite"]
    if POSTGRES_URL:
        backends.append(pytest.param("postgresql", marks=pytest.mark.postgres))
    return backends


@pytest.fixture(autouse=True)
def isolated_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """A developer's APP_* (and OTEL_*: tracing) variables must not change what tests see."""
    for name in list(os.environ):
        if name.startswith((ENV_PREFIX, "OTEL_")):
            monkeypatch.delenv(name)


@pytest.fixture(autouse=True)
def restore_logging() -> Iterator[None]:
    """Each app configures logging for its own output stream; undo it after every test."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers, root.level = handlers, level
    structlog.reset_defaults()


@pytest.fixture
def sqlite_url(tmp_path: Any) -> str:
    return f"sqlite+aiosqlite:///{tmp_path / 'test.db'}"


@pytest.fixture(params=database_backends())
def database_url(request: pytest.FixtureRequest, sqlite_url: str) -> str:
    """Runs the test once per available database."""
    return sqlite_url if request.param == "sqlite" else str(POSTGRES_URL)


@pytest.fixture
def settings(sqlite_url: str) -> Settings:
    return make_settings(database_url=sqlite_url)


@pytest.fixture
async def migrated(settings: Settings) -> AsyncIterator[Settings]:
    # Alembic's env.py runs its own event loop, so it runs in a worker thread.
    await asyncio.to_thread(migrations.upgrade, settings)
    yield settings
    await asyncio.to_thread(migrations.downgrade, settings)


@pytest.fixture
def log_output(monkeypatch: pytest.MonkeyPatch) -> LogOutput:
    """What the app logs: it writes to sys.stdout, replaced here for the whole test."""
    output = LogOutput()
    monkeypatch.setattr(sys, "stdout", output.stream)
    return output


@pytest.fixture
def app(log_output: LogOutput, migrated: Settings) -> FastAPI:
    """The real app, logging into `log_output`."""
    return create_app(migrated)


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with lifespan_client(app) as test_client:
        yield test_client


@pytest.fixture
def no_env_file(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run in an empty directory so a developer's .env is not read."""
    monkeypatch.chdir(tmp_path)
