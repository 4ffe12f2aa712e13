"""What the task routes answer: the task list, and one task's result typed by its output model."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Generic

from pydantic import BaseModel

from ..llm.types import ModelResponse, OutputT, Usage


class TaskInfo(BaseModel):
    name: str
    description: str
    alias: str
    prompt_version: str
    input_schema: dict[str, Any]
    output_schema: dict[str, Any]


class TaskResult(BaseModel, Generic[OutputT]):
    """`TaskResult[Triage]`: the task's validated output and how it was obtained."""

    task: str
    output: OutputT
    model: str
    alias: str
    deployment: str
    prompt_version: str
    usage: Usage
    cost_usd: Decimal
    attempts: int
    latency_ms: float
    request_id: str | None

    @classmethod
    def of(
        cls,
        task: str,
        prompt_version: str,
        response: ModelResponse[OutputT],
        request_id: str | None,
    ) -> TaskResult[OutputT]:
        if response.parsed is None:
            msg = f"task {task!r} was called without its output model"
            raise ValueError(msg)
        return cls(
            task=task,
            output=response.parsed,
            model=response.model,
            alias=response.alias,
            deployment=response.deployment,
            prompt_version=prompt_version,
            usage=response.usage,
            cost_usd=response.cost_usd,
            attempts=response.attempts,
            latency_ms=response.latency_ms,
            request_id=request_id,
        )
