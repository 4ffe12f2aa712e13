"""Roles and what each may do: the one table to read when asking "who can do what?"."""

from __future__ import annotations

from enum import StrEnum


class Permission(StrEnum):
    LIST_TASKS = "list_tasks"
    RUN_TASKS = "run_tasks"
    READ_HEALTH_DETAILS = "read_health_details"
    READ_AUDIT = "read_audit"
    READ_USAGE = "read_usage"
    MANAGE_KEYS = "manage_keys"


class Role(StrEnum):
    VIEWER = "viewer"
    CALLER = "caller"
    AUDITOR = "auditor"
    ADMIN = "admin"


ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.VIEWER: frozenset({Permission.LIST_TASKS, Permission.READ_HEALTH_DETAILS}),
    Role.CALLER: frozenset(
        {Permission.LIST_TASKS, Permission.RUN_TASKS, Permission.READ_HEALTH_DETAILS}
    ),
    Role.AUDITOR: frozenset(
        {
            Permission.LIST_TASKS,
            Permission.READ_HEALTH_DETAILS,
            Permission.READ_AUDIT,
            Permission.READ_USAGE,
        }
    ),
    Role.ADMIN: frozenset(Permission),
}


def permissions_of(role: Role) -> frozenset[Permission]:
    return ROLE_PERMISSIONS[role]
