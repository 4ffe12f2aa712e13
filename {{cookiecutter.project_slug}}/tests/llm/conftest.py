"""Wire servers (started once per session, reset around each test) and deployment builders."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator, Iterator
from typing import Any, Literal

import pytest

from {{ cookiecutter.package_name }}.llm.client import ModelClient
from {{ cookiecutter.package_name }}.llm.config import DeploymentConfig, ProviderName, TimeoutPolicy
from {{ cookiecutter.package_name }}.llm.types import Completion, ModelRequest, ProviderStreamEvent, TextDelta

from .wire_protocols import AnthropicWire, OpenAIWire, WireProtocol
from .wire_servers import WireServer

# Tiny, so a slow upstream fails fast; the wire servers answer in milliseconds.
FAST_TIMEOUTS = TimeoutPolicy(connect_seconds=1.0, first_token_seconds=0.2, total_seconds=2.0)
# For every other call: generous, so a loaded CI machine never trips them.
CALM_TIMEOUTS = TimeoutPolicy(connect_seconds=5.0, first_token_seconds=5.0, total_seconds=10.0)
Mode = Literal["generate", "stream"]
MODES: tuple[Mode, ...] = ("generate", "stream")


def deployment(
    provider: ProviderName, base_url: str | None = None, **fields: Any
) -> DeploymentConfig:
    values: dict[str, Any] = {"model": f"{provider}-test-model", "timeouts": CALM_TIMEOUTS}
    return DeploymentConfig(provider=provider, base_url=base_url, **(values | fields))


def _serve(protocol: WireProtocol) -> Iterator[WireServer]:
    server = WireServer(protocol)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def openai_session_server() -> Iterator[WireServer]:
    yield from _serve(OpenAIWire())


@pytest.fixture(scope="session")
def anthropic_session_server() -> Iterator[WireServer]:
    yield from _serve(AnthropicWire())


@pytest.fixture
def openai_server(openai_session_server: WireServer) -> Iterator[WireServer]:
    openai_session_server.reset()
    yield openai_session_server
    openai_session_server.reset()


@pytest.fixture
def anthropic_server(anthropic_session_server: WireServer) -> Iterator[WireServer]:
    anthropic_session_server.reset()
    yield anthropic_session_server
    anthropic_session_server.reset()


@pytest.fixture(scope="session")
def closed_port_url() -> str:
    """A local address nothing listens on: connecting to it is refused at once."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


async def complete(client: ModelClient, request: ModelRequest, mode: Mode) -> Completion:
    """The completion of one call: `generate`'s result or the end of a well-formed stream."""
    if mode == "generate":
        return await client.generate(request)
    events = [event async for event in client.stream(request)]
    assert all(isinstance(event, TextDelta) for event in events[:-1])
    assert isinstance(events[-1], Completion)
    return events[-1]


async def drain(
    stream: AsyncIterator[ProviderStreamEvent], into: list[ProviderStreamEvent]
) -> None:
    """Keeps what a stream yielded before it raised."""
    async for event in stream:
        into.append(event)
