"""Who may see the readiness checks' details (deployment names, revisions, error classes).

The status is for everyone: load balancers and orchestrators need nothing more. The details
help an operator and an attacker alike, so they are shown only where the setting allows.
Once the service authenticates callers, replace the body with a role check, e.g.
`return has_permission(request, "health:details")`.
"""

from __future__ import annotations

from fastapi import Request

from ..core.settings import Settings


def show_readiness_details(request: Request, settings: Settings) -> bool:
    """Whether this caller sees each check's detail; the hook an authorisation check replaces."""
    return settings.effective_readiness_details
