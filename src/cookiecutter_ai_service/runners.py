"""The tasks of make, task runners and package scripts: name -> the commands it runs.

Makefiles (targets, prerequisites, recipes), taskipy and poethepoet tables in pyproject.toml,
go-task's Taskfile.yml, justfiles and package.json scripts, read as text and parsed data.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from .ci_config import as_dict, as_list

if TYPE_CHECKING:
    from .repo import Repo

MAX_DEPTH = 4


def join(folder: str, name: str) -> str:
    return f"{folder}/{name}" if folder else name


def make_recipes(text: str | None) -> dict[str, tuple[list[str], str]]:
    """target -> (prerequisites, recipe lines) of a Makefile."""
    recipes: dict[str, tuple[list[str], str]] = {}
    current: list[str] = []
    for line in (text or "").splitlines():
        if line.startswith("\t") and current:
            for name in current:
                prereqs, body = recipes[name]
                recipes[name] = (prereqs, body + line.strip() + "\n")
            continue
        match = re.match(r"^([\w.\-/% ]+?)\s*::?(?!=)\s*([^=#]*?)\s*(?:#.*)?$", line)
        if match and not line.startswith((" ", "#")):
            current = match.group(1).split()
            prereqs = match.group(2).split(";")[0].split()
            for name in current:
                recipes[name] = (prereqs, recipes.get(name, ([], ""))[1])
        elif line.strip() and not line.startswith("\t"):
            current = []
    return recipes


def recipe_closure(
    recipes: dict[str, tuple[list[str], str]], name: str, depth: int = 0
) -> Iterator[tuple[str, str]]:
    if name not in recipes or depth > MAX_DEPTH:
        return
    prereqs, body = recipes[name]
    yield name, body
    for prereq in prereqs:
        yield from recipe_closure(recipes, prereq, depth + 1)


def task_table(repo: Repo, tool: str, folder: str) -> dict[str, str]:
    """A task runner's tasks in a folder: name -> the commands it runs."""
    if tool in ("npm", "pnpm", "yarn", "bun"):
        try:
            package = json.loads(repo.text(join(folder, "package.json")) or "{}")
        except ValueError:
            return {}
        scripts = as_dict(package.get("scripts") if isinstance(package, dict) else None)
        return {str(k): str(v) for k, v in scripts.items()}
    if tool == "just":
        return just_recipes(
            repo.text(join(folder, "justfile")) or repo.text(join(folder, "Justfile"))
        )
    if tool == "task" and not repo.toml(join(folder, "pyproject.toml")):
        return taskfile(repo, folder)
    pyproject = as_dict(repo.toml(join(folder, "pyproject.toml")))
    tools = as_dict(pyproject.get("tool"))
    table = as_dict(tools.get("taskipy", {}).get("tasks") if tool == "task" else None)
    if tool == "poe":
        table = as_dict(tools.get("poe", {}).get("tasks"))
    tasks = {str(name): task_command(spec) for name, spec in table.items()}
    return tasks if tasks or tool != "task" else taskfile(repo, folder)


def task_command(spec: Any) -> str:
    if isinstance(spec, str):
        return spec
    if isinstance(spec, list):
        return "\n".join(task_command(item) for item in spec)
    spec = as_dict(spec)
    for key in ("cmd", "shell", "script", "sequence", "ref", "cmds"):
        if key in spec:
            return task_command(spec[key])
    return ""


def taskfile(repo: Repo, folder: str) -> dict[str, str]:
    for name in ("Taskfile.yml", "Taskfile.yaml", "taskfile.yml"):
        tasks = as_dict(as_dict(repo.yaml(join(folder, name))).get("tasks"))
        if tasks:
            return {
                str(task): "\n".join(
                    [task_command(as_dict(spec).get("cmds", spec))]
                    + [
                        f"task {dep}"
                        for dep in as_list(as_dict(spec).get("deps"))
                        if isinstance(dep, str)
                    ]
                )
                for task, spec in tasks.items()
            }
    return {}


def just_recipes(text: str | None) -> dict[str, str]:
    recipes: dict[str, str] = {}
    current = ""
    for line in (text or "").splitlines():
        match = re.match(r"^@?([\w-]+)[^:=]*:(?!=)\s*(.*)$", line)
        if match and not line.startswith((" ", "\t", "#")):
            current = match.group(1)
            recipes[current] = " ".join(f"just {dep}" for dep in match.group(2).split()) + "\n"
        elif line.startswith((" ", "\t")) and current:
            recipes[current] += line.strip().lstrip("@-") + "\n"
        elif line.strip():
            current = ""
    return recipes
