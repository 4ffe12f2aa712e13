"""Retention: delete the rows older than nfr.toml's `[retention]` allows.

`python -m {{ cookiecutter.package_name }} retention apply` runs it; schedule it daily (the
runbook shows how). Inference records are deleted here. Audit events are kept: their
retention is left to the audit log's own pruning (docs/governance.md says what exists).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, func, select

from ..core.database import create_engine, create_sessionmaker
from ..core.settings import Settings
from ..llm.inference_records import InferenceRecord
from .nfr import RetentionNfr


@dataclass(frozen=True)
class RetentionResult:
    table: str
    cutoff: datetime
    deleted: int


async def apply_retention(
    settings: Settings,
    retention: RetentionNfr,
    *,
    now: datetime | None = None,
    dry_run: bool = False,
) -> list[RetentionResult]:
    now = now or datetime.now(UTC)
    cutoff = now - timedelta(days=retention.inference_records_days)
    older = InferenceRecord.created_at < cutoff
    engine = create_engine(settings)
    try:
        async with create_sessionmaker(engine)() as session, session.begin():
            if dry_run:
                counted = await session.scalar(
                    select(func.count()).select_from(InferenceRecord).where(older)
                )
                deleted = int(counted or 0)
            else:
                result = await session.execute(delete(InferenceRecord).where(older))
                deleted = int(getattr(result, "rowcount", 0) or 0)
    finally:
        await engine.dispose()
    return [RetentionResult(table=InferenceRecord.__tablename__, cutoff=cutoff, deleted=deleted)]
