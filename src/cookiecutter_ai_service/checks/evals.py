"""Evals: a suite, a dataset it runs on, and a CI job that fails when quality drops."""

from __future__ import annotations

import re

from ..repo import Repo
from .base import Check, Outcome

SUITE_DIRS = ("evals", "tests/evals")
DATASETS = ("*.jsonl", "*.json", "*.csv", "*.yaml", "*.yml", "*.parquet")
EVAL_COMMAND = re.compile(r"(?i)\bevals?\b|make\s+eval")


class EvalCheck(Check):
    family = "evals"
    introduced = "0.3.0"
    location = "evals/"


SUITE_FILES = ("suites/*.toml", "suites/*.yaml", "suites/*.yml", "**.py")


def suite_files(repo: Repo) -> list[str]:
    """Suite declarations (the template's `evals/suites/*.toml`) or Python eval code."""
    return repo.glob(*(f"{folder}/{name}" for folder in SUITE_DIRS for name in SUITE_FILES))


class EVL001(EvalCheck):
    """An eval suite exists (evals/)"""

    @classmethod
    def check(cls, ai_service_repo: Repo) -> Outcome:
        """Add an `evals/` suite that runs each task on a fixed dataset and scores the answers,
        with a threshold that fails the run (see the template's `make eval`)."""
        if any(not path.endswith("__init__.py") for path in suite_files(ai_service_repo)):
            return True
        return cls.fail(
            "No eval suite (evals/suites/*.toml or Python files under evals/ or tests/evals/)."
        )


class EVL002(EvalCheck):
    """The eval suite has a dataset checked in"""

    requires = frozenset({"EVL001"})

    @classmethod
    def check(cls, ai_service_repo: Repo) -> Outcome:
        """Check in the cases the suite scores (`evals/**/*.jsonl` or similar), reviewed like
        code, so a score change is explained by a commit."""
        repo = ai_service_repo
        patterns = [f"{folder}/**/{name}" for folder in SUITE_DIRS for name in DATASETS]
        if any((repo.text(path) or "").strip() for path in repo.glob(*patterns)):
            return True
        return cls.fail("No non-empty dataset file under evals/.")


class EVL003(EvalCheck):
    """CI runs the evals as a gate"""

    requires = frozenset({"EVL001"})
    unless = (("ci_provider", "none"),)

    @classmethod
    def check(cls, ai_service_repo: Repo) -> Outcome:
        """Add a CI job that runs the eval suite (`make eval`) and fails below the threshold,
        so a prompt or model change that lowers quality cannot merge."""
        repo = ai_service_repo
        if not repo.has_ci:
            return None
        for job in repo.ci_jobs:
            if EVAL_COMMAND.search(job.commands) or EVAL_COMMAND.search(job.id):
                return True
        return cls.fail("No CI job runs the evals.", path=repo.ci_location)
