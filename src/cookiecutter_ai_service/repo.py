"""A read-only view of one repository for the checks: its files, parsed config and answers.

Works on a local directory (fast paths through git) and on any `Traversable`, which is what
repo-review hands its plugins (a directory, or a GitHub repository read over its API).
"""

from __future__ import annotations

import functools
import json
import subprocess
import tomllib
from collections.abc import Iterator
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

import yaml

from .ci_config import CiJob, github_jobs, gitlab_jobs
from .globs import matches

# Folders that hold tools' output, not the project: never scanned when walking without git.
SKIP_DIRS = frozenset(
    ".git .hg .venv venv .tox .nox node_modules __pycache__ .mypy_cache .ruff_cache "
    ".pytest_cache .cache build dist htmlcov var .eggs".split()
)
MAX_TEXT_BYTES = 2_000_000
NOT_PACKAGES = frozenset({"tests", "test", "scripts", "docs", "migrations", "evals", "config"})


class Repo:
    def __init__(self, root: Traversable) -> None:
        self.root = root
        self._texts: dict[str, str | None] = {}
        self._parsed: dict[tuple[str, str], Any] = {}
        # Files and folders that exist but could not be read: the audit must not pass them.
        self.unreadable: set[str] = set()

    # A read-only view: its caches are not state. repo-review deep-copies and compares its
    # fixtures around every check to catch a check that changes them; this one never does.
    def __eq__(self, other: object) -> bool:
        return isinstance(other, Repo) and str(other.root) == str(self.root)

    def __hash__(self) -> int:
        return hash(str(self.root))

    def __deepcopy__(self, memo: dict[int, Any]) -> Repo:
        return self

    # -- files ---------------------------------------------------------------------------

    @property
    def local_path(self) -> Path | None:
        return self.root if isinstance(self.root, Path) else None

    @functools.cached_property
    def files(self) -> tuple[str, ...]:
        """Every file the project keeps: git's tracked and unignored files, else a walk."""
        listed = self._git_files
        if listed is None:
            listed = sorted(self._walk(self.root, ""))
        return tuple(listed)

    @functools.cached_property
    def uses_git(self) -> bool:
        return self._git_files is not None

    @functools.cached_property
    def _git_files(self) -> list[str] | None:
        local = self.local_path
        if local is None or not (local / ".git").exists():
            return None
        try:
            result = subprocess.run(
                [
                    "git",
                    "-C",
                    str(local),
                    "ls-files",
                    "-z",
                    "--cached",
                    "--others",
                    "--exclude-standard",
                ],
                capture_output=True,
                check=False,
                timeout=60,
            )
        except (OSError, subprocess.TimeoutExpired):
            return None
        if result.returncode != 0:
            return None
        names = result.stdout.decode("utf-8", "surrogateescape").split("\0")
        return sorted({name for name in names if name and (local / name).is_file()})

    def _walk(self, node: Traversable, prefix: str) -> Iterator[str]:
        try:
            children = list(node.iterdir())
        except (OSError, NotImplementedError):
            self.unreadable.add(prefix or ".")
            return
        for child in children:
            relative = f"{prefix}{child.name}"
            if child.is_dir():
                # A symlinked folder can point back up the tree: not followed.
                if child.name not in SKIP_DIRS and not getattr(child, "is_symlink", bool)():
                    yield from self._walk(child, relative + "/")
            elif child.is_file():
                yield relative

    def exists(self, relative: str) -> bool:
        return self.root.joinpath(relative).is_file()

    def is_dir(self, relative: str) -> bool:
        return self.root.joinpath(relative).is_dir()

    def glob(self, *patterns: str) -> list[str]:
        return [path for path in self.files if any(matches(p, path) for p in patterns)]

    def text(self, relative: str) -> str | None:
        """The file's text, or None when it is missing, binary, huge or not UTF-8."""
        if relative not in self._texts:
            self._texts[relative] = self._read_text(relative)
        return self._texts[relative]

    def _read_text(self, relative: str) -> str | None:
        node = self.root.joinpath(relative)
        try:
            if not node.is_file():
                return None
            data = node.read_bytes()
        except OSError:
            self.unreadable.add(relative)
            return None
        if len(data) > MAX_TEXT_BYTES or b"\0" in data[:8192]:
            return None
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            return None

    # -- parsed configuration ------------------------------------------------------------

    def toml(self, relative: str) -> dict[str, Any] | None:
        """The parsed TOML file, or None when it is missing or invalid."""
        key = ("toml", relative)
        if key not in self._parsed:
            self._parsed[key] = parse_toml(self.text(relative))
        return self._parsed[key]  # type: ignore[no-any-return]

    def yaml(self, relative: str) -> Any:
        """The parsed YAML file, or None when it is missing or invalid."""
        key = ("yaml", relative)
        if key not in self._parsed:
            self._parsed[key] = parse_yaml(self.text(relative))
        return self._parsed[key]

    @functools.cached_property
    def pyproject(self) -> dict[str, Any]:
        return self.toml("pyproject.toml") or {}

    @functools.cached_property
    def record(self) -> dict[str, Any] | None:
        """The parsed .cruft.json, or None when it is missing or unreadable."""
        text = self.text(".cruft.json")
        if text is None:
            return None
        try:
            record = json.loads(text)
        except json.JSONDecodeError:
            return None
        return record if isinstance(record, dict) else None

    @functools.cached_property
    def answers(self) -> dict[str, Any]:
        """The recorded cookiecutter answers; empty when the repo has no record (all apply)."""
        record = self.record or {}
        context = record.get("context", {})
        answers = context.get("cookiecutter", {}) if isinstance(context, dict) else {}
        return dict(answers) if isinstance(answers, dict) else {}

    # -- the service's code --------------------------------------------------------------

    @functools.cached_property
    def packages(self) -> tuple[str, ...]:
        """Import packages of the service: `src/<name>/`, else top-level folders with code."""
        found = {path.rsplit("/", 1)[0] for path in self.glob("src/*/__init__.py")}
        if not found:
            found = {
                path.split("/", 1)[0]
                for path in self.glob("*/__init__.py")
                if path.split("/", 1)[0] not in NOT_PACKAGES
            }
        return tuple(sorted(found))

    @functools.cached_property
    def service_python_files(self) -> tuple[str, ...]:
        """Python files of the running service: its packages, without tests and migrations."""
        if self.packages:
            candidates = [
                path
                for path in self.files
                if path.endswith(".py") and any(path.startswith(p + "/") for p in self.packages)
            ]
        else:
            candidates = [path for path in self.files if path.endswith(".py")]
        return tuple(
            path
            for path in candidates
            if not any(part in NOT_PACKAGES for part in path.split("/")[:-1])
            and not path.rsplit("/", 1)[-1].startswith(("test_", "conftest"))
            and path.rsplit("/", 1)[-1] != "setup.py"
        )

    # -- CI ------------------------------------------------------------------------------

    @functools.cached_property
    def github_workflows(self) -> tuple[str, ...]:
        return tuple(self.glob(".github/workflows/*.yml", ".github/workflows/*.yaml"))

    @functools.cached_property
    def gitlab_ci(self) -> str | None:
        return ".gitlab-ci.yml" if self.exists(".gitlab-ci.yml") else None

    @functools.cached_property
    def ci_jobs(self) -> tuple[CiJob, ...]:
        jobs: list[CiJob] = []
        for path in self.github_workflows:
            jobs.extend(github_jobs(path, self.yaml(path)))
        if self.gitlab_ci:
            jobs.extend(gitlab_jobs(self.gitlab_ci, self.yaml(self.gitlab_ci)))
        return tuple(jobs)

    @property
    def has_ci(self) -> bool:
        return bool(self.github_workflows or self.gitlab_ci)

    @property
    def ci_location(self) -> str:
        if self.github_workflows:
            return self.github_workflows[0]
        return self.gitlab_ci or ".github/workflows/ci.yml"


def parse_toml(text: str | None) -> dict[str, Any] | None:
    if text is None:
        return None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return None


def parse_yaml(text: str | None) -> Any:
    if text is None:
        return None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError:
        return None
