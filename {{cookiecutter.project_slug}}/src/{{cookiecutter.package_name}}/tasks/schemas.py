from __future__ import annotations

from decimal import Decimal
from typing import Any

from pydantic import BaseModel

from ..llm.types import ModelResponse, Usage


class TaskInfo(BaseModel):
    name: str
    description: str
    alias: str
    prompt_version: str
    input_schema: dict[str, Any]
    output_schema: dict[str, Any]


class TaskResult(BaseModel):
    task: str
    output: dict[str, Any]
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
        cls, task: str, prompt_version: str, response: ModelResponse, request_id: str | None
    ) -> TaskResult:
        output = response.parsed.model_dump(mode="json") if response.parsed is not None else {}
        return cls(
            task=task,
            output=output,
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
