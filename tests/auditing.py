"""Run the audit in tests: through `main(argv)` into a JSON file, and template snapshots.

Projects baked with `baking.bake()` come from the working tree, which may hold uncommitted
changes, so their drift is compared with `--against worktree`. Tests of the recorded-commit
path bake from a snapshot: a copy of the working tree committed to a git repository of its own.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from cookiecutter_ai_service.cli import main

from .baking import SKIP_LOCK_ENV, TEMPLATE_DIR

NOT_TEMPLATE = shutil.ignore_patterns(
    ".git", ".venv", "build", "__pycache__", ".pytest_cache", ".ruff_cache", ".mypy_cache"
)
GIT_IDENTITY = ["-c", "user.name=Audit Tests", "-c", "user.email=audit-tests@example.com"]


def audit(*argv: str | Path, output: Path) -> tuple[int, dict[str, Any]]:
    """Exit code and JSON report of `cookiecutter-ai-service audit --format json ARGV`."""
    code = main(["audit", "--format", "json", "--output", str(output), *map(str, argv)])
    return code, json.loads(output.read_text()) if output.exists() else {}


def results(document: Mapping[str, Any], index: int = 0) -> dict[str, list[dict[str, Any]]]:
    """Results of one repository's report by id (an id can repeat, one per drifted file)."""
    by_id: dict[str, list[dict[str, Any]]] = {}
    for result in document["reports"][index]["results"]:
        by_id.setdefault(result["id"], []).append(result)
    return by_id


def failed(document: Mapping[str, Any], index: int = 0) -> set[str]:
    return {
        result["id"]
        for result in document["reports"][index]["results"]
        if result["status"] in ("fail", "error")
    }


def git(directory: Path, *args: str) -> str:
    result = subprocess.run(
        ["git", *GIT_IDENTITY, *args], cwd=directory, capture_output=True, text=True, check=True
    )
    return result.stdout.strip()


def snapshot_template(destination: Path) -> Path:
    """The template's working tree, committed as the first commit of a new repository."""
    shutil.copytree(TEMPLATE_DIR, destination, ignore=NOT_TEMPLATE)
    git(destination, "init", "-q", "-b", "main")
    git(destination, "add", "-A")
    git(destination, "commit", "-q", "-m", "snapshot")
    return destination


def bake_from(template: Path, output_dir: Path, **answers: str) -> Path:
    """Bake like `baking.bake`, from another template directory (a snapshot)."""
    from cookiecutter.main import cookiecutter

    previous = os.environ.get(SKIP_LOCK_ENV)
    os.environ[SKIP_LOCK_ENV] = "1"
    try:
        return Path(
            cookiecutter(
                str(template), no_input=True, extra_context=answers, output_dir=str(output_dir)
            )
        )
    finally:
        if previous is None:
            os.environ.pop(SKIP_LOCK_ENV, None)
        else:
            os.environ[SKIP_LOCK_ENV] = previous


def copy_project(project: Path, destination: Path) -> Path:
    """A scratch copy of a baked project for one test to break."""
    return Path(shutil.copytree(project, destination / project.name))
