"""The `ModelClient` protocol: the one interface every provider adapter implements."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Protocol

from .types import Completion, ModelRequest, ProviderStreamEvent


class ModelClient(Protocol):
    """One deployment of one provider: a fixed model id, endpoint and credentials.

    Adapters make exactly one attempt per call (the gateway owns retries), map every failure to
    a `ModelError`, and end a stream with exactly one `Completion`.
    """

    async def generate(self, request: ModelRequest) -> Completion: ...

    def stream(self, request: ModelRequest) -> AsyncIterator[ProviderStreamEvent]: ...

    async def aclose(self) -> None: ...
