"""Two app instances in separate processes share one rate limit and one budget (PostgreSQL and
Redis on 127.0.0.1); with the database down at start, paid calls are refused."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import httpx
import pytest
from redis import Redis

from {{ cookiecutter.package_name }}.app import create_app
from {{ cookiecutter.package_name }}.auth.keys import KeySpec, create_key
from {{ cookiecutter.package_name }}.auth.roles import Role
from {{ cookiecutter.package_name }}.core import migrations
from {{ cookiecutter.package_name }}.core.database import create_engine, create_sessionmaker
from {{ cookiecutter.package_name }}.core.settings import Settings
from {{ cookiecutter.package_name }}.llm.budget import BudgetGuard
from {{ cookiecutter.package_name }}.llm.config import load_models_config
from {{ cookiecutter.package_name }}.llm.ledger import MemorySpendLedger
from {{ cookiecutter.package_name }}.llm.pricing import load_price_table
from {{ cookiecutter.package_name }}.tasks.registry import task_registry

from ..conftest import POSTGRES_URL
from ..factories import (
    OFFLINE_MODELS_FILE,
    PRICES_FILE,
    PROJECT_DIR,
    TEST_SECRET_KEY,
    LogOutput,
    lifespan_client,
    make_settings,
)
from .conftest import bearer

REDIS_URL = "redis://127.0.0.1:6379/0"
TICKET = {"subject": "Charged twice", "body": "Two charges on my invoice."}
MAX_TOKENS = 64


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def redis_available() -> bool:
    try:
        return bool(Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping())
    except Exception:
        return False


def upper_bound(models_file: Path) -> Decimal:
    """What one triage call reserves, computed by the code the servers run."""
    models = load_models_config(models_file)
    prices = load_price_table(PRICES_FILE)
    price = {"fake": prices.price_of("fake", models.config.deployments["fake"].model)}
    guard = BudgetGuard(models.config, price, MemorySpendLedger())
    task = task_registry().get("triage_ticket")
    assert task is not None
    return guard.upper_bound("fake", task.build_request(task.input_model.model_validate(TICKET)))


def budgeted_models(tmp_path: Path, budget: Decimal | None) -> Path:
    text = OFFLINE_MODELS_FILE.read_text()
    if budget is not None:
        text = text.replace('version = "', f'daily_budget_usd = {budget}\nversion = "', 1)
    # Slow enough that every call of the test is in flight at once, holding its reservation.
    limit = (
        'model = "fake-1"\noptions = { latency_ms = 800 }\n'
        f"[deployments.fake.parameters]\nmax_tokens = {MAX_TOKENS}\n"
    )
    text = text.replace('model = "fake-1"\n', limit, 1)
    path = tmp_path / "models.toml"
    path.write_text(text)
    return path


@pytest.fixture
def two_servers(tmp_path: Path) -> Iterator[tuple[list[str], Settings, Path]]:
    if not POSTGRES_URL or not redis_available():
        pytest.skip("needs TEST_DATABASE_URL (PostgreSQL) and Redis on 127.0.0.1:6379")
    models_file = budgeted_models(tmp_path, None)
    budget = upper_bound(models_file) * Decimal("3.5")
    models_file = budgeted_models(tmp_path, budget)
    settings = make_settings(database_url=str(POSTGRES_URL))
    migrations.upgrade(settings)
    prefix = f"test-{uuid.uuid4().hex}"
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("APP_")},
        "APP_ENV": "test",
        "APP_DATABASE_URL": str(POSTGRES_URL),
        "APP_REDIS_URL": REDIS_URL,
        "APP_REDIS_KEY_PREFIX": prefix,
        "APP_MODELS_FILE": str(models_file),
        "APP_PRICES_FILE": str(PRICES_FILE),
        "APP_NFR_FILE": str(PROJECT_DIR / "nfr.toml"),
        "APP_SECRET_KEY": TEST_SECRET_KEY,
        "APP_ANONYMOUS_LOOPBACK": "false",
        "APP_LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(PROJECT_DIR / "src"),
    }
    ports = [free_port(), free_port()]
    logs = [(tmp_path / f"server-{port}.log").open("wb") for port in ports]
    servers = [
        subprocess.Popen(  # noqa: S603 - our own interpreter and module
            [sys.executable, "-m", "{{ cookiecutter.package_name }}", "serve", "--port", str(port)],
            cwd=tmp_path,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        for port, log in zip(ports, logs, strict=True)
    ]
    urls = [f"http://127.0.0.1:{port}" for port in ports]
    try:
        deadline = time.monotonic() + 60
        for url, port in zip(urls, ports, strict=True):
            last = "no answer"
            while True:
                try:
                    ready = httpx.get(f"{url}/health/ready", timeout=5)
                    if ready.status_code == 200:
                        break
                    last = ready.text
                except httpx.HTTPError as error:
                    last = repr(error)
                if time.monotonic() > deadline:
                    output = (tmp_path / f"server-{port}.log").read_text(errors="replace")
                    pytest.fail(f"{url} not ready: {last}\n{output[-3000:]}")
                time.sleep(0.2)
        yield urls, settings, models_file
    finally:
        for server, log in zip(servers, logs, strict=True):
            server.terminate()
            server.wait(timeout=10)
            log.close()
        redis = Redis.from_url(REDIS_URL)
        for key in redis.scan_iter(f"{prefix}:*"):
            redis.delete(key)
        migrations.downgrade(settings)


async def new_key(settings: Settings, **limits: int) -> str:
    engine = create_engine(settings)
    try:
        async with create_sessionmaker(engine)() as session, session.begin():
            key, _ = await create_key(
                session,
                KeySpec(name="replicas", role=Role.CALLER, **limits),  # type: ignore[arg-type]
                prefix=settings.api_key_prefix,
                created_by="test",
            )
    finally:
        await engine.dispose()
    return key


@pytest.mark.postgres
async def test_two_processes_share_one_rate_limit_and_one_budget(
    two_servers: tuple[list[str], Settings, Path],
) -> None:
    urls, settings, models_file = two_servers
    limited = await new_key(settings, requests_per_minute=4)
    async with httpx.AsyncClient(timeout=10) as client:
        listed = [
            (await client.get(f"{urls[n % 2]}/v1/tasks", headers=bearer(limited))).status_code
            for n in range(8)
        ]
        assert sorted(listed) == [200] * 4 + [429] * 4

        caller = await new_key(settings)
        calls = await asyncio.gather(
            *(
                client.post(
                    f"{urls[n % 2]}/v1/tasks/triage_ticket", json=TICKET, headers=bearer(caller)
                )
                for n in range(12)
            )
        )
    served = [r for r in calls if r.status_code == 200]
    refused = [r for r in calls if r.status_code == 503]
    assert len(served) + len(refused) == 12
    assert {r.json()["kind"] for r in refused} == {"budget_exceeded"}
    budget = upper_bound(models_file) * Decimal("3.5")
    # All 12 were in flight at once, each holding its upper bound: 3 fit the shared budget (with
    # a ledger per process, 3 would have fit in each).
    assert len(served) == 3
    assert sum(Decimal(r.json()["cost_usd"]) for r in served) <= budget


async def test_the_database_down_at_start_refuses_paid_calls(
    tmp_path: Path, log_output: LogOutput
) -> None:
    settings = make_settings(
        database_url="postgresql+asyncpg://nobody@127.0.0.1:1/none",  # Nothing listens there.
        models_file=budgeted_models(tmp_path, Decimal(5)),
    )
    async with lifespan_client(create_app(settings)) as client:
        response = await client.post("/v1/tasks/triage_ticket", json=TICKET)
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["kind"] == "budget_unavailable"
