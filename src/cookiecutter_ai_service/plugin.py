"""The checks as a scientific-python repo-review plugin (entry points in pyproject.toml).

repo-review users get them with `repo-review PATH` once this package is installed. Checks the
recorded answers rule out (docker = no, ci_provider = none, a template version older than the
check) are left out, as repo-review plugins do for features a repository does not use.
"""

from __future__ import annotations

from importlib.resources.abc import Traversable
from typing import Any

from .checks import CHECKS, FAMILIES, Check
from .repo import Repo


def ai_service_repo(root: Traversable) -> Repo:
    """Fixture: the repository as the checks read it."""
    return Repo(root)


def repo_review_checks(ai_service_repo: Repo) -> dict[str, Check]:
    answers = ai_service_repo.answers
    return {check.__name__: check() for check in CHECKS if check.applies(answers)}


def repo_review_families() -> dict[str, dict[str, Any]]:
    return {
        family: {
            "name": f"AI service: {info['name']}",
            "order": 100 + info["order"],
            "description": info["description"],
        }
        for family, info in FAMILIES.items()
        if any(check.family == family for check in CHECKS)
    }
