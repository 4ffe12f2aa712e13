"""Health: liveness and readiness endpoints, and the container and probes wired to them."""

from __future__ import annotations

import re
from typing import Any

from ..ci_config import as_dict
from ..repo import Repo
from .base import Check, Outcome, Skip
from .dockerfile import instructions
from .images import COMPOSE, deployed, norm, stage_of
from .logs import app_line
from .routes import Route, routes

HEALTH_URL = re.compile(r"(?i)/health|/live|/ready|healthz|readyz|livez|/ping|/status|heartbeat")


def summary(found: list[Route]) -> str:
    if not found:
        return "no route whose path says health, live, ready, ping, status or heartbeat"
    shown = "; ".join(
        f"{route.where} reaches {', '.join(route.touches[:4])}" if route.touches else route.where
        for route in found[:4]
    )
    return f"health routes found: {shown}"


class HLT001(Check):
    """Liveness endpoint: the service answers a health route that checks no dependency"""

    family = "health"

    @classmethod
    def check(cls, ai_service_repo: Repo) -> Outcome:
        """Add `GET /health/live` answering 200 while the process is up, without touching the
        database or any other dependency, so a slow dependency never restarts the service."""
        repo = ai_service_repo
        found = routes(repo)
        if any(not route.readiness for route in found):
            return True
        first = found[0] if found else None
        return cls.fail(
            "No liveness route: every health route's handler reaches a dependency, so it is "
            f"readiness, not liveness ({summary(found)}); searched "
            f"{len(repo.service_python_files)} service files under {repo.service_label}."
            if found
            else f"No liveness route ({summary(found)}) in {len(repo.service_python_files)} "
            f"service files under {repo.service_label}.",
            path=first.file if first else repo.app_file,
            line=first.line if first else app_line(repo),
        )


class HLT002(Check):
    """Readiness endpoint: a health route that checks the service's dependencies"""

    family = "health"

    @classmethod
    def check(cls, ai_service_repo: Repo) -> Outcome:
        """Add `GET /health/ready` that checks each dependency (database, migrations at head)
        with a timeout and answers 503 when one fails, so traffic waits until it would succeed."""
        repo = ai_service_repo
        found = routes(repo)
        if any(route.readiness for route in found):
            return True
        first = found[0] if found else None
        return cls.fail(
            f"No readiness route: no health route's handler checks a dependency ({summary(found)})"
            f" in {len(repo.service_python_files)} service files under {repo.service_label}.",
            path=first.file if first else repo.app_file,
            line=first.line if first else app_line(repo),
        )


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
        image = deployed(ai_service_repo)
        if image is None:
            return Skip("nothing to check: no Dockerfile")
        for instruction in image.instructions:
            if instruction.keyword == "HEALTHCHECK" and HEALTH_URL.search(instruction.arguments):
                return True
        return cls.fail(
            f"The deployed stage has no HEALTHCHECK calling a health route. Read {image.why}.",
            path=image.path,
            line=image.instructions[0].line if image.instructions else None,
        )


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
            if "readinessProbe" in (repo.text(path) or "") and not COMPOSE.search(path)
        ]
        for path in manifests:
            if HEALTH_URL.search(repo.text(path) or ""):
                return True
        ours = compose_services(repo)
        if not manifests and not ours:
            return Skip(
                "nothing to check: no Kubernetes manifest with probes, and no compose service "
                f"built from the service folder ({repo.service_label})"
            )
        for _path, _name, service, build in ours:
            healthcheck = service.get("healthcheck")
            if isinstance(healthcheck, dict) and HEALTH_URL.search(str(healthcheck.get("test"))):
                return True
            if healthcheck is None and image_healthcheck(repo, build):
                return True  # the image's HEALTHCHECK applies in compose
        where = ", ".join(f"{name} in {path}" for path, name, _, _ in ours) or "none"
        return cls.fail(
            "No probe calls a health route: the Kubernetes manifests with probes "
            f"({', '.join(manifests) or 'none'}) name none, and the compose services built from "
            f"the service ({where}) have no healthcheck on one.",
            path=(ours[0][0] if ours else manifests[0]),
        )


def image_healthcheck(repo: Repo, build: tuple[str, str | None]) -> bool:
    """Whether the stage a compose service builds has a HEALTHCHECK on a health route."""
    path, target = build
    _, chain = stage_of(instructions(repo.text(path) or ""), target)
    return any(i.keyword == "HEALTHCHECK" and HEALTH_URL.search(i.arguments) for i in chain)


def compose_services(
    repo: Repo,
) -> list[tuple[str, str, dict[str, Any], tuple[str, str | None]]]:
    """(compose file, service name, spec, (Dockerfile, target)) of compose services that build
    the service: from its folder, or the deployed Dockerfile wherever its context is (one root
    Dockerfile building a service in api/)."""
    image = deployed(repo)
    found = []
    for path in repo.files:
        if not COMPOSE.search(path):
            continue
        folder = path.rsplit("/", 1)[0] if "/" in path else ""
        for name, service in as_dict(as_dict(repo.yaml(path)).get("services")).items():
            build = as_dict(service).get("build") if isinstance(service, dict) else None
            if isinstance(build, str):
                build = {"context": build}
            if not isinstance(build, dict):
                continue
            context = norm(folder, str(build.get("context", ".")))
            file = norm(context, str(build.get("dockerfile", "Dockerfile")))
            ours = context == repo.service or (repo.service and file.startswith(repo.svc("")))
            if ours or (image is not None and file == image.path):
                found.append((path, str(name), service, (file, build.get("target"))))
    return found
