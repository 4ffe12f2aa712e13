"""Recorded model answers, `evals/recordings/<suite>.jsonl`, keyed by a hash of the request.

The key covers everything that shapes an answer (messages, parameters, output schema, prompt
name and version) and nothing about where it was sent, so the recordings stay valid whatever
`config/models.toml` points at. The first line is a header saying what made them.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TypeVar

import orjson
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..llm.types import Completion, ModelRequest
from .errors import EvalConfigError, describe_problems

FORMAT = "eval-recordings"  # No package name: the file must not change when it is renamed.
FORMAT_VERSION = 1
KEYED_FIELDS = {"messages", "parameters", "output_schema", "prompt"}

ModelT = TypeVar("ModelT", bound=BaseModel)


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

    def lines(self) -> list[bytes]:
        ordered = sorted(self.entries.values(), key=lambda e: (e.case or "", e.prompt or "", e.key))
        return [orjson.dumps(self.header.model_dump(mode="json"))] + [
            orjson.dumps(entry.model_dump(mode="json")) for entry in ordered
        ]

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"\n".join(self.lines()) + b"\n")


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
