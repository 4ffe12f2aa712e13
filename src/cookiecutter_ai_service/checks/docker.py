"""Docker: an image that runs as non-root, reports its health and keeps secrets out."""

from __future__ import annotations

import re

from ..globs import matches
from ..repo import Repo
from .base import Check, Outcome, Skip
from .dockerfile import instructions
from .images import Image, deployed

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
        repo = ai_service_repo
        if deployed(repo):
            return True
        return cls.fail(
            "No Dockerfile: looked for Dockerfile, Dockerfile.*, *.Dockerfile and Containerfile "
            f"anywhere in the repository (service root: {repo.service_label}), outside tests "
            "and examples.",
            path=repo.svc(DOCKERFILE),
        )


class DKR002(DockerCheck):
    """The image runs as a non-root user"""

    @classmethod
    def check(cls, ai_service_repo: Repo) -> Outcome:
        """End the runtime stage with `USER 10001:10001` (a numeric, non-root user created in
        the image), so a compromised process cannot write its own code or escalate."""
        image = deployed(ai_service_repo)
        if image is None:
            return Skip("nothing to check: no Dockerfile")
        users = [i for i in image.instructions if i.keyword == "USER"]
        if not users:
            return cls.fail(
                f"The deployed stage sets no USER (nor do the stages it builds on): it runs as "
                f"root. Read {image.why}.",
                path=image.path,
                line=image.instructions[0].line if image.instructions else None,
            )
        last = users[-1]
        user = last.arguments.split(":")[0].strip()
        if not user or user in ROOT_USERS:
            return cls.fail(
                f"The deployed stage runs as {last.arguments} ({image.why}).",
                path=image.path,
                line=last.line,
            )
        return True


class DKR003(DockerCheck):
    """The image has a HEALTHCHECK"""

    @classmethod
    def check(cls, ai_service_repo: Repo) -> Outcome:
        """Add `HEALTHCHECK CMD ...` to the runtime stage, requesting `/health/live` (the slim
        image has no curl: the template asks with Python's urllib)."""
        image = deployed(ai_service_repo)
        if image is None:
            return Skip("nothing to check: no Dockerfile")
        checks = [i for i in image.instructions if i.keyword == "HEALTHCHECK"]
        if not checks or checks[-1].arguments.upper().startswith("NONE"):
            return cls.fail(
                f"The deployed stage has no HEALTHCHECK. Read {image.why}.",
                path=image.path,
                line=image.instructions[0].line if image.instructions else None,
            )
        return True


class DKR004(DockerCheck):
    """Base images are pinned to a version"""

    severity = "warning"

    @classmethod
    def check(cls, ai_service_repo: Repo) -> Outcome:
        """Name each `FROM` image with a version tag or digest (`python:3.12-slim-bookworm`),
        never a bare name or `:latest`, so a rebuild gets the image you tested."""
        image = deployed(ai_service_repo)
        if image is None:
            return Skip("nothing to check: no Dockerfile")
        found = instructions(ai_service_repo.text(image.path) or "")
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
            base = words[0]
            if len(words) >= 3 and words[1].lower() == "as":
                stages.add(words[2].lower())
            if base.lower() in stages or base == "scratch" or "@sha256:" in base:
                continue
            tag = re.sub(r"\$\{?(\w+)\}?", lambda m: "v" if m.group(1) in args else "", base)
            name, _, version = tag.rpartition(":")
            if not name or "/" in version or version in ("", "latest"):
                return cls.fail(
                    f"FROM {base} is not pinned.", path=image.path, line=instruction.line
                )
        return True


class DKR005(DockerCheck):
    """.dockerignore keeps .env and .git out of the build context"""

    location = ".dockerignore"

    @classmethod
    def check(cls, ai_service_repo: Repo) -> Outcome:
        """List `.env`, `.env.*` and `.git/` in `.dockerignore`: whatever the context holds can
        end up in an image layer."""
        repo = ai_service_repo
        image = deployed(repo)
        if image is None:
            return Skip("nothing to check: no Dockerfile")
        candidates = dockerignores(image)
        path = next((p for p in candidates if repo.exists(p)), None)
        if path is None:
            return cls.fail(
                f"No .dockerignore for {image.why}: looked for {', '.join(candidates)}.",
                path=candidates[-1],
            )
        patterns = [
            line.strip().removeprefix("/").removeprefix("./").removeprefix("**/").rstrip("/")
            for line in (repo.text(path) or "").splitlines()
            if line.strip() and not line.lstrip().startswith(("#", "!"))
        ]
        # .git is in the context only when the context is the repository's top.
        needed = (".env", ".git") if image.context == "" else (".env",)
        missing = [name for name in needed if not any(matches(p, name) for p in patterns)]
        if missing:
            return cls.fail(f"{path} does not exclude {', '.join(missing)}.", path=path)
        return True


def dockerignores(image: Image) -> list[str]:
    """Where Docker reads the ignore file for this build: `<Dockerfile>.dockerignore`, then
    `.dockerignore` at the root of the build context."""
    context = f"{image.context}/.dockerignore" if image.context else ".dockerignore"
    return [f"{image.path}.dockerignore", context]
