from __future__ import annotations

from fastapi import APIRouter, Response

from .. import __version__
from ..dependencies import Resources
from .checks import run_readiness_checks
from .schemas import Liveness, Readiness

router = APIRouter(prefix="/health", tags=["health"])


@router.get("/live")
async def live() -> Liveness:
    """The process is up. Checks no dependency, so a slow database never restarts the pod."""
    return Liveness(status="ok", version=__version__)


@router.get("/ready", responses={503: {"model": Readiness, "description": "Not ready"}})
async def ready(resources: Resources, response: Response) -> Readiness:
    """Every dependency answers in time and the database schema is at the code's head."""
    reports = await run_readiness_checks(
        resources.readiness_checks, resources.settings.readiness_timeout_seconds
    )
    is_ready = all(report.status == "ok" for report in reports.values())
    if not is_ready:
        response.status_code = 503
    return Readiness(status="ok" if is_ready else "fail", checks=reports)
