"""`inference_records`: one row per model attempt; `spend_counters`: the shared budget ledger."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import BigInteger, Date, DateTime, Float, Integer, Numeric, String, Uuid, func
from sqlalchemy.orm import Mapped, mapped_column

from ..core.database import Base


class InferenceRecord(Base):
    __tablename__ = "inference_records"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), index=True
    )
    request_id: Mapped[str | None] = mapped_column(String(128), index=True)
    # Always ours, unlike request_id, which may be the caller's X-Request-ID.
    server_request_id: Mapped[str | None] = mapped_column(String(32))
    call_id: Mapped[str] = mapped_column(String(32), index=True)
    task: Mapped[str | None] = mapped_column(String(100))
    alias: Mapped[str] = mapped_column(String(100))
    deployment: Mapped[str] = mapped_column(String(100))
    served_model: Mapped[str] = mapped_column(String(200))
    prompt_version: Mapped[str | None] = mapped_column(String(100))
    attempt: Mapped[int] = mapped_column(Integer)
    outcome: Mapped[str] = mapped_column(String(32))
    input_tokens: Mapped[int] = mapped_column(BigInteger)
    output_tokens: Mapped[int] = mapped_column(BigInteger)
    cost_usd: Mapped[Decimal] = mapped_column(Numeric(14, 8))
    latency_ms: Mapped[float] = mapped_column(Float)


class SpendCounter(Base):
    """Today's spend and in-flight reservations per scope ("global", "alias:x", "key:y")."""

    __tablename__ = "spend_counters"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    scope: Mapped[str] = mapped_column(String(200), primary_key=True)
    spent_usd: Mapped[Decimal] = mapped_column(Numeric(18, 9))
    reserved_usd: Mapped[Decimal] = mapped_column(Numeric(18, 9))
