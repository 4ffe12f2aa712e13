from __future__ import annotations

import logging

import httpx
import structlog
from fastapi import FastAPI

from {{ cookiecutter.package_name }}.core.logging import configure_logging
from {{ cookiecutter.package_name }}.core.redaction import REDACTED
from {{ cookiecutter.package_name }}.core.settings import AppEnv, LogFormat

from ..factories import TEST_SECRET_KEY, LogOutput, lifespan_client, make_settings


def test_our_lines_are_json_with_level_and_timestamp(log_output: LogOutput) -> None:
    configure_logging(make_settings(), log_output.stream)

    structlog.get_logger("test").info("something_happened", items=3)

    (line,) = log_output.json_lines()
    assert line["event"] == "something_happened"
    assert line["items"] == 3
    assert line["level"] == "info"
    assert line["timestamp"].endswith("Z")


def test_stdlib_and_uvicorn_logs_share_the_json_pipeline(
    log_output: LogOutput,
) -> None:
    configure_logging(make_settings(), log_output.stream)

    logging.getLogger("uvicorn.error").warning(
        "server says %s", "hello", extra={"color_message": "server says \x1b[1m%s\x1b[0m"}
    )

    (line,) = log_output.json_lines()
    assert line["event"] == "server says hello"
    assert line["logger"] == "uvicorn.error"
    assert line["level"] == "warning"
    assert "color_message" not in line


def test_console_format_in_development(log_output: LogOutput) -> None:
    configure_logging(make_settings(env=AppEnv.DEVELOPMENT, log_format=None), log_output.stream)

    structlog.get_logger("test").info("readable_line", answer=42)

    output = log_output.text()
    assert "readable_line" in output
    assert "answer=42" in output
    assert not output.lstrip().startswith("{")


def test_log_level_filters_lower_levels(log_output: LogOutput) -> None:
    configure_logging(make_settings(log_level="WARNING"), log_output.stream)

    structlog.get_logger("test").info("hidden")
    logging.getLogger("some.library").info("hidden too")
    structlog.get_logger("test").warning("shown")

    assert [line["event"] for line in log_output.json_lines()] == ["shown"]


def test_secrets_never_reach_the_logs(log_output: LogOutput) -> None:
    database_url = "postgresql+asyncpg://svc:db-pass-7Hq2@db:5432/app"
    settings = make_settings(database_url=database_url, redact_fields=frozenset({"email"}))
    configure_logging(settings, log_output.stream)
    log = structlog.get_logger("test")

    log.info("secret_in_message", note=f"key is {TEST_SECRET_KEY}")
    log.info("sensitive_fields", api_key="abc123", password="p4ss", email="ann@example.com")
    log.info("tokens", access_token="at-987", prompt_tokens=12, max_tokens=64)
    log.info("headers", headers={"Authorization": "Bearer tok-123", "Accept": "json"})
    log.info("header_pairs", headers=[(b"authorization", b"Basic dXNlcjpwYXNz")])
    log.info("credential_shapes", text="token: Bearer abc.def.ghi, key sk-abcdefghijklmnop1234")
    log.info("database", url=database_url)
    logging.getLogger("library").error("connect failed to %s", database_url)
    try:
        raise RuntimeError(f"boom with {TEST_SECRET_KEY}")
    except RuntimeError:
        log.exception("failure")

    output = log_output.text()
    for secret in (
        TEST_SECRET_KEY,
        "db-pass-7Hq2",
        "abc123",
        "p4ss",
        "ann@example.com",
        "at-987",
        "tok-123",
        "dXNlcjpwYXNz",
        "abc.def.ghi",
        "sk-abcdefghijklmnop1234",
    ):
        assert secret not in output, f"{secret!r} leaked into the logs"
    assert output.count(REDACTED) >= 10
    lines = log_output.json_lines()
    assert (lines[2]["prompt_tokens"], lines[2]["max_tokens"]) == (12, 64)
    assert lines[3]["headers"]["Accept"] == "json"
    assert "RuntimeError" in lines[-1]["exception"]


async def test_every_line_of_a_request_carries_its_request_id(
    app: FastAPI, log_output: LogOutput
) -> None:
    async def handler() -> dict[str, str]:
        structlog.get_logger("feature").info("inside_handler")
        return {"ok": "yes"}

    app.add_api_route("/logs-something", handler)
    async with lifespan_client(app) as client:
        response = await client.get("/logs-something", headers={"X-Request-ID": "req-42"})

    lines = log_output.json_lines()
    request_lines = [line for line in lines if line.get("request_id") == "req-42"]
    assert [line["event"] for line in request_lines] == ["inside_handler", "request"]
    assert response.headers["x-request-id"] == "req-42"


async def test_one_access_line_per_request_with_route_template(
    client: httpx.AsyncClient, log_output: LogOutput
) -> None:
    await client.get("/health/live")
    await client.get("/no/such/path")

    access = log_output.events("request")
    assert [(line["method"], line["route"], line["status"]) for line in access] == [
        ("GET", "/health/live", 200),
        ("GET", None, 404),
    ]
    assert all(line["duration_ms"] >= 0 for line in access)
    assert access[1]["path"] == "/no/such/path"


def test_log_format_setting_overrides_the_environment_default() -> None:
    settings = make_settings(
        env=AppEnv.PRODUCTION, log_format=LogFormat.CONSOLE, secret_key=TEST_SECRET_KEY
    )

    assert settings.effective_log_format is LogFormat.CONSOLE
