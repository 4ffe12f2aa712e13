"""`/v1/tasks`: list the tasks, run one (as JSON or as a server-sent event stream)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Body, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError
from starlette.responses import StreamingResponse

from ..audit.trail import AuditTrail
from ..auth.dependencies import forbidden, get_authenticator, require
from ..auth.principal import Principal
from ..auth.roles import Permission
from ..core.logging import current_request_id
from ..llm.dependencies import Gateway
from ..llm.errors import ModelError
from ..llm.gateway import ModelGateway
from ..llm.ledger import SpendLimit
from ..llm.trace import attempted_deployments
from ..llm.types import ModelResponse, StreamDone, StreamError
from .audit_call import TaskCallRecord, audit_task_call, start_record
from .registry import AnyTask, task_registry
from .schemas import TaskInfo, TaskResult

router = APIRouter(prefix="/v1/tasks", tags=["tasks"])
MODEL_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"description": "No valid credential"},
    403: {"description": "The credential may not run this task"},
    429: {"description": "The key's rate limit is reached"},
    404: {"description": "No such task"},
    502: {"description": "The model failed or gave an invalid answer after every attempt"},
    503: {"description": "Models unavailable, rate limited, circuit open or budget spent"},
    504: {"description": "The model timed out after every attempt"},
}


@router.get("", dependencies=[require(Permission.LIST_TASKS)])
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
    request: Request,
    principal: Annotated[Principal, require(Permission.RUN_TASKS)],
    stream: Annotated[bool, Query(description="Stream tokens as server-sent events.")] = False,
) -> TaskResult | StreamingResponse:
    if not principal.may_run(name):
        raise forbidden(f"This credential may not run task {name!r}.")
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
    record = start_record(request, principal, task)
    trail: AuditTrail = request.state.audit
    if stream:
        return StreamingResponse(
            sse_events(task, task_input, gateway, record, trail, request),
            media_type="text/event-stream",
            headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
        )
    attempted_deployments.set(record.deployments)
    try:
        response = await gateway.generate(
            task.alias,
            task.build_request(task_input),
            output_model=task.output_model,
            task=name,
            spend_limits=key_budget(principal),
        )
    except ModelError as error:
        await settle_call(request, record, trail, error.kind.value, None)
        raise
    await settle_call(request, record, trail, "ok", response)
    return TaskResult.of(name, task.prompt.version, response, current_request_id())


def key_budget(principal: Principal) -> list[SpendLimit]:
    """The caller's own daily budget, counted in the shared ledger beside the global one."""
    budget = principal.limits.daily_budget_usd
    return [SpendLimit(principal.actor, budget)] if budget is not None else []


async def settle_call(
    request: Request,
    record: TaskCallRecord,
    trail: AuditTrail,
    outcome: str,
    response: ModelResponse | None,
) -> None:
    """Count the call's tokens against the key's limit and write its audit event."""
    if response is not None:
        limits = record.principal.limits
        tokens = response.usage.input_tokens + response.usage.output_tokens
        await get_authenticator(request).limiter.add_tokens(record.principal.actor, limits, tokens)
    await audit_task_call(trail, record, outcome, response)


async def sse_events(
    task: AnyTask,
    task_input: Any,
    gateway: ModelGateway,
    record: TaskCallRecord,
    trail: AuditTrail,
    http_request: Request,
) -> AsyncIterator[bytes]:
    """`delta` events with text, then one `done` (the TaskResult) or `error` (a problem)."""
    attempted_deployments.set(record.deployments)
    request = task.build_request(task_input)
    events = gateway.stream(
        task.alias,
        request,
        output_model=task.output_model,
        task=task.name,
        spend_limits=key_budget(record.principal),
    )
    outcome, response = "cancelled", None
    try:
        async for event in events:
            if isinstance(event, StreamDone):
                outcome, response = "ok", event.response
                result = TaskResult.of(
                    task.name, task.prompt.version, event.response, current_request_id()
                )
                yield sse("done", result.model_dump(mode="json"))
            elif isinstance(event, StreamError):
                outcome = event.kind.value
                yield sse(
                    "error", {**event.model_dump(mode="json"), "request_id": current_request_id()}
                )
            else:
                yield sse("delta", {"text": event.text})
    finally:
        await settle_call(http_request, record, trail, outcome, response)


def sse(event: str, data: dict[str, Any]) -> bytes:
    return b"event: " + event.encode() + b"\ndata: " + orjson.dumps(data) + b"\n\n"
