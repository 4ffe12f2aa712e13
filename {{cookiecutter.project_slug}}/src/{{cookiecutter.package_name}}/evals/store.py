"""Eval runs in the service's database, so it can say which run approved its model config: the
`eval_runs` and `eval_case_results` tables, and the store that writes and reads them.

A run is stored only in a database that is already migrated: an eval never creates or
upgrades one, and a run without a database (CI, a fresh checkout) is reported, not failed.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Uuid,
    select,
)
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import Mapped, mapped_column

from ..core.database import Base, create_engine, create_sessionmaker, is_memory_database
from ..core.migrations import current_revision, head_revision
from ..core.settings import Settings
from .results import SuiteResults

CONNECT_TIMEOUT_SECONDS = 5.0


class EvalRun(Base):
    __tablename__ = "eval_runs"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    suite: Mapped[str] = mapped_column(String(100), index=True)
    mode: Mapped[str] = mapped_column(String(16))
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    git_sha: Mapped[str | None] = mapped_column(String(64))
    model_config_sha256: Mapped[str] = mapped_column(String(64), index=True)
    prompt_versions: Mapped[dict[str, Any]] = mapped_column(JSON)
    pass_rate: Mapped[float | None] = mapped_column(Float)
    error_rate: Mapped[float] = mapped_column(Float)
    gate_passed: Mapped[bool] = mapped_column(Boolean)
    exit_code: Mapped[int] = mapped_column(Integer)


class EvalCaseResult(Base):
    __tablename__ = "eval_case_results"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    run_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("eval_runs.id", ondelete="CASCADE"), index=True
    )
    case_id: Mapped[str] = mapped_column(String(200))
    repeat: Mapped[int] = mapped_column(Integer)
    passed: Mapped[bool | None] = mapped_column(Boolean)  # None: an error, not measured.
    error_kind: Mapped[str | None] = mapped_column(String(64))
    scores: Mapped[dict[str, Any]] = mapped_column(JSON)
    latency_ms: Mapped[float | None] = mapped_column(Float)
    cost_usd: Mapped[Decimal | None] = mapped_column(Numeric(14, 8))


class RunStoreUnavailableError(Exception):
    """Why runs cannot be stored or read; the message says what to do."""


class EvalRunStore:
    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession]) -> None:
        self._sessionmaker = sessionmaker

    async def save(self, results: SuiteResults) -> None:
        run_id = uuid.UUID(results.run_id)
        async with self._sessionmaker() as session, session.begin():
            session.add(
                EvalRun(
                    id=run_id,
                    suite=results.suite,
                    mode=results.mode,
                    started_at=results.started_at,
                    finished_at=results.finished_at,
                    git_sha=results.git_sha,
                    model_config_sha256=results.models.sha256,
                    prompt_versions=results.prompt_versions,
                    pass_rate=results.aggregate.pass_rate,
                    error_rate=results.aggregate.error_rate,
                    gate_passed=results.gate_passed,
                    exit_code=results.exit_code,
                )
            )
            await session.flush()  # The runs row first: the case rows refer to it.
            session.add_all(
                EvalCaseResult(
                    run_id=run_id,
                    case_id=case.id,
                    repeat=attempt.repeat,
                    passed=attempt.passed,
                    error_kind=attempt.error.kind if attempt.error else None,
                    scores={label: score.value for label, score in attempt.scores.items()},
                    latency_ms=attempt.latency_ms,
                    cost_usd=None if attempt.cost_usd is None else Decimal(str(attempt.cost_usd)),
                )
                for case in results.cases
                for attempt in case.attempts
            )

    async def approvals(self, model_config_sha256: str) -> list[EvalRun]:
        """The latest run that passed its gates, per suite and mode, for this model config."""
        query = (
            select(EvalRun)
            .where(EvalRun.model_config_sha256 == model_config_sha256, EvalRun.gate_passed)
            .order_by(EvalRun.finished_at.desc())
        )
        async with self._sessionmaker() as session:
            runs = (await session.scalars(query)).all()
        latest: dict[tuple[str, str], EvalRun] = {}
        for run in runs:
            latest.setdefault((run.suite, run.mode), run)
        return sorted(latest.values(), key=lambda run: (run.suite, run.mode))


@asynccontextmanager
async def open_run_store(settings: Settings) -> AsyncIterator[EvalRunStore]:
    """The store over the configured database; `RunStoreUnavailableError` unless it is at head."""
    problem = sqlite_problem(make_url(settings.database_url.get_secret_value()))
    if problem is not None:
        raise RunStoreUnavailableError(problem)
    engine = create_engine(settings)
    try:
        try:
            # Bounded: an eval must not hang on a database it only reports to.
            async with asyncio.timeout(CONNECT_TIMEOUT_SECONDS):
                current = await current_revision(engine)
        except Exception as exc:  # The message may name hosts or users: show only the type.
            msg = f"cannot reach the database ({type(exc).__name__})"
            raise RunStoreUnavailableError(msg) from None
        head = head_revision()
        if current != head:
            msg = f"the database is at revision {current}, not {head}: run `make migrate`"
            raise RunStoreUnavailableError(msg)
        yield EvalRunStore(create_sessionmaker(engine))
    finally:
        await engine.dispose()


def sqlite_problem(url: URL) -> str | None:
    """Connecting would create an empty SQLite file: say so instead."""
    if url.get_backend_name() != "sqlite":
        return None
    if is_memory_database(url):
        return "the database is in memory"
    if not Path(url.database or "").exists():
        return f"no database at {url.database}: run `make migrate` to create one"
    return None
