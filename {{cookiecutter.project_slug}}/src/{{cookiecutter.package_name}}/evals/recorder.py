"""Record mode: a `ModelClient` that passes calls to a real client and keeps every answer."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from pathlib import Path

from ..llm.client import ModelClient
from ..llm.types import Completion, ModelRequest, ProviderStreamEvent
from .recordings import (
    FORMAT,
    FORMAT_VERSION,
    RecordedAnswer,
    RecordingEntry,
    RecordingHeader,
    Recordings,
    prompt_label,
    request_key,
)
from .trace import current_trace


class RecordingBook:
    """The answers of one record run, in call order per request."""

    def __init__(self) -> None:
        self._entries: dict[str, RecordingEntry] = {}
        self.served_by: set[str] = set()

    def add(self, request: ModelRequest, answer: RecordedAnswer, served_by: str) -> None:
        key = request_key(request)
        previous = self._entries.get(key)
        if previous is None:
            trace = current_trace()
            case = trace.case_id if trace else None
            entry = RecordingEntry(
                key=key, case=case, prompt=prompt_label(request), answers=(answer,)
            )
        else:
            entry = previous.model_copy(update={"answers": (*previous.answers, answer)})
        self._entries[key] = entry
        self.served_by.add(served_by)

    def save(self, path: Path, *, suite: str, models_file: str) -> RecordingHeader:
        """Replace the suite's recordings with this run's answers."""
        header = RecordingHeader(
            format=FORMAT,
            version=FORMAT_VERSION,
            suite=suite,
            recorded_with=tuple(sorted(self.served_by)),
            models_file=models_file,
        )
        Recordings(header=header, entries=dict(self._entries)).save(path)
        return header


class RecordingModelClient:
    def __init__(self, client: ModelClient, book: RecordingBook, provider: str) -> None:
        self._client = client
        self._book = book
        self._provider = provider

    async def generate(self, request: ModelRequest) -> Completion:
        started = time.perf_counter()
        completion = await self._client.generate(request)
        self._keep(request, completion, started)
        return completion

    async def stream(self, request: ModelRequest) -> AsyncIterator[ProviderStreamEvent]:
        started = time.perf_counter()
        async for event in self._client.stream(request):
            if isinstance(event, Completion):
                self._keep(request, event, started)
            yield event

    async def aclose(self) -> None:
        await self._client.aclose()

    def _keep(self, request: ModelRequest, completion: Completion, started: float) -> None:
        # Whole milliseconds: finer would only add noise to the diff of every re-recording.
        latency_ms = float(round((time.perf_counter() - started) * 1000))
        answer = RecordedAnswer(completion=completion, latency_ms=latency_ms)
        self._book.add(request, answer, f"{self._provider}/{completion.model}")
