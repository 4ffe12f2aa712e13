from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Response

from .. import __version__
from ..auth.dependencies import optional_principal
from ..auth.principal import Principal
from ..auth.roles import Permission
from ..dependencies import Resources
from .checks import run_readiness_checks
from .schemas import Liveness, Readiness

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

    The status is public (load balancers ask without a credential); the per-check details
    name the dependencies, so they need a role with `read_health_details`.
    """
    reports = await run_readiness_checks(
        resources.readiness_checks, resources.settings.readiness_timeout_seconds
    )
    is_ready = all(report.status == "ok" for report in reports.values())
    if not is_ready:
        response.status_code = 503
    shown = principal is not None and principal.can(Permission.READ_HEALTH_DETAILS)
    return Readiness(status="ok" if is_ready else "fail", checks=reports if shown else {})
