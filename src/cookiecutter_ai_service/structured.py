"""The entries of a structured file: what must still be there when a team edits it.

Each parser turns a file into a set of readable entries ("job 'test'", "hook 'mypy'",
"[project].dependencies: fastapi"). Version pins, values and order are left out on purpose:
bumping a pin or a version is not drift, removing a job or a dependency is.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from typing import Any

import yaml

from .ci_config import GITLAB_KEYWORDS, as_dict
from .globs import matches

REQUIREMENT_LISTS = re.compile(
    r"^(project\.dependencies|project\.optional-dependencies\.[^.]+|dependency-groups\.[^.]+|"
    r"build-system\.requires)$"
)
REQUIREMENT_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")
MAKE_TARGET = re.compile(r"^([A-Za-z0-9][A-Za-z0-9_.-]*)\s*:(?!=)", re.M)
ENV_NAME = re.compile(r"^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=", re.M)


class Unparsable(Exception):
    pass


def requirement_name(requirement: str) -> str:
    match = REQUIREMENT_NAME.match(requirement)
    name = match.group(1) if match else requirement
    return re.sub(r"[-_.]+", "-", name).lower()


def toml_entries(text: str) -> set[str]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise Unparsable(f"not valid TOML ({error})") from error
    entries: set[str] = set()

    def walk(node: Any, path: str) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                child = f"{path}.{key}" if path else str(key)
                entries.add(child)
                walk(value, child)
        elif isinstance(node, list) and all(isinstance(item, str) for item in node):
            requirements = REQUIREMENT_LISTS.match(path) is not None
            for item in node:
                entries.add(f"{path}: {requirement_name(item) if requirements else item}")

    walk(data, "")
    return entries


def load_yaml(text: str) -> Any:
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise Unparsable(f"not valid YAML ({error})") from error


def precommit_entries(text: str) -> set[str]:
    config = load_yaml(text)
    repos = config.get("repos", []) if isinstance(config, dict) else []
    return {
        f"hook '{hook['id']}'"
        for repo in repos
        if isinstance(repo, dict)
        for hook in repo.get("hooks", [])
        if isinstance(hook, dict) and "id" in hook
    }


def github_entries(text: str) -> set[str]:
    workflow = load_yaml(text)
    if not isinstance(workflow, dict):
        return set()
    jobs = as_dict(workflow.get("jobs"))
    # PyYAML reads the `on:` key as True (YAML 1.1); name it as written.
    keys = {"on" if key is True else str(key) for key in workflow}
    return {f"key '{key}'" for key in keys} | {f"job '{job}'" for job in jobs}


def gitlab_entries(text: str) -> set[str]:
    pipeline = load_yaml(text)
    if not isinstance(pipeline, dict):
        return set()
    return {
        f"key '{key}'" if key in GITLAB_KEYWORDS or str(key).startswith(".") else f"job '{key}'"
        for key in pipeline
    }


def compose_entries(text: str) -> set[str]:
    compose = load_yaml(text)
    if not isinstance(compose, dict):
        return set()
    return {
        f"{section} '{name}'"
        for section in ("services", "volumes", "networks", "secrets")
        if isinstance(compose.get(section), dict)
        for name in compose[section]
    }


def yaml_entries(text: str) -> set[str]:
    data = load_yaml(text)
    return {f"key '{key}'" for key in data} if isinstance(data, dict) else set()


def make_entries(text: str) -> set[str]:
    return {f"target '{name}'" for name in MAKE_TARGET.findall(text) if not name.startswith(".")}


def line_entries(text: str) -> set[str]:
    return {
        f"line '{line.strip()}'"
        for line in text.splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    }


def env_entries(text: str) -> set[str]:
    return {f"variable {name}" for name in ENV_NAME.findall(text)}


PARSERS: tuple[tuple[tuple[str, ...], Callable[[str], set[str]]], ...] = (
    ((".pre-commit-config.yaml",), precommit_entries),
    ((".github/workflows/*.yml", ".github/workflows/*.yaml"), github_entries),
    ((".gitlab-ci.yml",), gitlab_entries),
    (("compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml"), compose_entries),
    (("**/*.toml",), toml_entries),
    (("**/*.yaml", "**/*.yml", "**/*.json"), yaml_entries),
    (("Makefile", "**/Makefile", "**/*.mk"), make_entries),
    (("**/.gitignore", "**/.dockerignore"), line_entries),
    (("**/.env.example", "**/*.env.example"), env_entries),
)


def entries(path: str, text: str) -> set[str] | None:
    """The file's entries; None when no parser knows the file (compared by presence only)."""
    for patterns, parser in PARSERS:
        if any(matches(pattern, path) for pattern in patterns):
            return parser(text)
    return None
