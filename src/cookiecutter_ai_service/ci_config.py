"""CI configuration read the same way for GitHub Actions and GitLab CI: jobs and what they run."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


def as_list(value: Any) -> list[Any]:
    """Parsed YAML is whatever the file says: a list where a list belongs, else nothing."""
    return value if isinstance(value, list) else []


def as_dict(value: Any) -> dict[Any, Any]:
    return value if isinstance(value, dict) else {}


@dataclass(frozen=True)
class CiJob:
    """One CI job, whatever the provider: where it is, its id and everything it runs."""

    path: str
    id: str
    name: str
    commands: str  # every script line, and the actions it uses, joined
    spec: Mapping[str, Any]
    # Folders its steps run in (working-directory, reusable workflows' inputs), repo-relative.
    workdirs: tuple[str, ...] = ()
    # GitHub matrix values by name, to read `make ${{ matrix.target }}` as each target.
    matrix: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


GITLAB_KEYWORDS = frozenset(
    {
        "default",
        "include",
        "stages",
        "variables",
        "workflow",
        "image",
        "services",
        "cache",
        "before_script",
        "after_script",
        "types",
        "spec",
    }
)


def _lines(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [line for item in value for line in _lines(item)]
    return []


def github_jobs(path: str, workflow: Any) -> list[CiJob]:
    if not isinstance(workflow, dict) or not isinstance(workflow.get("jobs"), dict):
        return []
    jobs = []
    for job_id, spec in workflow["jobs"].items():
        if not isinstance(spec, dict):
            continue
        steps = as_list(spec.get("steps"))
        commands = [
            str(step.get("run", "")) + " " + str(step.get("uses", ""))
            for step in steps
            if isinstance(step, dict)
        ]
        if isinstance(spec.get("uses"), str):
            commands.append(spec["uses"])
        jobs.append(
            CiJob(
                path,
                str(job_id),
                str(spec.get("name", job_id)),
                "\n".join(commands),
                spec,
                github_workdirs(workflow, spec, steps),
                github_matrix(spec),
            )
        )
    return jobs


def github_workdirs(
    workflow: dict[str, Any], spec: dict[str, Any], steps: list[Any]
) -> tuple[str, ...]:
    found: list[Any] = [
        as_dict(as_dict(workflow.get("defaults")).get("run")).get("working-directory"),
        as_dict(as_dict(spec.get("defaults")).get("run")).get("working-directory"),
        *(step.get("working-directory") for step in steps if isinstance(step, dict)),
        *as_dict(spec.get("with")).values(),
    ]
    return tuple(
        dict.fromkeys(
            str(value).strip().removeprefix("./").rstrip("/")
            for value in found
            if isinstance(value, str) and value.strip() and "${{" not in value and "\n" not in value
        )
    )


def github_matrix(spec: dict[str, Any]) -> dict[str, tuple[str, ...]]:
    matrix = as_dict(as_dict(spec.get("strategy")).get("matrix"))
    values: dict[str, tuple[str, ...]] = {}
    for name, options in matrix.items():
        if isinstance(options, list):
            values[str(name)] = tuple(str(o) for o in options if isinstance(o, str | int | float))
    for extra in as_list(matrix.get("include")):
        for name, value in as_dict(extra).items():
            if isinstance(value, str | int | float):
                values[str(name)] = (*values.get(str(name), ()), str(value))
    return values


def gitlab_jobs(path: str, pipeline: Any) -> list[CiJob]:
    if not isinstance(pipeline, dict):
        return []
    default = as_dict(pipeline.get("default"))

    def resolved(spec: dict[str, Any], depth: int = 0) -> dict[str, Any]:
        """The job with its `extends` templates merged in (the job's own keys win)."""
        parents = spec.get("extends", [])
        merged: dict[str, Any] = {}
        for parent in [parents] if isinstance(parents, str) else parents:
            template = pipeline.get(parent)
            if isinstance(template, dict) and depth < 10:
                merged.update(resolved(template, depth + 1))
        merged.update(spec)
        return merged

    jobs = []
    for job_id, spec in pipeline.items():
        if job_id in GITLAB_KEYWORDS or str(job_id).startswith(".") or not isinstance(spec, dict):
            continue
        job = resolved(spec)
        lines = [
            *_lines(job.get("before_script", default.get("before_script"))),
            *_lines(job.get("script")),
            *_lines(job.get("after_script", default.get("after_script"))),
        ]
        if isinstance(job.get("trigger"), (str, dict)):
            lines.append(str(job["trigger"]))
        jobs.append(CiJob(path, str(job_id), str(job_id), "\n".join(lines), job))
    return jobs
