"""pre-commit: the hooks that stop a bad commit before CI does.

A hook is known by what it runs, not only by its id: `local-ruff-check` with the entry
`uv run ruff check` is a linter, `local-mypy` a type checker. The config is read at the service
root first, then at the repository root (where git, and so pre-commit, looks for it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..repo import Repo
from .base import Check, Outcome

CONFIGS = (".pre-commit-config.yaml", ".pre-commit-config.yml")
CONFIG = CONFIGS[0]
HOOK_KINDS = {
    "a linter (ruff-check)": re.compile(r"ruff(?![-_\s]*format)|flake8|pylint|pyflakes"),
    "a formatter (ruff-format)": re.compile(r"ruff[-_\s]*format|\bblack\b"),
    "a secret scanner (detect-private-key)": re.compile(
        r"detect-private-key|detect-secrets|gitleaks|trufflehog|ripsecrets|secretlint"
    ),
    "check-merge-conflict": re.compile(r"check-merge-conflict"),
    "check-added-large-files": re.compile(r"check-added-large-files"),
    "a type checker (mypy)": re.compile(r"mypy|pyright|pyrefly|\bty\b|pytype"),
}


@dataclass(frozen=True)
class Hook:
    id: str
    name: str
    entry: str

    @property
    def text(self) -> str:
        return f"{self.id} {self.name} {self.entry}"


def config_path(repo: Repo) -> str | None:
    for folder in dict.fromkeys((repo.service, "")):
        for name in CONFIGS:
            path = f"{folder}/{name}" if folder else name
            if repo.exists(path):
                return path
    return None


def hooks(repo: Repo, path: str | None) -> list[Hook]:
    config: Any = repo.yaml(path) if path else None
    repos = config.get("repos") if isinstance(config, dict) else None
    return [
        Hook(str(hook["id"]), str(hook.get("name", "")), str(hook.get("entry", "")))
        for entry in (repos if isinstance(repos, list) else [])
        if isinstance(entry, dict) and isinstance(entry.get("hooks"), list)
        for hook in entry["hooks"]
        if isinstance(hook, dict) and "id" in hook
    ]


class PreCommitCheck(Check):
    family = "pre-commit"
    location = CONFIG
    needs: tuple[str, ...] = ()  # keys of HOOK_KINDS

    @classmethod
    def verdict(cls, repo: Repo) -> Outcome:
        path = config_path(repo)
        found = hooks(repo, path)
        missing = [
            need for need in cls.needs if not any(HOOK_KINDS[need].search(h.text) for h in found)
        ]
        if not missing:
            return True
        ids = ", ".join(hook.id for hook in found) or "none"
        return cls.fail(
            f"Missing hooks: {', '.join(missing)} (looked at the id, name and entry of each "
            f"hook in {path}: {ids}).",
            path=path,
        )


class PRE001(PreCommitCheck):
    """pre-commit is configured"""

    @classmethod
    def check(cls, ai_service_repo: Repo) -> Outcome:
        """Add `.pre-commit-config.yaml` (the template's runs local, pinned tools offline) and
        install it once with `uv run pre-commit install`."""
        repo = ai_service_repo
        path = config_path(repo)
        if path is None:
            where = " or ".join(dict.fromkeys((repo.svc(CONFIG), CONFIG)))
            return cls.fail(f"No pre-commit config: looked for {where}.")
        if not hooks(repo, path):
            return cls.fail(f"{path} defines no hook (or is not valid YAML).", path=path)
        return True


class PRE002(PreCommitCheck):
    """pre-commit lints and formats Python"""

    requires = frozenset({"PRE001"})
    needs = ("a linter (ruff-check)", "a formatter (ruff-format)")

    @classmethod
    def check(cls, ai_service_repo: Repo) -> Outcome:
        """Add the `ruff-check` and `ruff-format` hooks (or flake8/pylint and black)."""
        return cls.verdict(ai_service_repo)


class PRE003(PreCommitCheck):
    """pre-commit blocks private keys, credentials and merge conflict markers"""

    requires = frozenset({"PRE001"})
    needs = (
        "a secret scanner (detect-private-key)",
        "check-merge-conflict",
        "check-added-large-files",
    )

    @classmethod
    def check(cls, ai_service_repo: Repo) -> Outcome:
        """Add the `detect-private-key` (or detect-secrets/gitleaks), `check-merge-conflict` and
        `check-added-large-files` hooks: a leaked key must never reach a commit."""
        return cls.verdict(ai_service_repo)


class PRE004(PreCommitCheck):
    """pre-commit type-checks"""

    severity = "warning"
    requires = frozenset({"PRE001"})
    needs = ("a type checker (mypy)",)

    @classmethod
    def check(cls, ai_service_repo: Repo) -> Outcome:
        """Add a type-checker hook (`mypy`, or pyright, pyrefly, ty) running the project's own
        tool (`language: system`, `pass_filenames: false`), so commits keep the types CI
        checks."""
        return cls.verdict(ai_service_repo)
