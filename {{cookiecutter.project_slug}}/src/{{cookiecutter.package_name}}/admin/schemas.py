"""The admin and auditor API's bodies."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from ..auth.models import ApiKey
from ..auth.roles import Role


class KeyRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    role: Role
    tasks: list[str] | None = Field(default=None, description="Only these tasks; unset: all.")
    requests_per_minute: int | None = Field(default=None, ge=1)
    tokens_per_minute: int | None = Field(default=None, ge=1)
    concurrent_requests: int | None = Field(default=None, ge=1)
    daily_budget_usd: Decimal | None = Field(default=None, ge=0, max_digits=12, decimal_places=6)
    expires_in_days: int | None = Field(default=None, ge=1, le=3650)


class KeyInfo(BaseModel):
    key_id: str
    name: str
    role: str
    tasks: list[str] | None
    requests_per_minute: int | None
    tokens_per_minute: int | None
    concurrent_requests: int | None
    daily_budget_usd: Decimal | None
    created_at: datetime
    created_by: str
    expires_at: datetime | None
    revoked_at: datetime | None
    last_used_at: datetime | None
    replaced_by: str | None

    @classmethod
    def of(cls, row: ApiKey) -> KeyInfo:
        return cls.model_validate(row, from_attributes=True)


class CreatedKey(BaseModel):
    key: str = Field(description="Shown this once; only its hash is stored.")
    info: KeyInfo


class EventInfo(BaseModel):
    seq: int
    occurred_at: datetime
    request_id: str | None
    actor: str
    action: str
    target: str | None
    details: dict[str, Any]
    hash: str


class EventPage(BaseModel):
    events: list[EventInfo]
    next_after_seq: int | None = Field(description="Pass as after_seq for the next page.")


class KeyUsage(BaseModel):
    actor: str
    calls: int
    failed_calls: int
    input_tokens: int
    output_tokens: int
    cost_usd: Decimal
