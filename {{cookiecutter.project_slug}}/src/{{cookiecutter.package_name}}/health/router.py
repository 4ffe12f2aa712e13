from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Response

from .. import __version__
from ..auth.dependencies import optional_principal
from ..auth.principal import Principal
from ..dependencies import Resources
from .checks import run_readiness_checks
from .schemas import Liveness, Readiness, Status
from .visibility import show_readiness_details

router = APIRouter(prefix="/health", tags=["health"])


@router.get("/live")
async def live() -> Liveness:
    """The process is up. Checks no dependency, so a slow database never restarts the pod."""
    return Liveness(status="ok", version=__version__)


@router.get("/ready", responses={503: {"model": Readiness, "description": "Not ready"}})
async def ready(
    resources: Resources,
    response: Response,
    principal: Annotated[Principal | None, Depends(optional_principal)],
) -> Readiness:
    """Every dependency answers in time and the database schema is at the code's head.

    "degraded" (still 200): working, but something needs attention, e.g. set-aside records.
    The status is public (load balancers ask without a credential); each check's detail names
    dependencies, so it is shown only to callers `show_readiness_details` allows.
    """
    reports = await run_readiness_checks(
        resources.readiness_checks, resources.settings.readiness_timeout_seconds
    )
    statuses = {report.status for report in reports.values()}
    status: Status = (
        "fail" if "fail" in statuses else "degraded" if "degraded" in statuses else "ok"
    )
    if status == "fail":
        response.status_code = 503
    if not show_readiness_details(principal, resources.settings):
        reports = {name: report.without_detail() for name, report in reports.items()}
    return Readiness(status=status, checks=reports)
