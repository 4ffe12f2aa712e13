"""The shared HTTP helpers and `build_client`."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime

import httpx
import pytest
from pydantic import SecretStr

from {{ cookiecutter.package_name }}.llm.config import TimeoutPolicy
from {{ cookiecutter.package_name }}.llm.providers import build_client
from {{ cookiecutter.package_name }}.llm.providers.anthropic import AnthropicClient
from {{ cookiecutter.package_name }}.llm.providers.fake import FakeModelClient
from {{ cookiecutter.package_name }}.llm.providers.http import build_http_client, parse_retry_after, safe_code
from {{ cookiecutter.package_name }}.llm.providers.openai import OpenAIClient

from .conftest import deployment

NOW = datetime(2026, 1, 1, 12, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"retry-after": "7"}, 7.0),
        ({"retry-after": "0.5"}, 0.5),
        ({"retry-after": "Thu, 01 Jan 2026 12:00:30 GMT"}, 30.0),
        ({"retry-after": "Thu, 01 Jan 2026 11:00:00 GMT"}, 0.0),  # Already past.
        ({"retry-after-ms": "1500", "retry-after": "9"}, 1.5),  # The finer one wins.
        ({"retry-after-ms": "soon", "retry-after": "9"}, 9.0),
        ({"retry-after": "-3"}, 0.0),
        ({"retry-after": "whenever"}, None),
        ({}, None),
    ],
)
def test_parse_retry_after(headers: dict[str, str], expected: float | None) -> None:
    assert parse_retry_after(httpx.Headers(headers), now=NOW) == expected


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("rate_limit_exceeded", "rate_limit_exceeded"),
        ("bad key sk-123 <b>", "other"),
        ("sk-proj-abcdefghijklmnopqrstuvwxyz", "other"),  # A key echoed as a code.
        ("x" * 200, "other"),
        (429, "429"),
        ("4290", "other"),
        ("", None),
        (None, None),
        (True, None),
    ],
)
def test_safe_code_is_a_known_code_or_other(code: object, expected: str | None) -> None:
    assert safe_code(code) == expected


async def test_http_client_takes_timeouts_and_pool_size_from_the_deployment() -> None:
    timeouts = TimeoutPolicy(connect_seconds=2, first_token_seconds=9, total_seconds=30)
    config = deployment("openai", timeouts=timeouts, max_connections=7)

    http = build_http_client(config, base_url="http://127.0.0.1:1/v1/", headers={})
    assert http.session is not None
    try:
        assert http.streams.timeout == httpx.Timeout(connect=2, read=9, write=2, pool=2)
        assert not http.streams.follow_redirects
        assert (http.timeout.connect, http.timeout.sock_read, http.timeout.total) == (2, 9, None)
        assert http.session.connector is not None
        assert http.session.connector.limit == 7
        assert http.base_url == "http://127.0.0.1:1/v1"
    finally:
        await http.aclose()
    assert http.session.closed


async def test_build_client_picks_the_adapter_and_its_key() -> None:
    openai = build_client(deployment("openai"), SecretStr("sk-o"))
    anthropic = build_client(deployment("anthropic"), None)
    fake = build_client(deployment("fake", options={"latency_ms": 250}))
    try:
        assert isinstance(openai, OpenAIClient)
        assert isinstance(anthropic, AnthropicClient)
        assert isinstance(fake, FakeModelClient)
        assert fake.latency_seconds == 0.25
        assert fake.model == "fake-test-model"
    finally:
        for client in (openai, anthropic, fake):
            await client.aclose()


def test_importing_the_app_loads_no_provider_adapter() -> None:
    """Adapters load when a deployment needs them, not at import: imports stay cheap."""
    probe = (
        "import sys, {{ cookiecutter.package_name }}.app, {{ cookiecutter.package_name }}.llm.providers\n"
        "names = ('openai', 'anthropic', 'http')\n"
        "loaded = [n for n in names if f'{{ cookiecutter.package_name }}.llm.providers.{n}' in sys.modules]\n"
        "loaded += [n for n in ('httpx_sse',) if n in sys.modules]\n"
        "print(','.join(loaded))\n"
    )
    result = subprocess.run(  # noqa: S603 - a fixed script run by this interpreter.
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )

    assert result.stdout.strip() == ""
