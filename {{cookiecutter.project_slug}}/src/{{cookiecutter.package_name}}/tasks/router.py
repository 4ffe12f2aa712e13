"""`/v1/tasks`: list the tasks, run one (as JSON or as a server-sent event stream)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Body, HTTPException, Query
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError
from starlette.responses import StreamingResponse

from ..core.logging import current_request_id
from ..core.scrubbing import scrub_value
from ..llm.dependencies import Gateway
from ..llm.gateway import ModelGateway
from ..llm.types import StreamDone, StreamError
from .registry import AnyTask, task_registry
from .schemas import TaskInfo, TaskResult

router = APIRouter(prefix="/v1/tasks", tags=["tasks"])
MODEL_ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"description": "No such task"},
    502: {"description": "The model failed or gave an invalid answer after every attempt"},
    503: {"description": "Models unavailable, rate limited, circuit open or budget spent"},
    504: {"description": "The model timed out after every attempt"},
}


@router.get("")
async def list_tasks() -> list[TaskInfo]:
    return [
        TaskInfo(
            name=task.name,
            description=task.description,
            alias=task.alias,
            prompt_version=task.prompt.version,
            input_schema=task.input_model.model_json_schema(),
            output_schema=task.output_model.model_json_schema(),
        )
        for task in task_registry()
    ]


@router.post("/{name}", responses=MODEL_ERRORS, response_model=TaskResult)
async def run_task(
    name: str,
    payload: Annotated[dict[str, Any], Body(description="The task's input; see GET /v1/tasks.")],
    gateway: Gateway,
    stream: Annotated[bool, Query(description="Stream tokens as server-sent events.")] = False,
) -> TaskResult | StreamingResponse:
    task = task_registry().get(name)
    if task is None:
        raise HTTPException(404, f"No task named {name!r}; GET /v1/tasks lists them.")
    try:
        task_input = task.input_model.model_validate(payload)
    except ValidationError as exc:
        # Reported like any request validation error, with the body's field paths.
        raise RequestValidationError(
            [{**error, "loc": ("body", *error["loc"])} for error in exc.errors()]
        ) from None
    if stream:
        return StreamingResponse(
            sse_events(task, task_input, gateway),
            media_type="text/event-stream",
            headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
        )
    response = await gateway.generate(
        task.alias, task.build_request(task_input), output_model=task.output_model, task=name
    )
    return TaskResult.of(name, task.prompt.version, response, current_request_id())


async def sse_events(task: AnyTask, task_input: Any, gateway: ModelGateway) -> AsyncIterator[bytes]:
    """`delta` events with text, then one `done` (the TaskResult) or `error` (a problem)."""
    request = task.build_request(task_input)
    events = gateway.stream(task.alias, request, output_model=task.output_model, task=task.name)
    async for event in events:
        if isinstance(event, StreamDone):
            result = TaskResult.of(
                task.name, task.prompt.version, event.response, current_request_id()
            )
            yield sse("done", result.model_dump(mode="json"))
        elif isinstance(event, StreamError):
            yield sse(
                "error", {**event.model_dump(mode="json"), "request_id": current_request_id()}
            )
        else:
            yield sse("delta", {"text": event.text})


def sse(event: str, data: dict[str, Any]) -> bytes:
    if event != "delta":  # Text deltas are the model's output; the rest is scrubbed like logs.
        data = scrub_value(data)
    return b"event: " + event.encode() + b"\ndata: " + orjson.dumps(data) + b"\n\n"
