"""A read-only view of one repository for the checks: its files, parsed config and answers.

Works on a local directory (fast paths through git) and on any `Traversable`, which is what
repo-review hands its plugins (a directory, or a GitHub repository read over its API).
"""

from __future__ import annotations

import functools
import json
import re
import subprocess
import tomllib
from collections import Counter
from collections.abc import Callable, Iterator
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

import yaml

from .ci_config import CiJob, github_jobs, gitlab_jobs
from .globs import matches
from .roots import APP_FACTORY, detect_service_root

# Folders that hold tools' output, not the project: never scanned when walking without git.
SKIP_DIRS = frozenset(
    ".git .hg .venv venv .tox .nox node_modules __pycache__ .mypy_cache .ruff_cache "
    ".pytest_cache .cache build dist htmlcov var .eggs".split()
)
MAX_TEXT_BYTES = 2_000_000
# Folders that hold no code of the running service: tests, tools, migrations, evals.
NOT_PACKAGES = frozenset(
    "tests test testing scripts docs migrations alembic versions evals eval config dev tools "
    "examples example benchmarks bench load_tests e2e fixtures".split()
)
# Inside an import package, `tools/` (an agent's tools), `config/` (its settings) and `dev/` are
# the service's own code; only tests, migrations, evals and the like are not.
NOT_IN_PACKAGE = NOT_PACKAGES - {"tools", "config", "dev", "scripts"}
NOT_SERVICE_FILES = re.compile(r"(^|/)(test_[^/]*|[^/]*_test|conftest|setup|noxfile|manage)\.py$")


class Repo:
    def __init__(self, root: Traversable, service_root: str | None = None) -> None:
        self.root = root
        self._service_root = None if service_root is None else service_root.strip("/")
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

    def memo(self, key: str, compute: Callable[[], Any]) -> Any:
        """A value the checks share, computed once per audit of this repository."""
        cache_key = ("memo", key)
        if cache_key not in self._parsed:
            self._parsed[cache_key] = compute()
        return self._parsed[cache_key]

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
        return self.toml(self.svc("pyproject.toml")) or {}

    @functools.cached_property
    def record(self) -> dict[str, Any] | None:
        """The parsed .cruft.json, or None when it is missing or unreadable."""
        text = self.text(self.svc(".cruft.json"))
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
    def service(self) -> str:
        """The service's folder relative to the repository root ("" when it is the root)."""
        if self._service_root is not None:
            return self._service_root
        return detect_service_root(
            [path for path in self.files if path.endswith((".py", ".toml", ".cfg", ".txt"))],
            self.text,
        )

    @property
    def service_label(self) -> str:
        """The service folder for messages: `backend/`, or the repository root."""
        return f"{self.service}/" if self.service else "the repository root"

    def svc(self, relative: str) -> str:
        """A path of the service folder, relative to the repository root."""
        return f"{self.service}/{relative}" if self.service else relative

    @functools.cached_property
    def service_files(self) -> tuple[str, ...]:
        """Files under the service root, relative to the repository root."""
        if not self.service:
            return self.files
        prefix = self.service + "/"
        return tuple(path for path in self.files if path.startswith(prefix))

    def service_glob(self, *patterns: str) -> list[str]:
        """Files of the service matching patterns relative to the service root."""
        return [
            path
            for path in self.service_files
            if any(matches(self.svc(pattern), path) for pattern in patterns)
        ]

    @functools.cached_property
    def app_file(self) -> str | None:
        """The service module that creates the web application, where start-up is wired."""
        found = [p for p in self.service_python_files if APP_FACTORY.search(self.text(p) or "")]
        usual = ("main.py", "app.py", "server.py", "asgi.py", "launcher.py", "application.py")
        return min(
            found, key=lambda p: (p.rsplit("/", 1)[-1] not in usual, p.count("/")), default=None
        )

    @functools.cached_property
    def packages(self) -> tuple[str, ...]:
        """Import packages of the service: `src/<name>/`, else top-level folders with code."""
        found = {path.rsplit("/", 1)[0] for path in self.service_glob("src/*/__init__.py")}
        if not found:
            found = {
                path.rsplit("/", 1)[0]
                for path in self.service_glob("*/__init__.py")
                if path.rsplit("/", 2)[-2] not in NOT_PACKAGES
            }
        return tuple(sorted(found))

    def root_modules_and_imports(self) -> list[str]:
        """With no package: the service root's modules and the folders they import from
        (`from backend.settings import ...` brings in backend/), not every script around."""
        modules = self.service_glob("*.py")
        imported = set()
        for path in modules:
            for match in re.finditer(r"^\s*(?:from|import)\s+(\w+)", self.text(path) or "", re.M):
                imported.add(match.group(1))
        folders = [name for name in imported if name not in NOT_PACKAGES]
        return modules + self.service_glob(*(f"{name}/**.py" for name in folders))

    @functools.cached_property
    def service_python_files(self) -> tuple[str, ...]:
        """Python files of the running service: its packages, without tests, tools, scripts
        and migrations. With no package, the service root's own modules (not its subfolders'
        tools)."""
        if self.packages:
            candidates = [
                path
                for path in self.service_files
                if path.endswith(".py") and any(path.startswith(p + "/") for p in self.packages)
            ]
        else:
            candidates = self.root_modules_and_imports()
        skip = len(self.service.split("/")) if self.service else 0
        return tuple(
            path
            for path in candidates
            if not excluded(path.split("/")[skip:-1]) and not NOT_SERVICE_FILES.search(path)
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

    @functools.cached_property
    def ci_texts(self) -> tuple[tuple[CiJob, str], ...]:
        """Each CI job with what it runs, followed through make, task runners, scripts and
        pre-commit hooks (see resolve.py)."""
        from .resolve import expand

        return tuple((job, expand(self, job)) for job in self.ci_jobs)

    def ci_runs(self, pattern: re.Pattern[str]) -> CiJob | None:
        """The first job that runs something matching the pattern, directly or indirectly."""
        return next((job for job, text in self.ci_texts if pattern.search(text)), None)

    @property
    def has_ci(self) -> bool:
        return bool(self.github_workflows or self.gitlab_ci)

    @functools.cached_property
    def ci_location(self) -> str:
        """The workflow a missing CI step belongs in: the one that tests, else one named
        like CI, else the first."""
        if not self.github_workflows:
            return self.gitlab_ci or ".github/workflows/ci.yml"
        testing = {job.path for job, text in self.ci_texts if re.search(r"\bpytest\b", text)}
        ours = Counter(
            job.path for job in self.ci_jobs if self.service and self.service in job.workdirs
        )
        return min(
            self.github_workflows,
            key=lambda path: (
                path not in testing,
                -ours[path],
                not re.search(r"(?i)(^|/)(ci|tests?|checks?|lint|build)[^/]*$", path),
                path,
            ),
        )

    def ci_summary(self) -> str:
        """Where CI was read from, for failure messages."""
        files = sorted({job.path for job in self.ci_jobs})
        shown = ", ".join(files[:4]) + (f" and {len(files) - 4} more" if len(files) > 4 else "")
        return f"{len(self.ci_jobs)} job(s) in {shown}"


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


def excluded(folders: list[str]) -> bool:
    """Whether a file in these folders (from the service root down) is not the service's code."""
    return bool(folders) and (
        folders[0] in NOT_PACKAGES or any(part in NOT_IN_PACKAGE for part in folders[1:])
    )
