"""Evals: a suite, a dataset it runs on, and a CI job that fails when quality drops.

A suite is recognised in any of its common shapes: the template's `evals/suites/*.toml`, code
under an `evals/` or `eval/` folder (also inside the package, `<pkg>/eval/`), pytest files named
for evaluation (`tests/test_evaluation.py`, `test_evals_*.py`), promptfoo configs, and modules
that import an eval framework (pydantic-evals, inspect-ai, deepeval, ragas, promptfoo's Python
API, LangSmith or Phoenix evaluation).
"""

from __future__ import annotations

import ast
import re

from ..repo import Repo
from .base import Check, Outcome, Skip
from .llm import imported_modules, no_model_calls, uses

SUITE_PATTERNS = (
    "evals/**",
    "eval/**",
    "**/evals/**",
    "**/eval/**",
    "**/test_eval*.py",
    "**/*_eval.py",
    "**/*_evals.py",
    "**/promptfooconfig.y*ml",
    "**/promptfoo*.y*ml",
)
SUITE_SUFFIXES = (".py", ".toml", ".yaml", ".yml")
FRAMEWORKS = (
    "pydantic_evals",
    "inspect_ai",
    "deepeval",
    "ragas",
    "promptfoo",
    "langsmith.evaluation",
    "phoenix.evals",
    "trulens",
    "openai.evals",
)
DATASETS = (".jsonl", ".json", ".csv", ".yaml", ".yml", ".parquet")
EVAL_COMMAND = re.compile(
    r"(?i)\bevals?\b|make\s+eval|promptfoo|inspect\s+eval|deepeval|test_eval\w*\.py"
)
SHAPES = (
    "evals/ or eval/ folders (also inside the package), test_eval*.py, promptfoo configs, and "
    "imports of pydantic_evals, inspect_ai, deepeval, ragas, langsmith.evaluation, phoenix.evals"
)


class EvalCheck(Check):
    family = "evals"
    introduced = "0.3.0"
    location = "evals/"


def suite_files(repo: Repo) -> list[str]:
    """Files of eval suites: declarations, eval code and modules that use an eval framework."""

    def compute() -> list[str]:
        found = [
            path
            for path in repo.glob(*SUITE_PATTERNS)
            if path.endswith(SUITE_SUFFIXES)
            and not path.endswith("__init__.py")
            and "/node_modules/" not in path
            and not path.startswith(".github/")
        ]
        for path in repo.files:
            if path.endswith(".py") and path not in found:
                text = repo.text(path) or ""
                if any(name.split(".")[0] in text for name in FRAMEWORKS) and uses(
                    imported_modules(text), FRAMEWORKS
                ):
                    found.append(path)
        return found

    return repo.memo("eval suites", compute)  # type: ignore[no-any-return]


def folders(paths: list[str]) -> set[str]:
    """The suites' folders; for `evals/suites/`, the eval folder that holds it too."""
    found = {path.rsplit("/", 1)[0] if "/" in path else "" for path in paths}
    return found | {f.rsplit("/", 1)[0] for f in found if f.endswith("/suites") and "/" in f}


def inline_cases(text: str) -> bool:
    """Cases written in the code: `Case(inputs=<literal>)` (pydantic-evals) or a promptfoo
    config's `tests:`."""
    if re.search(r"(?m)^tests:", text):
        return True
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return False
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Case":
            for keyword in node.keywords:
                if keyword.arg == "inputs" and isinstance(
                    keyword.value, ast.Constant | ast.Dict | ast.List | ast.Tuple
                ):
                    return True
    return False


class EVL001(EvalCheck):
    """An eval suite exists"""

    @classmethod
    def check(cls, ai_service_repo: Repo) -> Outcome:
        """Add an `evals/` suite that runs each task on a fixed dataset and scores the answers,
        with a threshold that fails the run (see the template's `make eval`)."""
        repo = ai_service_repo
        if suite_files(repo):
            return True
        reason = no_model_calls(repo)
        if reason:
            return Skip(reason)
        return cls.fail(f"No eval suite: looked for {SHAPES}.", path=repo.svc("evals/"))


class EVL002(EvalCheck):
    """The eval suite has a dataset checked in"""

    requires = frozenset({"EVL001"})

    @classmethod
    def check(cls, ai_service_repo: Repo) -> Outcome:
        """Check in the cases the suite scores (`evals/**/*.jsonl` or similar), reviewed like
        code, so a score change is explained by a commit."""
        repo = ai_service_repo
        suites = suite_files(repo)
        places = folders(suites)
        for path in repo.files:
            folder = path.rsplit("/", 1)[0] if "/" in path else ""
            if (
                path.endswith(DATASETS)
                and "promptfoo" not in path
                and any(folder == p or folder.startswith(p + "/") for p in places if p)
                and (repo.text(path) or "").strip()
            ):
                return True
        if any(inline_cases(repo.text(path) or "") for path in suites):
            return True
        shown = ", ".join(sorted(places)[:4]) or "."
        return cls.fail(
            f"No dataset: no non-empty {', '.join(DATASETS)} file beside the suite ({shown}) "
            "and no cases written in it (`Case(inputs=...)`, promptfoo `tests:`).",
            path=suites[0],
        )


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
            return Skip("nothing to check: the repository has no CI configuration")
        if repo.ci_runs(EVAL_COMMAND) or any(EVAL_COMMAND.search(job.id) for job in repo.ci_jobs):
            return True
        suites = suite_files(repo)
        tests = [p for p in suites if re.search(r"(^|/)tests?/(.*/)?test_[^/]*\.py$", p)]
        if tests and repo.ci_runs(re.compile(r"\bpytest\b")):
            return True  # pytest collects the eval tests with the others
        return cls.fail(
            f"No CI job runs the evals ({', '.join(suites[:3])}): looked for eval, promptfoo, "
            f"inspect eval and deepeval commands and pytest over eval tests in "
            f"{repo.ci_summary()}, following make targets, task runners, scripts and hooks.",
            path=repo.ci_location,
        )
