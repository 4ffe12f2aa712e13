"""Health: liveness and readiness endpoints, and the container and probes wired to them."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..ci_config import as_dict
from ..repo import Repo
from .base import Check, Outcome
from .dockerfile import final_stage, instructions

ROUTE_DECORATOR = re.compile(
    r"""(?:@\s*[\w.]+\.(?:get|head|api_route|route)|add_api_route|\bRoute|\bMount)\(\s*["']([^"']*)["']"""
)
ROUTER_PREFIX = re.compile(r"""APIRouter\([^)]*prefix\s*=\s*["']([^"']*)["']""", re.S)
LIVENESS = re.compile(r"(?i)live|healthz|/ping\b|^/health/?$")
READINESS = re.compile(r"(?i)ready|readiness")
HEALTH_PATH = re.compile(r"(?i)/health|/live|/ready|healthz|readyz|livez")
COMPOSE_FILES = ("compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml")


@dataclass(frozen=True)
class Route:
    path: str
    file: str


def routes(repo: Repo) -> list[Route]:
    """HTTP routes declared in the service code, with their router's prefix when it has one."""
    found = []
    for file in repo.service_python_files:
        text = repo.text(file) or ""
        prefix = ROUTER_PREFIX.search(text)
        for match in ROUTE_DECORATOR.finditer(text):
            path = match.group(1)
            found.append(Route((prefix.group(1) if prefix else "") + path, file))
    return found


class HLT001(Check):
    """Liveness endpoint: the service answers a health route that checks no dependency"""

    family = "health"

    @classmethod
    def check(cls, ai_service_repo: Repo) -> Outcome:
        """Add `GET /health/live` answering 200 while the process is up, without touching the
        database or any other dependency, so a slow dependency never restarts the service."""
        if any(LIVENESS.search(route.path) for route in routes(ai_service_repo)):
            return True
        return cls.fail("No liveness route (/health/live, /healthz, /livez) in the service code.")


class HLT002(Check):
    """Readiness endpoint: a health route that checks the service's dependencies"""

    family = "health"

    @classmethod
    def check(cls, ai_service_repo: Repo) -> Outcome:
        """Add `GET /health/ready` that checks each dependency (database, migrations at head)
        with a timeout and answers 503 when one fails, so traffic waits until it would succeed."""
        if any(READINESS.search(route.path) for route in routes(ai_service_repo)):
            return True
        return cls.fail("No readiness route (/health/ready, /readyz) in the service code.")


class HLT003(Check):
    """The container image's HEALTHCHECK calls a health endpoint"""

    family = "health"
    severity = "warning"
    requires = frozenset({"DKR001"})
    unless = (("docker", "no"),)
    location = "Dockerfile"

    @classmethod
    def check(cls, ai_service_repo: Repo) -> Outcome:
        """Give the runtime stage a `HEALTHCHECK` that requests the liveness endpoint
        (`/health/live`), so Docker marks a hung process unhealthy."""
        text = ai_service_repo.text("Dockerfile")
        if text is None:
            return None
        for instruction in final_stage(instructions(text)):
            if instruction.keyword == "HEALTHCHECK" and HEALTH_PATH.search(instruction.arguments):
                return True
        return cls.fail("The Dockerfile's runtime stage has no HEALTHCHECK calling a health route.")


class HLT004(Check):
    """Compose or Kubernetes probes call the health endpoints"""

    family = "health"
    severity = "warning"
    unless = (("docker", "no"),)

    @classmethod
    def check(cls, ai_service_repo: Repo) -> Outcome:
        """Give the service in compose a `healthcheck` on `/health/ready` (and, in Kubernetes, a
        `readinessProbe` on `/health/ready` and a `livenessProbe` on `/health/live`), so the
        orchestrator sends traffic only to ready instances."""
        repo = ai_service_repo
        manifests = [
            path
            for path in repo.glob("**/*.yaml", "**/*.yml")
            if "readinessProbe" in (repo.text(path) or "")
        ]
        compose = [path for path in COMPOSE_FILES if repo.exists(path)]
        if not manifests and not compose:
            return None
        for path in manifests:
            if HEALTH_PATH.search(repo.text(path) or ""):
                return True
        for path in compose:
            services = as_dict(as_dict(repo.yaml(path)).get("services"))
            for service in services.values():
                healthcheck = service.get("healthcheck") if isinstance(service, dict) else None
                if isinstance(healthcheck, dict) and HEALTH_PATH.search(
                    str(healthcheck.get("test"))
                ):
                    return True
        return cls.fail(
            "No compose healthcheck or Kubernetes probe calls a health route.",
            path=(compose or manifests)[0],
        )
