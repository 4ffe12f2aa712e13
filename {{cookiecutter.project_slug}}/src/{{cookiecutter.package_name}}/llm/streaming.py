"""One streamed attempt: enforces the first-token and total timeouts between chunks.

The timeouts wrap each wait for the provider's next event, never the caller's handling of a
chunk, so a slow client does not make the upstream look slow (and no timeout ever fires in
the caller's code).
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import AsyncGenerator, Callable

from .client import ModelClient
from .config import TimeoutPolicy
from .errors import ModelTimeoutError, UnavailableError
from .types import Completion, ModelRequest, TextDelta, Usage


class StreamAttempt:
    def __init__(
        self,
        client: ModelClient,
        request: ModelRequest,
        timeouts: TimeoutPolicy,
        clock: Callable[[], float],
    ) -> None:
        self._request = request
        self._events = client.stream(request)
        self._timeouts = timeouts
        self._clock = clock
        self._started = clock()
        self._text: list[str] = []
        self._completion: Completion | None = None
        self.first_token_ms: float | None = None

    @property
    def sent_text(self) -> bool:
        return bool(self._text)

    @property
    def completion(self) -> Completion:
        if self._completion is None:
            msg = "the stream has not completed"
            raise RuntimeError(msg)
        return self._completion

    def estimated_usage(self) -> Usage:
        """For a stream cut before the provider reported usage: about four characters a token."""
        return Usage(
            input_tokens=sum(math.ceil(len(m.content) / 4) for m in self._request.messages),
            output_tokens=math.ceil(len("".join(self._text)) / 4),
        )

    async def __aiter__(self) -> AsyncGenerator[TextDelta]:
        try:
            while True:
                event = await self._next_event()
                if isinstance(event, Completion):
                    self._completion = event
                    return
                if self.first_token_ms is None:
                    self.first_token_ms = round((self._clock() - self._started) * 1000, 3)
                self._text.append(event.text)
                yield event
        finally:
            if isinstance(self._events, AsyncGenerator):  # Close the provider's connection now.
                await self._events.aclose()

    async def _next_event(self) -> TextDelta | Completion:
        elapsed = self._clock() - self._started
        remaining = self._timeouts.total_seconds - elapsed
        limit = remaining if self._text else min(self._timeouts.first_token_seconds, remaining)
        try:
            async with asyncio.timeout(max(limit, 0)):
                return await anext(self._events)
        except StopAsyncIteration:
            msg = "the stream ended without a completion"
            raise UnavailableError(msg) from None
        except TimeoutError:
            which = "total" if self._text or limit == remaining else "first-token"
            msg = f"no stream event within the {which} timeout"
            raise ModelTimeoutError(msg) from None
