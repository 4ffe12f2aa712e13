"""The offline `fake` provider: deterministic by default, scriptable in tests.

With nothing scripted it answers every request with `fake_output.fake_text` (an echo, or a
schema-valid JSON instance). Tests queue replies: canned text, errors, latency, or a stream
that breaks after N chunks.
"""

from __future__ import annotations

import asyncio
import math
from collections import deque
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass

from ..errors import ModelError, UnavailableError
from ..types import Completion, FinishReason, ModelRequest, ProviderStreamEvent, TextDelta, Usage
from .fake_output import fake_text


@dataclass(frozen=True)
class FakeReply:
    text: str = ""
    error: ModelError | None = None
    latency_seconds: float = 0.0
    # Streams this many chunks, then fails as a dropped connection would.
    break_stream_after: int | None = None
    finish_reason: FinishReason = FinishReason.STOP
    usage: Usage | None = None


Responder = Callable[[ModelRequest], "str | FakeReply"]


class FakeModelClient:
    def __init__(
        self,
        model: str = "fake-1",
        *,
        responder: Responder | None = None,
        latency_seconds: float = 0.0,
        chunk_chars: int = 16,
    ) -> None:
        self.model = model
        self.responder = responder
        self.latency_seconds = latency_seconds
        self.chunk_chars = chunk_chars
        self.requests: list[ModelRequest] = []
        self._script: deque[FakeReply] = deque()

    def queue(self, *replies: str | FakeReply | ModelError) -> None:
        """Script the next replies, in order; once they are used up the default returns."""
        for reply in replies:
            if isinstance(reply, str):
                reply = FakeReply(text=reply)
            elif isinstance(reply, ModelError):
                reply = FakeReply(error=reply)
            self._script.append(reply)

    async def generate(self, request: ModelRequest) -> Completion:
        reply = await self._next_reply(request)
        if reply.error is not None:
            raise reply.error
        return self._completion(request, reply)

    async def stream(self, request: ModelRequest) -> AsyncIterator[ProviderStreamEvent]:
        reply = await self._next_reply(request)
        if reply.error is not None:
            raise reply.error
        chunks = [
            reply.text[i : i + self.chunk_chars]
            for i in range(0, len(reply.text), self.chunk_chars)
        ]
        for index, chunk in enumerate(chunks):
            if reply.break_stream_after is not None and index >= reply.break_stream_after:
                msg = "fake stream cut after {index} chunks"
                raise UnavailableError(msg.format(index=index))
            yield TextDelta(text=chunk)
            await asyncio.sleep(0)
        yield self._completion(request, reply)

    async def aclose(self) -> None:
        return None

    async def _next_reply(self, request: ModelRequest) -> FakeReply:
        self.requests.append(request)
        if self._script:
            reply = self._script.popleft()
        elif self.responder is not None:
            answer = self.responder(request)
            reply = FakeReply(text=answer) if isinstance(answer, str) else answer
        else:
            reply = FakeReply(text=fake_text(request))
        latency = reply.latency_seconds or self.latency_seconds
        if latency:
            await asyncio.sleep(latency)
        return reply

    def _completion(self, request: ModelRequest, reply: FakeReply) -> Completion:
        usage = reply.usage or Usage(
            input_tokens=sum(approximate_tokens(m.content) for m in request.messages),
            output_tokens=approximate_tokens(reply.text),
        )
        return Completion(
            text=reply.text, finish_reason=reply.finish_reason, usage=usage, model=self.model
        )


def approximate_tokens(text: str) -> int:
    """About four characters a token, like the real tokenizers on English text."""
    return math.ceil(len(text) / 4)
