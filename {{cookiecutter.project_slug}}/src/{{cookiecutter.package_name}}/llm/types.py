"""Provider-neutral types: what goes into a model call and what comes out of it."""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum
from typing import Any, Generic, Literal

from pydantic import BaseModel, Field
from typing_extensions import TypeVar

from ..core.frozen_model import FrozenModel
from .errors import ErrorKind

# Defaults to BaseModel for calls that declare no output model (`parsed` is then None).
OutputT = TypeVar("OutputT", bound=BaseModel, default=BaseModel)


class Message(FrozenModel):
    role: Literal["system", "user", "assistant"]
    content: str


class PromptRef(FrozenModel):
    """Which prompt template, at which version, produced the messages."""

    name: str
    version: str


class GenerationParameters(FrozenModel):
    max_tokens: int | None = Field(default=None, ge=1)
    temperature: float | None = Field(default=None, ge=0, le=2)
    top_p: float | None = Field(default=None, gt=0, le=1)
    stop: tuple[str, ...] = ()


class ModelRequest(FrozenModel):
    messages: tuple[Message, ...] = Field(min_length=1)
    parameters: GenerationParameters = GenerationParameters()
    # JSON schema the output must satisfy; providers pass it on where their API supports it.
    output_schema: dict[str, Any] | None = None
    prompt: PromptRef | None = None
    metadata: dict[str, str] = Field(default_factory=dict)


class FinishReason(StrEnum):
    STOP = "stop"
    LENGTH = "length"
    CONTENT_FILTER = "content_filter"
    TOOL_CALLS = "tool_calls"
    OTHER = "other"


class Usage(FrozenModel):
    input_tokens: int = Field(default=0, ge=0)
    output_tokens: int = Field(default=0, ge=0)

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            input_tokens=self.input_tokens + other.input_tokens,
            output_tokens=self.output_tokens + other.output_tokens,
        )


class Completion(FrozenModel):
    """What one provider call returns: the raw material of a `ModelResponse`."""

    text: str
    finish_reason: FinishReason
    usage: Usage
    model: str  # The model id the provider says served the call.


class TextDelta(FrozenModel):
    """A piece of streamed text. A provider's stream ends with one `Completion`."""

    type: Literal["delta"] = "delta"
    text: str


class ModelResponse(FrozenModel, Generic[OutputT]):
    """What the gateway returns: the completion plus how it was obtained and what it cost.

    `parsed` is the validated output model instance when the call declared one, else None.
    """

    text: str
    parsed: OutputT | None = None
    finish_reason: FinishReason
    usage: Usage
    cost_usd: Decimal
    model: str
    alias: str
    deployment: str
    attempts: int = Field(ge=1)
    fallback_index: int = Field(ge=0, description="0: the alias's first deployment served it.")
    latency_ms: float
    time_to_first_token_ms: float | None = None


class StreamDone(FrozenModel, Generic[OutputT]):
    type: Literal["done"] = "done"
    response: ModelResponse[OutputT]


class StreamError(FrozenModel):
    type: Literal["error"] = "error"
    kind: ErrorKind
    message: str
    incomplete: bool = Field(description="True when text had already reached the client.")


ProviderStreamEvent = TextDelta | Completion
StreamEvent = TextDelta | StreamDone[OutputT] | StreamError
