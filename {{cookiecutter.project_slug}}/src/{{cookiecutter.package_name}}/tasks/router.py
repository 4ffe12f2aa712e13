"""`/v1/tasks`: the task list, and one typed route per task, made from the registry at start-up.

`POST /v1/tasks/<name>` takes the task's input model as its body and answers
`TaskResult[<output model>]`, so the OpenAPI schema shows both; `?stream=true` answers with
server-sent events instead (`delta`, then `done` or `error`).
"""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Body, Depends, HTTPException, Query, Request
from pydantic import BaseModel
from starlette.responses import StreamingResponse

from ..audit.trail import AuditTrail
from ..auth.dependencies import forbidden, get_authenticator, require
from ..auth.principal import Principal
from ..auth.roles import Permission
from ..core.logging import current_request_id
from ..core.openapi import MODEL_CALL, PROTECTED, WITH_BODY, problem_responses
from ..core.scrubbing import scrub_value
from ..dependencies import Audit, Gateway
from ..llm.errors import ModelError
from ..llm.gateway import ModelGateway
from ..llm.ledger import SpendLimit
from ..llm.trace import attempted_deployments
from ..llm.types import ModelResponse, StreamDone, StreamError
from .audit_call import TaskCallRecord, audit_task_call, start_record
from .input_guard import bounded_fields
from .registry import AnyTask, TaskRegistry
from .schemas import TaskInfo, TaskResult

SSE_HEADERS = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
STREAM_DESCRIPTION = (
    "With `?stream=true`: `text/event-stream`, `delta` events (`{text}`), then one `done` "
    "(the TaskResult) or `error` (`{kind, message, incomplete, request_id}`)."
)
# One server-sent event, as OpenAPI 3.2 describes a stream's items; `data` is JSON text.
SSE_EVENT_SCHEMA = {
    "type": "object",
    "required": ["event", "data"],
    "properties": {
        "event": {"type": "string", "enum": ["delta", "done", "error"]},
        "data": {"type": "string", "contentMediaType": "application/json"},
    },
}


def build_router(registry: TaskRegistry) -> APIRouter:
    router = APIRouter(prefix="/v1/tasks", tags=["tasks"])

    @router.get(
        "",
        responses=problem_responses(*PROTECTED),
        dependencies=[require(Permission.LIST_TASKS)],
    )
    async def list_tasks() -> list[TaskInfo]:
        return [task_info(task) for task in registry]

    for task in registry:
        router.add_api_route(
            f"/{task.name}",
            task_endpoint(task),
            methods=["POST"],
            name=f"run_{task.name}",
            operation_id=f"run_{task.name}",
            summary=f"Run {task.name}",
            description=f"{task.description}\n\n{STREAM_DESCRIPTION}",
            response_model=TaskResult[task.output_model],  # type: ignore[name-defined]
            dependencies=[Depends(bounded_fields(task.input_model))],
            responses={
                200: {"content": {"text/event-stream": {"schema": SSE_EVENT_SCHEMA}}},
                **problem_responses(*WITH_BODY, *PROTECTED, *MODEL_CALL),
            },
        )

    @router.post("/{name}", include_in_schema=False, dependencies=[require(Permission.RUN_TASKS)])
    async def unknown_task(name: str) -> None:
        raise HTTPException(404, f"No task named {name!r}; GET /v1/tasks lists them.")

    return router


def task_endpoint(task: AnyTask) -> Callable[..., Awaitable[Any]]:
    """A route function whose signature FastAPI reads: the body is the task's input model."""
    result_model = TaskResult[task.output_model]  # type: ignore[name-defined]

    async def run_task(
        task_input: BaseModel,
        gateway: ModelGateway,
        stream: bool,
        request: Request,
        principal: Principal,
        trail: AuditTrail,
    ) -> TaskResult[Any] | StreamingResponse:
        if not principal.may_run(task.name):
            raise forbidden(f"This credential may not run task {task.name!r}.")
        record = start_record(request, principal, task)
        if stream:
            events = sse_events(task, task_input, gateway, result_model, request, record, trail)
            return StreamingResponse(events, media_type="text/event-stream", headers=SSE_HEADERS)
        attempted_deployments.set(record.deployments)
        try:
            response = await task.run(gateway, task_input, key_budget(principal))
        except ModelError as error:
            await settle_call(request, record, trail, error.kind.value, None)
            raise
        await settle_call(request, record, trail, "ok", response)
        result: TaskResult[Any] = result_model.of(
            task.name, task.prompt.version, response, current_request_id()
        )
        return result

    parameter = inspect.Parameter
    run_task.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [
            parameter(
                "task_input",
                parameter.KEYWORD_ONLY,
                annotation=Annotated[task.input_model, Body(description=f"The {task.name} input.")],
            ),
            parameter("gateway", parameter.KEYWORD_ONLY, annotation=Gateway),
            parameter("request", parameter.KEYWORD_ONLY, annotation=Request),
            parameter(
                "principal",
                parameter.KEYWORD_ONLY,
                annotation=Annotated[Principal, require(Permission.RUN_TASKS)],
            ),
            parameter("trail", parameter.KEYWORD_ONLY, annotation=Audit),
            parameter(
                "stream",
                parameter.KEYWORD_ONLY,
                annotation=Annotated[bool, Query(description="Stream server-sent events.")],
                default=False,
            ),
        ]
    )
    return run_task


def task_info(task: AnyTask) -> TaskInfo:
    return TaskInfo(
        name=task.name,
        description=task.description,
        alias=task.alias,
        prompt_version=task.prompt.version,
        input_schema=task.input_model.model_json_schema(),
        output_schema=task.output_schema,
    )


def key_budget(principal: Principal) -> list[SpendLimit]:
    """The caller's own daily budget, counted in the shared ledger beside the global one."""
    budget = principal.limits.daily_budget_usd
    return [SpendLimit(principal.actor, budget)] if budget is not None else []


async def settle_call(
    request: Request,
    record: TaskCallRecord,
    trail: AuditTrail,
    outcome: str,
    response: ModelResponse[Any] | None,
) -> None:
    """Count the call's tokens against the key's limit and write its audit event."""
    if response is not None:
        tokens = response.usage.input_tokens + response.usage.output_tokens
        principal = record.principal
        await get_authenticator(request).limiter.add_tokens(
            principal.actor, principal.limits, tokens
        )
    await audit_task_call(trail, record, outcome, response)


async def sse_events(
    task: AnyTask,
    task_input: BaseModel,
    gateway: ModelGateway,
    result_model: type[TaskResult[Any]],
    request: Request,
    record: TaskCallRecord,
    trail: AuditTrail,
) -> AsyncIterator[bytes]:
    """`delta` events with text, then one `done` (the TaskResult) or `error` (a problem)."""
    attempted_deployments.set(record.deployments)
    outcome, response = "cancelled", None
    try:
        async for event in task.stream(gateway, task_input, key_budget(record.principal)):
            if isinstance(event, StreamDone):
                outcome, response = "ok", event.response
                result = result_model.of(
                    task.name, task.prompt.version, event.response, current_request_id()
                )
                yield sse("done", result.model_dump(mode="json"))
            elif isinstance(event, StreamError):
                outcome = event.kind.value
                error = {**event.model_dump(mode="json"), "request_id": current_request_id()}
                yield sse("error", error)
            else:
                yield sse("delta", {"text": event.text})
    finally:
        await settle_call(request, record, trail, outcome, response)


def sse(event: str, data: dict[str, Any]) -> bytes:
    if event != "delta":  # Text deltas are the model's output; the rest is scrubbed like logs.
        data = scrub_value(data)
    return b"event: " + event.encode() + b"\ndata: " + orjson.dumps(data) + b"\n\n"
