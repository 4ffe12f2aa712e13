"""Which commit a run measured, for the results and the database."""

from __future__ import annotations

import shutil
import subprocess


def git_sha() -> str | None:
    """The checked-out commit, or None outside a git work tree (an sdist, a bare container)."""
    git = shutil.which("git")
    if git is None:
        return None
    try:
        completed = subprocess.run(  # noqa: S603 - a fixed command, no user input
            [git, "rev-parse", "HEAD"], capture_output=True, text=True, check=True, timeout=10
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return completed.stdout.strip() or None
