"""Which Dockerfile builds the deployed image, and which of its stages is deployed.

Tried in order: a Dockerfile that CI builds (`docker/build-push-action`, `docker build -f`),
one that compose builds from the service's folder, `Dockerfile` in the service root, at the
repository root, then any other Dockerfile of the service (`docker/Dockerfile.service`), then
the shallowest elsewhere. The deployed stage is the target CI or compose names, else a stage
named like production (`production`, `runtime`, `final`, ...), else the last one that is not a
development or test stage. A stage built `FROM` another stage inherits its USER and HEALTHCHECK.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from typing import Any

from ..ci_config import as_dict, as_list
from ..repo import Repo
from .dockerfile import Instruction, instructions

DOCKERFILE = re.compile(r"(^|/)(?:Dockerfile(?:\.[\w.-]+)?|[\w.-]+\.[Dd]ockerfile|Containerfile)$")
NOT_DEPLOYED = re.compile(r"(^|/)(tests?|examples?|\.devcontainer|node_modules|docs|fixtures)/")
COMPOSE = re.compile(r"(^|/)(?:docker-)?compose(?:[.-][\w.-]+)?\.ya?ml$")
PRODUCTION_STAGE = re.compile(r"(?i)^(prod|production|runtime|release|final|deploy|app|server)$")
DEV_STAGE = re.compile(r"(?i)(dev|test|debug|ci|lint|local)")


@dataclass(frozen=True)
class Image:
    path: str
    context: str  # the build context, repo-relative ("" for the root)
    stage: str | None  # the deployed stage's name, None for an unnamed last stage
    why: str  # how this Dockerfile and stage were chosen
    instructions: tuple[Instruction, ...]  # the deployed stage, with what it inherits


def norm(folder: str, name: str = "") -> str:
    parts: list[str] = []
    for part in f"{folder}/{name}".split("/"):
        if part in ("", "."):
            continue
        if part == ".." and parts:
            parts.pop()
        elif part != "..":
            parts.append(part)
    return "/".join(parts)


def dockerfiles(repo: Repo) -> list[str]:
    return [p for p in repo.files if DOCKERFILE.search(p) and not NOT_DEPLOYED.search(p)]


Build = tuple[str, str | None, str, str]


def builds(repo: Repo) -> list[Build]:
    """(Dockerfile, target, where it is named, context) built by CI, then by compose for the
    service."""
    found: list[Build] = []
    for job in repo.ci_jobs:
        for step in as_list(job.spec.get("steps")):
            step = as_dict(step)
            # docker/, useblacksmith/, depot/...: the same inputs
            if "build-push-action" in str(step.get("uses", "")):
                options = as_dict(step.get("with"))
                context = clean(options.get("context")) or ""
                file = clean(options.get("file")) or norm(context, "Dockerfile")
                found.append((norm(file), clean(options.get("target")), job.path, norm(context)))
            run = step.get("run")
            if isinstance(run, str) and "docker build" in run:
                found.extend((f, t, job.path, c) for f, t, c in docker_build(run))
    for path in repo.files:
        if not COMPOSE.search(path):
            continue
        folder = path.rsplit("/", 1)[0] if "/" in path else ""
        for service in as_dict(as_dict(repo.yaml(path)).get("services")).values():
            build = as_dict(service).get("build") if isinstance(service, dict) else None
            if isinstance(build, str):
                build = {"context": build}
            if not isinstance(build, dict):
                continue
            context = norm(folder, str(build.get("context", ".")))
            file = norm(context, str(build.get("dockerfile", "Dockerfile")))
            if context == repo.service or file.startswith(repo.svc("")):
                found.append((file, clean(build.get("target")), path, context))
    return found


def clean(value: Any) -> str | None:
    return value if isinstance(value, str) and value and "${{" not in value else None


def docker_build(run: str) -> list[tuple[str, str | None, str]]:
    found = []
    for line in run.splitlines():
        if "docker build" not in line:
            continue
        try:
            words = shlex.split(line.replace("\\", " "))
        except ValueError:
            continue
        file, target, context = None, None, "."
        options = iter(words[words.index("build") + 1 :] if "build" in words else [])
        for word in options:
            if word in ("-f", "--file"):
                file = next(options, None)
            elif word == "--target":
                target = next(options, None)
            elif word.startswith("-"):
                if word in ("-t", "--tag", "--build-arg", "--platform", "--label"):
                    next(options, None)
            elif not any(char in word for char in "$()'\"+%"):
                context = word  # a shell expansion's pieces are not the context
        found.append((norm(file or norm(context, "Dockerfile")), target, norm(context)))
    return found


def _deployed(repo: Repo) -> Image | None:
    present = set(dockerfiles(repo))
    if not present:
        return None
    chosen: Build | None = None
    for file, target, where, context in builds(repo):
        if file in present:
            chosen = (file, target, f"built by {where}", context)
            break
    if chosen is None:
        service = [p for p in present if p.startswith(repo.svc(""))]
        ordered = sorted(
            present,
            key=lambda p: (
                p != repo.svc("Dockerfile"),
                p != "Dockerfile",
                p not in service,
                p.count("/"),
                p,
            ),
        )
        folder = ordered[0].rsplit("/", 1)[0] if "/" in ordered[0] else ""
        chosen = (ordered[0], None, "the service's Dockerfile", folder)
    path, target, why, context = chosen
    found = instructions(repo.text(path) or "")
    stage, chain = stage_of(found, target)
    named = f"stage {stage!r}" if stage else "its last stage"
    return Image(path, context, stage, f"{path} ({why}), {named}", tuple(chain))


def deployed(repo: Repo) -> Image | None:
    return repo.memo("deployed image", lambda: _deployed(repo))  # type: ignore[no-any-return]


def stages(found: list[Instruction]) -> list[tuple[str | None, str, list[Instruction]]]:
    """(name, base image, instructions) per FROM."""
    result: list[tuple[str | None, str, list[Instruction]]] = []
    for instruction in found:
        if instruction.keyword == "FROM":
            words = [w for w in instruction.arguments.split() if not w.startswith("--")]
            name = words[2].lower() if len(words) >= 3 and words[1].lower() == "as" else None
            result.append((name, words[0].lower() if words else "", [instruction]))
        elif result:
            result[-1][2].append(instruction)
    return result


def stage_of(found: list[Instruction], target: str | None) -> tuple[str | None, list[Instruction]]:
    """The deployed stage's name and its instructions after those of the stages it builds on."""
    parts = stages(found)
    if not parts:
        return None, found
    by_name = {name: index for index, (name, _, _) in enumerate(parts) if name}
    index = by_name.get((target or "").lower())
    if index is None:
        production = [
            i for i, (name, _, _) in enumerate(parts) if name and PRODUCTION_STAGE.match(name)
        ]
        usable = [
            i for i, (name, _, _) in enumerate(parts) if not (name and DEV_STAGE.search(name))
        ]
        index = (production or usable or [len(parts) - 1])[-1]
    chain: list[Instruction] = []
    seen: set[int] = set()
    current: int | None = index
    while current is not None and current not in seen:
        seen.add(current)
        _, base, own = parts[current]
        chain = own + chain
        current = by_name.get(base)
    return parts[index][0], chain
