"""Readiness checks: each one is an async function that raises when its dependency is not ready."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING

import structlog
from sqlalchemy import text

from ..core.migrations import current_revision, head_revision
from .schemas import CheckReport, Status

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncEngine

# A readiness check returns an optional detail when healthy and raises when not.
ReadinessCheck = Callable[[], Awaitable[str | None]]


class NotReadyError(Exception):
    """A failure whose message is safe to show in the readiness response."""


class DegradedError(Exception):
    """Raised by a check that works but needs attention: reported, and the service stays ready."""


def database_checks(engine: AsyncEngine) -> dict[str, ReadinessCheck]:
    head = head_revision()

    async def database() -> str | None:
        async with engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
        return None

    async def migrations() -> str | None:
        current = await current_revision(engine)
        if current != head:
            raise NotReadyError(f"database is at revision {current}, the code expects {head}")
        return f"at head {head}"

    return {"database": database, "migrations": migrations}


async def run_readiness_checks(
    checks: Mapping[str, ReadinessCheck], timeout_seconds: float
) -> dict[str, CheckReport]:
    reports = await asyncio.gather(
        *(_run_one(name, check, timeout_seconds) for name, check in checks.items())
    )
    return dict(zip(checks, reports, strict=True))


async def _run_one(name: str, check: ReadinessCheck, timeout_seconds: float) -> CheckReport:
    started = time.perf_counter()
    status: Status = "ok"
    detail: str | None = None
    try:
        async with asyncio.timeout(timeout_seconds):
            detail = await check()
    except TimeoutError:
        status, detail = "fail", f"timed out after {timeout_seconds}s"
    except NotReadyError as exc:
        status, detail = "fail", str(exc)
    except DegradedError as exc:
        status, detail = "degraded", str(exc)
    except Exception as exc:
        # The exception may name hosts or users: log it, show only its type.
        structlog.get_logger("health").warning("readiness_check_failed", check=name, exc_info=exc)
        status, detail = "fail", type(exc).__name__
    latency_ms = round((time.perf_counter() - started) * 1000, 3)
    return CheckReport(status=status, latency_ms=latency_ms, detail=detail)
