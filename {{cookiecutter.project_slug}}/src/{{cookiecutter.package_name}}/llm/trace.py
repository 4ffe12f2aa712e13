"""Which deployments a call tried, for callers that record it (the audit trail)."""

from __future__ import annotations

from contextvars import ContextVar

# The caller sets a fresh list; the gateway appends each attempted deployment's name.
attempted_deployments: ContextVar[list[str] | None] = ContextVar(
    "attempted_deployments", default=None
)
