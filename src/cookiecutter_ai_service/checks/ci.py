"""CI: lint, types and tests run on every change; actions pinned; jobs time out."""

from __future__ import annotations

import re
from typing import Any, ClassVar

from ..ci_config import CiJob, as_dict, as_list
from ..repo import Repo
from .base import Check, Failure, Outcome, Skip, first_line

# The tools of each family, as they appear in a command or a pre-commit hook; a make target or
# task named after the step counts only when it cannot be read (a Makefile outside the repo).
LINT = re.compile(
    r"ruff\s+check|\bruff\s+(?:\.|[\w.-]+/)|ruff-check|ruff-action|^\s*ruff\s*$|"
    r"\bflake8\b|\bpylint\b|\bpyflakes\b|\bmake\s+(?:lint|check)(?![\w-])",
    re.M,
)
TYPES = re.compile(
    r"\bmypy\b|\b(?:based)?pyright\b|\bpyrefly\b|\bty\s+check\b|\bpytype\b|"
    r"\bmake\s+(?:typecheck|check)(?![\w-])"
)
TESTS = re.compile(
    r"\bpytest\b|\bunittest\b|\bhatch\s+test\b|\bcoverage\s+run\b|\btox\b|\bnox\b|"
    r"\bmake\s+(?:test|check)(?![\w-])"
)
FOLLOWED = (
    "following make targets, task runners (taskipy, poe, just, Taskfile, npm scripts, tox, "
    "nox), scripts, reusable workflows and pre-commit hooks"
)
PINNED_ACTION = re.compile(r"^[^@\s]+@[0-9a-f]{40}$")


class CiCheck(Check):
    family = "ci"
    unless: ClassVar[tuple[tuple[str, str], ...]] = (("ci_provider", "none"),)
    location = ".github/workflows/ci.yml"


class GitHubCheck(CiCheck):
    unless = (("ci_provider", "none"), ("ci_provider", "gitlab"))


class GitLabCheck(CiCheck):
    unless = (("ci_provider", "none"), ("ci_provider", "github"))
    location = ".gitlab-ci.yml"


def runs(repo: Repo, pattern: re.Pattern[str]) -> bool:
    return repo.ci_runs(pattern) is not None


def missing(repo: Repo, what: str, tools: str) -> Failure:
    """A failure that says what was looked for, where, and how far it was followed."""
    return Failure(
        f"No CI job {what}: looked for {tools} in {repo.ci_summary()}, {FOLLOWED}.",
        path=repo.ci_location,
    )


class CI001(CiCheck):
    """CI configuration exists (GitHub Actions or GitLab CI)"""

    @classmethod
    def check(cls, ai_service_repo: Repo) -> Outcome:
        """Add `.github/workflows/ci.yml` or `.gitlab-ci.yml` running lint, types, tests and
        the migration check on every pull request (the template generates either)."""
        repo = ai_service_repo
        if repo.ci_jobs:
            return True
        if repo.has_ci:
            return cls.fail(
                "CI files exist but define no job (or are not valid YAML).", path=repo.ci_location
            )
        return cls.fail("No .github/workflows/*.yml or .gitlab-ci.yml.")


class CI002(CiCheck):
    """CI runs the linter"""

    requires = frozenset({"CI001"})

    @classmethod
    def check(cls, ai_service_repo: Repo) -> Outcome:
        """Add a lint job (`ruff check .`, `ruff format --check .`, `pre-commit run
        --all-files`)."""
        repo = ai_service_repo
        if runs(repo, LINT):
            return True
        return cls.fail(
            missing(repo, "lints", "ruff, flake8, pylint").detail, path=repo.ci_location
        )


class CI003(CiCheck):
    """CI runs the type checker"""

    requires = frozenset({"CI001"})

    @classmethod
    def check(cls, ai_service_repo: Repo) -> Outcome:
        """Add a type-check job (`mypy`, strict as the template configures it, or pyright,
        pyrefly, ty)."""
        repo = ai_service_repo
        if runs(repo, TYPES):
            return True
        found = missing(repo, "type-checks", "mypy, pyright, basedpyright, pyrefly, ty, pytype")
        return cls.fail(found.detail, path=found.path)


class CI004(CiCheck):
    """CI runs the tests"""

    requires = frozenset({"CI001"})

    @classmethod
    def check(cls, ai_service_repo: Repo) -> Outcome:
        """Add a test job (`pytest`), with PostgreSQL as a service when the service uses it."""
        repo = ai_service_repo
        if runs(repo, TESTS):
            return True
        found = missing(
            repo, "runs the tests", "pytest, unittest, hatch test, coverage run, tox, nox"
        )
        return cls.fail(found.detail, path=found.path)


class CI005(GitHubCheck):
    """GitHub Actions are pinned to full commit SHAs"""

    @classmethod
    def check(cls, ai_service_repo: Repo) -> Outcome:
        """Pin each `uses:` to a 40-character commit SHA with the release in a comment
        (`actions/checkout@08c6903... # v5.0.0`) and let Dependabot or Renovate bump them:
        a tag can be moved to malicious code."""
        repo = ai_service_repo
        if not repo.github_workflows:
            return Skip("nothing to check: no GitHub Actions workflow")
        loose = [
            (job.path, uses)
            for job in repo.ci_jobs
            if job.path in repo.github_workflows
            for uses in actions_of(job)
            if not uses.startswith(("./", "docker://")) and not PINNED_ACTION.match(uses)
        ]
        if not loose:
            return True
        names = ", ".join(sorted({uses for _, uses in loose}))
        path, uses = loose[0]
        return cls.fail(
            f"Actions not pinned to a commit: {names}.",
            path=path,
            line=first_line(repo.text(path) or "", uses),
        )


def actions_of(job: CiJob) -> list[str]:
    steps = as_list(job.spec.get("steps"))
    found = [str(step["uses"]) for step in steps if isinstance(step, dict) and "uses" in step]
    if isinstance(job.spec.get("uses"), str):
        found.append(job.spec["uses"])
    return found


class CI006(CiCheck):
    """Every CI job has a timeout"""

    severity = "warning"
    requires = frozenset({"CI001"})

    @classmethod
    def check(cls, ai_service_repo: Repo) -> Outcome:
        """Set `timeout-minutes:` on every GitHub job (or `timeout:` in GitLab's `default:` or
        each job), so a hung job fails in minutes instead of burning hours of runner time."""
        repo = ai_service_repo
        gitlab_default = (
            as_dict(repo.yaml(repo.gitlab_ci)).get("default") if repo.gitlab_ci else None
        )
        default_timeout = isinstance(gitlab_default, dict) and "timeout" in gitlab_default
        missing = [
            job
            for job in repo.ci_jobs
            if not (
                "timeout-minutes" in job.spec
                or "uses" in job.spec
                or "timeout" in job.spec
                or (job.path == repo.gitlab_ci and default_timeout)
            )
        ]
        if not missing:
            return True
        names = ", ".join(job.id for job in missing)
        job = missing[0]
        return cls.fail(
            f"Jobs without a timeout: {names}.",
            path=job.path,
            line=first_line(repo.text(job.path) or "", f"\n  {job.id}:"),
        )


class CI007(GitHubCheck):
    """GitHub workflows declare least-privilege token permissions"""

    @classmethod
    def check(cls, ai_service_repo: Repo) -> Outcome:
        """Add `permissions: contents: read` at the top of each workflow and grant more only
        to the job that needs it; never `write-all`."""
        repo = ai_service_repo
        if not repo.github_workflows:
            return Skip("nothing to check: no GitHub Actions workflow")
        for path in repo.github_workflows:
            workflow: Any = repo.yaml(path)
            if not isinstance(workflow, dict):
                continue
            jobs = as_dict(workflow.get("jobs"))
            top = workflow.get("permissions")
            every_job = bool(jobs) and all(
                isinstance(job, dict) and "permissions" in job for job in jobs.values()
            )
            if top == "write-all" or (top is None and not every_job):
                text = repo.text(path) or ""
                return cls.fail(
                    f"{path} does not restrict the token's permissions: no top-level "
                    "`permissions:` and not every job sets its own"
                    + (" (it grants write-all)" if top == "write-all" else "")
                    + ".",
                    path=path,
                    line=first_line(text, "permissions: write-all") or first_line(text, "\njobs:"),
                )
        return True


class CI008(GitLabCheck):
    """GitLab CI images are pinned to a version"""

    severity = "warning"

    @classmethod
    def check(cls, ai_service_repo: Repo) -> Outcome:
        """Name every `image:` and service with an explicit version tag or digest
        (`postgres:17.6-alpine`), never a bare name or `:latest`."""
        repo = ai_service_repo
        if not repo.gitlab_ci:
            return Skip("nothing to check: no .gitlab-ci.yml")
        pipeline = repo.yaml(repo.gitlab_ci)
        loose = sorted({image for image in images(pipeline) if not pinned_image(image)})
        return cls.fail(f"Unpinned images: {', '.join(loose)}.") if loose else True


def images(node: Any) -> list[str]:
    found: list[str] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "image":
                name = value.get("name") if isinstance(value, dict) else value
                found.extend([str(name)] if name else [])
            elif key == "services" and isinstance(value, list):
                found.extend(str(s.get("name") if isinstance(s, dict) else s) for s in value if s)
            else:
                found.extend(images(value))
    elif isinstance(node, list):
        for item in node:
            found.extend(images(item))
    return found


def pinned_image(image: str) -> bool:
    """A tag or digest other than latest; a variable is taken as pinned where it is defined."""
    if "$" in image or "@sha256:" in image:
        return True
    name, _, tag = image.rpartition(":")
    return bool(name) and "/" not in tag and tag not in ("", "latest")
