"""Who may see the readiness checks' details (deployment names, revisions, error classes).

The status is for everyone: load balancers and orchestrators need nothing more. The details
help an operator and an attacker alike, so they are shown to a caller whose role grants
`read_health_details`, or to everyone where the setting says so (by default in development
and test only).
"""

from __future__ import annotations

from ..auth.principal import Principal
from ..auth.roles import Permission
from ..core.settings import Settings


def show_readiness_details(principal: Principal | None, settings: Settings) -> bool:
    """Whether this caller sees each check's detail."""
    if principal is not None and principal.can(Permission.READ_HEALTH_DETAILS):
        return True
    return settings.effective_readiness_details
