from __future__ import annotations

from typing import Literal

from pydantic import BaseModel

Status = Literal["ok", "degraded", "fail"]


class CheckReport(BaseModel):
    status: Status
    latency_ms: float
    detail: str | None = None

    def without_detail(self) -> CheckReport:
        return self.model_copy(update={"detail": None})


class Liveness(BaseModel):
    status: Status
    version: str


class Readiness(BaseModel):
    status: Status
    checks: dict[str, CheckReport]
