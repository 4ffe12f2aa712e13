"""The `eval_pass_rate` gauge: the latest run of each suite for the model config being served."""

from __future__ import annotations

import structlog
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from ..observability.metrics import set_eval_pass_rate
from .store import EvalRun


async def publish_eval_pass_rates(
    sessionmaker: async_sessionmaker[AsyncSession], model_config_sha256: str
) -> dict[str, float]:
    """Set the gauge from the `eval_runs` table; a database that is not ready is only logged.

    Called at start-up: an eval run is tied to the model config's SHA-256, so a new config
    shows no pass rate until `make eval` (or CI) ran against it.
    """
    query = (
        select(EvalRun.suite, EvalRun.pass_rate)
        .where(EvalRun.model_config_sha256 == model_config_sha256)
        .order_by(EvalRun.finished_at.desc())
    )
    rates: dict[str, float] = {}
    try:
        async with sessionmaker() as session:
            for suite, rate in (await session.execute(query)).all():
                if rate is not None:
                    rates.setdefault(suite, float(rate))
    except Exception:  # No table yet, database down: readiness reports those.
        structlog.get_logger("observability").warning("eval_pass_rate_not_read", exc_info=True)
        return {}
    for suite, rate in rates.items():
        set_eval_pass_rate(suite, rate)
    return rates
