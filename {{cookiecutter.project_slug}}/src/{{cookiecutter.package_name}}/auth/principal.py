"""Who is calling: an API key, an OIDC subject, or an anonymous loopback client."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .roles import Permission, Role, permissions_of


@dataclass(frozen=True)
class Limits:
    requests_per_minute: int | None = None
    tokens_per_minute: int | None = None
    concurrent_requests: int | None = None
    daily_budget_usd: Decimal | None = None


@dataclass(frozen=True)
class Principal:
    # "key:<id>", "oidc:<subject>" or "anonymous": what the audit trail names as the actor.
    actor: str
    role: Role
    tasks: frozenset[str] | None = None  # None: every task.
    limits: Limits = Limits()

    def can(self, permission: Permission) -> bool:
        return permission in permissions_of(self.role)

    def may_run(self, task: str) -> bool:
        return self.can(Permission.RUN_TASKS) and (self.tasks is None or task in self.tasks)


ANONYMOUS = Principal(actor="anonymous", role=Role.CALLER)
