"""pre-commit: the hooks that stop a bad commit before CI does."""

from __future__ import annotations

from typing import Any

from ..repo import Repo
from .base import Check, Outcome

CONFIG = ".pre-commit-config.yaml"


def hook_ids(repo: Repo) -> set[str]:
    config: Any = repo.yaml(CONFIG)
    repos = config.get("repos") if isinstance(config, dict) else None
    return {
        str(hook["id"])
        for entry in (repos if isinstance(repos, list) else [])
        if isinstance(entry, dict) and isinstance(entry.get("hooks"), list)
        for hook in entry["hooks"]
        if isinstance(hook, dict) and "id" in hook
    }


class PreCommitCheck(Check):
    family = "pre-commit"
    location = CONFIG
    # (need, hook ids): each need is met by any one of its hook ids.
    needs: tuple[tuple[str, tuple[str, ...]], ...] = ()

    @classmethod
    def missing(cls, repo: Repo) -> list[str]:
        ids = hook_ids(repo)
        return [need for need, options in cls.needs if not ids & set(options)]


class PRE001(PreCommitCheck):
    """pre-commit is configured"""

    @classmethod
    def check(cls, ai_service_repo: Repo) -> Outcome:
        """Add `.pre-commit-config.yaml` (the template's runs local, pinned tools offline) and
        install it once with `uv run pre-commit install`."""
        repo = ai_service_repo
        if not repo.exists(CONFIG):
            return cls.fail(f"{CONFIG} is missing.")
        if not hook_ids(repo):
            return cls.fail(f"{CONFIG} defines no hook (or is not valid YAML).")
        return True


class PRE002(PreCommitCheck):
    """pre-commit lints and formats Python"""

    requires = frozenset({"PRE001"})
    needs = (
        ("a linter (ruff-check)", ("ruff-check", "ruff", "flake8", "pylint")),
        ("a formatter (ruff-format)", ("ruff-format", "black")),
    )

    @classmethod
    def check(cls, ai_service_repo: Repo) -> Outcome:
        """Add the `ruff-check` and `ruff-format` hooks (or flake8/pylint and black)."""
        missing = cls.missing(ai_service_repo)
        return cls.fail(f"Missing hooks: {', '.join(missing)}.") if missing else True


class PRE003(PreCommitCheck):
    """pre-commit blocks private keys, credentials and merge conflict markers"""

    requires = frozenset({"PRE001"})
    needs = (
        (
            "a secret scanner (detect-private-key)",
            ("detect-private-key", "detect-secrets", "gitleaks", "trufflehog"),
        ),
        ("check-merge-conflict", ("check-merge-conflict",)),
        ("check-added-large-files", ("check-added-large-files",)),
    )

    @classmethod
    def check(cls, ai_service_repo: Repo) -> Outcome:
        """Add the `detect-private-key` (or detect-secrets/gitleaks), `check-merge-conflict` and
        `check-added-large-files` hooks: a leaked key must never reach a commit."""
        missing = cls.missing(ai_service_repo)
        return cls.fail(f"Missing hooks: {', '.join(missing)}.") if missing else True


class PRE004(PreCommitCheck):
    """pre-commit type-checks"""

    severity = "warning"
    requires = frozenset({"PRE001"})
    needs = (("a type checker (mypy)", ("mypy", "pyright", "basedpyright")),)

    @classmethod
    def check(cls, ai_service_repo: Repo) -> Outcome:
        """Add a `mypy` hook running the project's own mypy (`language: system`,
        `pass_filenames: false`), so commits keep the strict types CI checks."""
        missing = cls.missing(ai_service_repo)
        return cls.fail(f"Missing hooks: {', '.join(missing)}.") if missing else True
