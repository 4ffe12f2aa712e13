"""Every check, by family. Importing a family module registers its checks."""

from __future__ import annotations

from typing import TypedDict

from . import ci, database, docker, evals, health, logs, model, owners, precommit, secrets
from .base import Check, Failure, Outcome, Skip


class FamilyInfo(TypedDict):
    name: str
    order: int
    description: str


FAMILIES: dict[str, FamilyInfo] = {
    "provenance": {
        "name": "Provenance",
        "order": 0,
        "description": "The version record (.cruft.json) and how far behind it is.",
    },
    "drift": {
        "name": "Drift",
        "order": 1,
        "description": "Files compared with a fresh render of the template.",
    },
    "health": {
        "name": "Health",
        "order": 10,
        "description": "Liveness and readiness endpoints, wired to the container and probes.",
    },
    "logging": {
        "name": "Logging",
        "order": 11,
        "description": "Structured logs through one pipeline.",
    },
    "secrets": {
        "name": "Secrets",
        "order": 12,
        "description": "No secrets in the repository; settings read them at run time.",
    },
    "database": {
        "name": "Database",
        "order": 13,
        "description": "Migrations checked in and in CI.",
    },
    "model": {
        "name": "Model",
        "order": 14,
        "description": "Model calls through the gateway: pinned ids, timeouts, prices.",
    },
    "evals": {
        "name": "Evals",
        "order": 15,
        "description": "An eval suite, its dataset and a CI gate.",
    },
    "ci": {
        "name": "CI",
        "order": 16,
        "description": "Lint, types and tests in CI; pinned actions; timeouts.",
    },
    "pre-commit": {
        "name": "pre-commit",
        "order": 17,
        "description": "The hooks every commit passes.",
    },
    "docker": {
        "name": "Docker",
        "order": 18,
        "description": "A non-root image with a healthcheck and a clean build context.",
    },
    "waivers": {
        "name": "Waivers and overrides",
        "order": 30,
        "description": "The audit's own configuration in the audited pyproject.toml.",
    },
}
FAMILY_MODULES = (health, logs, secrets, database, model, owners, evals, ci, precommit, docker)
CHECKS: tuple[type[Check], ...] = tuple(
    sorted(Check.registry, key=lambda c: (FAMILIES[c.family]["order"], c.__name__))
)
CHECKS_BY_ID = {check.__name__: check for check in CHECKS}

__all__ = [
    "CHECKS",
    "CHECKS_BY_ID",
    "FAMILIES",
    "FAMILY_MODULES",
    "Check",
    "Failure",
    "Outcome",
    "Skip",
]
