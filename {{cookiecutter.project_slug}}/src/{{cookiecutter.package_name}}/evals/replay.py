"""Replay: a `ModelClient` that answers from recordings, and fails loudly when it has none.

It never answers a request it has not seen: a changed prompt, input or output schema has a
new key, so it raises `MissingRecordingError` instead of replaying a stale answer.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path

from ..llm.types import Completion, ModelRequest, ProviderStreamEvent, TextDelta
from .errors import MissingRecordingError
from .recordings import Recordings, prompt_label, request_key
from .trace import current_trace


class ReplayModelClient:
    def __init__(self, recordings: Recordings | None, path: Path) -> None:
        self._recordings = recordings
        self._path = path
        self._calls: Counter[str] = Counter()

    async def generate(self, request: ModelRequest) -> Completion:
        if self._recordings is None:
            msg = f"{self._path} does not exist"
            raise MissingRecordingError(msg)
        key = request_key(request)
        entry = self._recordings.entries.get(key)
        if entry is None:
            raise MissingRecordingError(self._why_missing(request))
        call = self._calls[key]
        self._calls[key] += 1
        if call >= len(entry.answers):
            msg = f"{len(entry.answers)} answer(s) recorded for this request, asked for more"
            raise MissingRecordingError(msg)
        answer = entry.answers[call]
        trace = current_trace()
        if trace is not None:
            trace.replayed_latency_ms += answer.latency_ms
        return answer.completion

    async def stream(self, request: ModelRequest) -> AsyncIterator[ProviderStreamEvent]:
        completion = await self.generate(request)
        yield TextDelta(text=completion.text)
        yield completion

    async def aclose(self) -> None:
        return None

    def _why_missing(self, request: ModelRequest) -> str:
        assert self._recordings is not None  # noqa: S101 - checked by the caller
        label = prompt_label(request)
        if label is None or label in self._recordings.prompts():
            return (
                f"no answer recorded for this request (prompt {label}): the case is new, or its "
                "input, the prompt's text or the output schema changed"
            )
        name = label.rsplit("@", 1)[0]
        recorded = sorted(p for p in self._recordings.prompts() if p.rsplit("@", 1)[0] == name)
        if recorded:
            return f"the prompt is now {label}, the recordings have {', '.join(recorded)}"
        return f"nothing recorded for prompt {label}"
