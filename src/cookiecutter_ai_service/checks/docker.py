"""Docker: an image that runs as non-root, reports its health and keeps secrets out."""

from __future__ import annotations

import re

from ..repo import Repo
from .base import Check, Outcome
from .dockerfile import final_stage, instructions

DOCKERFILE = "Dockerfile"
ROOT_USERS = {"root", "0"}


class DockerCheck(Check):
    family = "docker"
    unless = (("docker", "no"),)
    location = DOCKERFILE
    requires = frozenset({"DKR001"})


class DKR001(DockerCheck):
    """A Dockerfile builds the service image"""

    requires = frozenset()

    @classmethod
    def check(cls, ai_service_repo: Repo) -> Outcome:
        """Add a multi-stage `Dockerfile` (the template's: uv builds the venv, a slim runtime
        stage runs it)."""
        return True if ai_service_repo.exists(DOCKERFILE) else cls.fail("No Dockerfile.")


class DKR002(DockerCheck):
    """The image runs as a non-root user"""

    @classmethod
    def check(cls, ai_service_repo: Repo) -> Outcome:
        """End the runtime stage with `USER 10001:10001` (a numeric, non-root user created in
        the image), so a compromised process cannot write its own code or escalate."""
        stage = final_stage(instructions(ai_service_repo.text(DOCKERFILE) or ""))
        users = [i for i in stage if i.keyword == "USER"]
        if not users:
            return cls.fail("The runtime stage sets no USER: it runs as root.")
        last = users[-1]
        user = last.arguments.split(":")[0].strip()
        if not user or user in ROOT_USERS:
            return cls.fail(f"The runtime stage runs as {last.arguments}.", line=last.line)
        return True


class DKR003(DockerCheck):
    """The image has a HEALTHCHECK"""

    @classmethod
    def check(cls, ai_service_repo: Repo) -> Outcome:
        """Add `HEALTHCHECK CMD ...` to the runtime stage, requesting `/health/live` (the slim
        image has no curl: the template asks with Python's urllib)."""
        stage = final_stage(instructions(ai_service_repo.text(DOCKERFILE) or ""))
        checks = [i for i in stage if i.keyword == "HEALTHCHECK"]
        if not checks or checks[-1].arguments.upper().startswith("NONE"):
            return cls.fail("The runtime stage has no HEALTHCHECK.")
        return True


class DKR004(DockerCheck):
    """Base images are pinned to a version"""

    severity = "warning"

    @classmethod
    def check(cls, ai_service_repo: Repo) -> Outcome:
        """Name each `FROM` image with a version tag or digest (`python:3.12-slim-bookworm`),
        never a bare name or `:latest`, so a rebuild gets the image you tested."""
        found = instructions(ai_service_repo.text(DOCKERFILE) or "")
        stages: set[str] = set()
        args = {
            i.arguments.split("=", 1)[0].strip()
            for i in found
            if i.keyword == "ARG" and "=" in i.arguments
        }
        for instruction in found:
            if instruction.keyword != "FROM":
                continue
            words = [w for w in instruction.arguments.split() if not w.startswith("--")]
            if not words:
                continue
            image = words[0]
            if len(words) >= 3 and words[1].lower() == "as":
                stages.add(words[2].lower())
            if image.lower() in stages or image == "scratch" or "@sha256:" in image:
                continue
            tag = re.sub(r"\$\{?(\w+)\}?", lambda m: "v" if m.group(1) in args else "", image)
            name, _, version = tag.rpartition(":")
            if not name or "/" in version or version in ("", "latest"):
                return cls.fail(f"FROM {image} is not pinned.", line=instruction.line)
        return True


class DKR005(DockerCheck):
    """.dockerignore keeps .env and .git out of the build context"""

    location = ".dockerignore"

    @classmethod
    def check(cls, ai_service_repo: Repo) -> Outcome:
        """List `.env`, `.env.*` and `.git/` in `.dockerignore`: whatever the context holds can
        end up in an image layer."""
        text = ai_service_repo.text(".dockerignore")
        if text is None:
            return cls.fail("No .dockerignore.")
        entries = {line.strip().lstrip("/").rstrip("/") for line in text.splitlines()}
        missing = [
            name
            for name, options in {
                ".env": {".env", ".env*", "*.env", "**/.env"},
                ".git": {".git", "**/.git"},
            }.items()
            if not entries & options
        ]
        return (
            cls.fail(f".dockerignore does not exclude {', '.join(missing)}.") if missing else True
        )
