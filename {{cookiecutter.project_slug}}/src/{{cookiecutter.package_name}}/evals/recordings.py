"""Recorded model answers, `evals/recordings/<suite>.jsonl`, and the two clients that use them:
replay answers from them, record writes them.

An answer is keyed by a hash of its request: everything that shapes an answer (messages,
parameters, output schema, prompt name and version) and nothing about where it was sent, so
the recordings stay valid whatever `config/models.toml` points at. The first line is a header
saying what made them. Replay never answers a request it has not seen: a changed prompt, input
or output schema has a new key, and the case errors instead of replaying a stale answer.
"""

from __future__ import annotations

import hashlib
import time
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path
from typing import TypeVar

import orjson
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..llm.client import ModelClient
from ..llm.errors import PassThroughError
from ..llm.types import Completion, ModelRequest, ProviderStreamEvent, TextDelta
from .layout import EvalConfigError, describe_problems
from .trace import current_trace

FORMAT = "eval-recordings"  # No package name: the file must not change when it is renamed.
FORMAT_VERSION = 1
KEYED_FIELDS = {"messages", "parameters", "output_schema", "prompt"}

ModelT = TypeVar("ModelT", bound=BaseModel)


class MissingRecordingError(PassThroughError):
    """Replay has no recorded answer for a request.

    Never a `ModelError`, so the gateway neither retries nor falls back: the run reports it as
    an error of the case (unmeasured), never as a score.
    """


def request_key(request: ModelRequest) -> str:
    canonical = orjson.dumps(
        request.model_dump(mode="json", include=KEYED_FIELDS), option=orjson.OPT_SORT_KEYS
    )
    return hashlib.sha256(canonical).hexdigest()


def prompt_label(request: ModelRequest) -> str | None:
    return f"{request.prompt.name}@{request.prompt.version}" if request.prompt else None


class Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class RecordingHeader(Strict):
    format: str = Field(pattern=f"^{FORMAT}$")
    version: int = Field(ge=FORMAT_VERSION, le=FORMAT_VERSION)
    suite: str
    recorded_with: tuple[str, ...] = Field(description="provider/model of each answering model.")
    models_file: str


class RecordedAnswer(Strict):
    completion: Completion
    latency_ms: float = Field(ge=0)


class RecordingEntry(Strict):
    key: str
    case: str | None  # For people: the case whose attempt made the request.
    prompt: str | None
    answers: tuple[RecordedAnswer, ...] = Field(min_length=1)  # One per call, in order.


class Recordings(Strict):
    header: RecordingHeader
    entries: dict[str, RecordingEntry]

    def prompts(self) -> set[str]:
        return {entry.prompt for entry in self.entries.values() if entry.prompt}

    def save(self, path: Path) -> None:
        # Sorted, so re-recording the same answers leaves the file unchanged.
        ordered = sorted(self.entries.values(), key=lambda e: (e.case or "", e.prompt or "", e.key))
        lines = [orjson.dumps(self.header.model_dump(mode="json"))]
        lines += [orjson.dumps(entry.model_dump(mode="json")) for entry in ordered]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"\n".join(lines) + b"\n")


def load_recordings(path: Path) -> Recordings | None:
    """The recordings of a suite; None when the file does not exist (nothing recorded yet)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return None
    if not lines:
        msg = f"{path}:1: empty file, expected a header line"
        raise EvalConfigError(msg)
    header = parse_line(RecordingHeader, lines[0], f"{path}:1")
    entries: dict[str, RecordingEntry] = {}
    for number, line in enumerate(lines[1:], start=2):
        if line.strip():
            entry = parse_line(RecordingEntry, line, f"{path}:{number}")
            entries[entry.key] = entry
    return Recordings(header=header, entries=entries)


def parse_line(model: type[ModelT], line: str, where: str) -> ModelT:
    try:
        return model.model_validate(orjson.loads(line))
    except orjson.JSONDecodeError as exc:
        msg = f"{where}: not valid JSON: {exc}"
        raise EvalConfigError(msg) from None
    except ValidationError as exc:
        raise EvalConfigError(f"{where}: {describe_problems(exc)}") from None


class ReplayModelClient:
    """Replay mode: a `ModelClient` that answers from recordings, in recorded order per request."""

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


class RecordingBook:
    """Record mode: the answers of one run, in call order per request, saved at its end."""

    def __init__(self) -> None:
        self._entries: dict[str, RecordingEntry] = {}
        self.served_by: set[str] = set()

    def client(self, client: ModelClient, provider: str) -> RecordingModelClient:
        return RecordingModelClient(client, self, provider)

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
    """Passes every call to a real client and writes its answer in the book."""

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
