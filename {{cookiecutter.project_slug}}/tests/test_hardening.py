"""Requests an attacker shapes (huge headers, thousands of bad fields, forged ids) and
configurations a hurried operator writes (repeated-character secrets) are refused early."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import orjson
import pytest
from pydantic import ValidationError
from sqlalchemy import select

from {{ cookiecutter.package_name }}.__main__ import main
from {{ cookiecutter.package_name }}.app import create_app
from {{ cookiecutter.package_name }}.core.database import create_engine, create_sessionmaker
from {{ cookiecutter.package_name }}.core.settings import AppEnv
from {{ cookiecutter.package_name }}.llm.inference_records import InferenceRecord

from .factories import (
    OFFLINE_MODELS_FILE,
    PRICES_FILE,
    PROJECT_DIR,
    TEST_SECRET_KEY,
    LogOutput,
    lifespan_client,
    make_settings,
)

STRONG_KEY = "k" * 16 + "9f8e7d6c5b4a3f2e1d0c"
TICKET = {"subject": "Charged twice", "body": "Two charges on my card this month."}


async def test_validation_errors_are_capped_and_the_answer_small(client: httpx.AsyncClient) -> None:
    body = {f"k{i}": 0 for i in range(90_000)} | TICKET  # About 1 MB: within the body limit.

    response = await client.post(
        "/v1/tasks/triage_ticket",
        content=orjson.dumps(body),
        headers={"content-type": "application/json"},
    )

    assert response.status_code == 422
    problem = response.json()
    assert len(problem["errors"]) == 20
    assert problem["error_count"] == 90_000
    assert len(response.content) < 8_000


@pytest.mark.parametrize(
    ("secret_key", "problem"),
    [
        ("a" * 32, "APP_SECRET_KEY has too little variety"),
        ("ab" * 20, "APP_SECRET_KEY has too little variety"),
    ],
)
def test_production_refuses_a_low_entropy_secret_key(secret_key: str, problem: str) -> None:
    with pytest.raises(ValidationError, match=problem) as raised:
        make_settings(env=AppEnv.PRODUCTION, secret_key=secret_key)

    assert secret_key not in str(raised.value)


@pytest.mark.parametrize(
    ("password", "problem"),
    [("x", "shorter than 12"), ("aaaaaaaaaaaaaaaa", "too little variety")],
)
def test_production_refuses_a_weak_database_password(password: str, problem: str) -> None:
    with pytest.raises(ValidationError, match=f"APP_DATABASE_URL has .*{problem}"):
        make_settings(
            env=AppEnv.PRODUCTION,
            secret_key=STRONG_KEY,
            database_url=f"postgresql+asyncpg://app:{password}@db:5432/app",
        )


def test_check_config_refuses_what_serve_refuses(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    models = tmp_path / "models.toml"
    models.write_text(
        'version = "1"\n[deployments.main]\nprovider = "openai"\nmodel = "gpt-x-2025-01-31"\n'
        '[aliases.default]\ndeployments = ["main"]\n[aliases.cheap]\ndeployments = ["main"]\n'
    )
    prices = tmp_path / "prices.toml"
    prices.write_text(
        'version = "1"\n[prices."openai/gpt-x-2025-01-31"]\n'
        "input_usd_per_million_tokens = 1.0\noutput_usd_per_million_tokens = 2.0\n"
    )
    monkeypatch.chdir(tmp_path)
    for name, value in {
        "APP_ENV": "production",
        "APP_SECRET_KEY": STRONG_KEY,
        "APP_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'x.db'}",
        "APP_MODELS_FILE": str(models),
        "APP_PRICES_FILE": str(prices),
        "APP_MODELS_UNAPPROVED_REASON": "a test of the start-up checks",
    }.items():
        monkeypatch.setenv(name, value)

    assert main(["check-config"]) == 2

    assert "APP_OPENAI_API_KEY missing" in capsys.readouterr().err


async def test_a_client_request_id_is_kept_next_to_our_own(
    client: httpx.AsyncClient, log_output: LogOutput, migrated: object
) -> None:
    response = await client.post(
        "/v1/tasks/triage_ticket", json=TICKET, headers={"X-Request-ID": "client-id.42"}
    )

    assert response.status_code == 200, response.text
    assert response.headers["x-request-id"] == "client-id.42"
    access = [line for line in log_output.json_lines() if line["event"] == "request"][-1]
    assert access["request_id"] == "client-id.42"
    server_id = access["server_request_id"]
    assert len(server_id) == 32
    assert server_id != "client-id.42"
    await asyncio.sleep(0)
    settings = migrated
    engine = create_engine(settings)  # type: ignore[arg-type]
    try:
        for _ in range(200):  # The recorder writes in the background.
            async with create_sessionmaker(engine)() as session:
                rows = (await session.scalars(select(InferenceRecord))).all()
            if rows:
                break
            await asyncio.sleep(0.01)
        assert [(r.request_id, r.server_request_id) for r in rows] == [("client-id.42", server_id)]
    finally:
        await engine.dispose()


@pytest.mark.parametrize("forged", ["x" * 129, "id with spaces", "id\u00e9", "a;b", "<script>"])
async def test_a_malformed_client_request_id_is_replaced(
    client: httpx.AsyncClient, forged: str
) -> None:
    response = await client.get("/health/live", headers={b"X-Request-ID": forged.encode("utf-8")})

    assert response.headers["x-request-id"] != forged
    assert len(response.headers["x-request-id"]) == 32


@pytest.mark.parametrize(("setting", "shown"), [(None, False), (False, False), (True, True)])
async def test_readiness_details_only_where_allowed(
    migrated: object, setting: bool | None, shown: bool
) -> None:
    settings = make_settings(
        env=AppEnv.STAGING,
        database_url=migrated.database_url.get_secret_value(),  # type: ignore[attr-defined]
        readiness_details=setting,
    )
    async with lifespan_client(create_app(settings)) as api:
        response = await api.get("/health/ready")

    body = response.json()
    assert response.status_code == 200
    assert body["status"] == "ok"
    assert {check["status"] for check in body["checks"].values()} == {"ok"}
    details = [check.get("detail") for check in body["checks"].values()]
    assert any(details) is shown


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@pytest.fixture
def served(tmp_path: Path) -> object:
    """The real service under uvicorn (httptools, as in production), on a free port."""
    port = free_port()
    env = {
        **os.environ,
        "APP_ENV": "test",
        "APP_SECRET_KEY": TEST_SECRET_KEY,
        "APP_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'served.db'}",
        "APP_MODELS_FILE": str(OFFLINE_MODELS_FILE),
        "APP_PRICES_FILE": str(PRICES_FILE),
        "APP_NFR_FILE": str(PROJECT_DIR / "nfr.toml"),
        "APP_LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(PROJECT_DIR / "src"),
    }
    command = [sys.executable, "-m", "{{ cookiecutter.package_name }}", "serve", "--port", str(port)]
    server = subprocess.Popen(  # noqa: S603 - our own module, by this interpreter
        command, env=env, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{url}/health/live", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        else:
            raise AssertionError("the service did not start")
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_oversized_request_headers_get_431_from_the_served_app(served: str) -> None:
    headers = {f"x-filler-{i}": "v" * 1000 for i in range(100)}  # About 100 KB.

    response = httpx.get(f"{served}/health/live", headers=headers, timeout=10)
    normal = httpx.get(f"{served}/health/live", headers={"x-small": "v" * 1000}, timeout=10)

    assert response.status_code == 431
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["status"] == 431
    assert normal.status_code == 200
