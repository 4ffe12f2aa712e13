"""Bake the template and run a baked project's own tools, in the shared test environment."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from cookiecutter.main import cookiecutter

TEMPLATE_DIR = Path(__file__).resolve().parent.parent
SKIP_LOCK_ENV = "AI_SERVICE_TEMPLATE_SKIP_LOCK"
BIN_DIR = Path(sys.executable).parent


def bake(output_dir: Path, *, lock: bool = False, **answers: Any) -> Path:
    """Render the template with `answers` over the defaults; return the project directory."""
    previous = os.environ.get(SKIP_LOCK_ENV)
    if lock:
        os.environ.pop(SKIP_LOCK_ENV, None)
    else:
        os.environ[SKIP_LOCK_ENV] = "1"
    try:
        project = cookiecutter(
            str(TEMPLATE_DIR),
            no_input=True,
            extra_context=answers,
            output_dir=str(output_dir),
        )
    finally:
        if previous is None:
            os.environ.pop(SKIP_LOCK_ENV, None)
        else:
            os.environ[SKIP_LOCK_ENV] = previous
    return Path(project)


def tool_environment(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The shared environment's tools first on PATH, and no APP_* leaking in from outside."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("APP_")}
    env["PATH"] = f"{BIN_DIR}{os.pathsep}{env.get('PATH', '')}"
    env.pop("VIRTUAL_ENV", None)
    env.update(extra or {})
    return env


def run(
    command: Sequence[str],
    cwd: Path,
    *,
    env: Mapping[str, str] | None = None,
    timeout: float = 600,
) -> subprocess.CompletedProcess[str]:
    """Run a command in a baked project; the caller asserts on the result."""
    return subprocess.run(
        list(command),
        cwd=cwd,
        env=tool_environment(env),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def describe(result: subprocess.CompletedProcess[str]) -> str:
    """A failure message that shows what the command printed."""
    return (
        f"`{' '.join(result.args)}` exited {result.returncode}\n"
        f"--- stdout ---\n{result.stdout[-6000:]}\n--- stderr ---\n{result.stderr[-6000:]}"
    )
