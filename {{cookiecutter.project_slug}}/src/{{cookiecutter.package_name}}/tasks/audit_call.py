"""Each task call becomes exactly one `task.call` event in the audit trail, whatever its end."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import structlog
from fastapi import Request

from ..audit.trail import AuditTrail
from ..auth.principal import Principal
from ..llm.types import ModelResponse
from .registry import AnyTask


@dataclass
class TaskCallRecord:
    principal: Principal
    task: AnyTask
    client: str | None
    deployments: list[str] = field(default_factory=list)

    def details(self, outcome: str, response: ModelResponse[Any] | None) -> dict[str, object]:
        usage = response.usage if response else None
        return {
            "role": self.principal.role.value,
            "prompt_version": self.task.prompt.version,
            "alias": response.alias if response else self.task.alias,
            "deployments": self.deployments,
            "outcome": outcome,
            "cost_usd": str(response.cost_usd if response else Decimal(0)),
            "input_tokens": usage.input_tokens if usage else 0,
            "output_tokens": usage.output_tokens if usage else 0,
            "client": self.client,
        }


def start_record(request: Request, principal: Principal, task: AnyTask) -> TaskCallRecord:
    return TaskCallRecord(
        principal=principal, task=task, client=request.client.host if request.client else None
    )


async def audit_task_call(
    trail: AuditTrail, record: TaskCallRecord, outcome: str, response: ModelResponse[Any] | None
) -> None:
    try:
        await trail.record(
            actor=record.principal.actor,
            action="task.call",
            target=record.task.name,
            details=record.details(outcome, response),
        )
    except Exception:  # Never turn a served answer into an error; the log line says what.
        structlog.get_logger("audit").error(
            "audit_event_not_written", action="task.call", task=record.task.name, exc_info=True
        )
