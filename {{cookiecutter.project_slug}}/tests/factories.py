"""Builders the tests share: settings for a test and a client over the running app."""

from __future__ import annotations

import io
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
from asgi_lifespan import LifespanManager
from fastapi import FastAPI

from {{ cookiecutter.package_name }}.core.settings import AppEnv, LogFormat, Settings

TEST_SECRET_KEY = "test-only-key-4f1c2b9e8d7a6f5e4d3c2b1a0f9e8d7c"
PROJECT_DIR = Path(__file__).resolve().parent.parent
# Tests never need a key or the network: every alias is served by the offline fake provider.
OFFLINE_MODELS_FILE = PROJECT_DIR / "config" / "models.offline.toml"
PRICES_FILE = PROJECT_DIR / "config" / "prices.toml"
# What production accepts: a pinned, dated model and no fake provider behind any alias.
PRODUCTION_MODELS = """
version = "1"
[deployments.primary]
provider = "openai"
model = "gpt-4.1-mini-2025-04-14"
base_url = "http://127.0.0.1:9/v1"
[aliases.default]
owner = "@ai-team"
deployments = ["primary"]
"""
TEST_API_KEY = "sk-test-only-9c8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f"


def make_settings(**overrides: Any) -> Settings:
    """Settings for a test: no .env file, in-memory SQLite, JSON logs, a valid key, and the
    offline model configuration."""
    values: dict[str, Any] = {
        "env": AppEnv.TEST,
        "models_file": OFFLINE_MODELS_FILE,
        "prices_file": PRICES_FILE,
        "nfr_file": PROJECT_DIR / "nfr.toml",
        "database_url": "sqlite+aiosqlite:///:memory:",
        "log_format": LogFormat.JSON,
        "secret_key": TEST_SECRET_KEY,
        "inference_dead_letter_file": None,
        # Most tests are about something else than access control: they call as an anonymous
        # loopback client. tests/auth/ turns this off and tests every credential.
        "anonymous_loopback": True,
        **overrides,
    }
    deployed = AppEnv(values["env"]) in (AppEnv.STAGING, AppEnv.PRODUCTION)
    if deployed and "anonymous_loopback" not in overrides:
        values["anonymous_loopback"] = None
    return Settings(_env_file=None, **values)


def production_settings(tmp_path: Path, **overrides: Any) -> Settings:
    """Production settings over `PRODUCTION_MODELS`, which production's start-up accepts."""
    models = tmp_path / "production-models.toml"
    models.write_text(PRODUCTION_MODELS)
    values = {
        "env": AppEnv.PRODUCTION,
        "models_file": models,
        "openai_api_key": TEST_API_KEY,
        # No eval run approved this file; tests of approval unset this (governance/).
        "models_unapproved_reason": "a test of production start-up",
    }
    return make_settings(**{**values, **overrides})


class LogOutput:
    """An in-memory stdout that keeps every line the service logs during a test."""

    def __init__(self) -> None:
        self.stream = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", write_through=True)

    def text(self) -> str:
        self.stream.flush()
        buffer = self.stream.buffer
        assert isinstance(buffer, io.BytesIO)
        return buffer.getvalue().decode("utf-8")

    def json_lines(self) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self.text().splitlines() if line.startswith("{")]

    def events(self, name: str) -> list[dict[str, Any]]:
        return [line for line in self.json_lines() if line.get("event") == name]


@asynccontextmanager
async def lifespan_client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """An httpx client over the app with its lifespan running, as in production."""
    async with (
        LifespanManager(app) as manager,
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=manager.app), base_url="http://testserver"
        ) as test_client,
    ):
        yield test_client
