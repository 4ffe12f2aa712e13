from __future__ import annotations

from typing import Literal

from pydantic import BaseModel

Status = Literal["ok", "fail"]


class CheckReport(BaseModel):
    status: Status
    latency_ms: float
    detail: str | None = None


class Liveness(BaseModel):
    status: Status
    version: str


class Readiness(BaseModel):
    status: Status
    checks: dict[str, CheckReport]
