"""Bake every matrix row and run the baked project's own checks, as its CI would.

Each row is baked once (module-scoped fixture) and its checks run on one xdist worker.
The tools come from the shared test environment, whose versions match the generated
pyproject.toml (tests/test_shared_environment.py keeps them in step).
"""

from __future__ import annotations

import json
import re
import subprocess
import tomllib
from pathlib import Path

import pytest

from .baking import bake, describe, run
from .matrix import CHOICE_OPTIONS, defaults, matrix, row_id

ROWS = [
    pytest.param(answers, id=row_id(answers), marks=pytest.mark.xdist_group(row_id(answers)))
    for answers in matrix()
]
# A lone "%}" is left out: Python format specs end with it (f"{share:.1%}").
UNRENDERED = re.compile(r"\{\{|\{%|cookiecutter\.")
# Prometheus alert templates ({{ $labels.slo }}) and Grafana legends ({{route}}) are meant to
# survive rendering, like GitHub expressions.
MONITORING_TEMPLATE = re.compile(r"\{\{\s*\$[^}]*\}\}|\{\{\w+\}\}")
OPTION_FILES = {
    ("docker", "yes"): ["Dockerfile", ".dockerignore", "compose.yaml"],
    ("ci_provider", "github"): [".github/workflows/ci.yml"],
    ("ci_provider", "gitlab"): [".gitlab-ci.yml"],
}
LICENSE_FIRST_LINES = {
    "MIT": "MIT License",
    "Apache-2.0": "Apache License",
    "BSD-3-Clause": "BSD 3-Clause License",
    "Proprietary": "All rights reserved.",
}


class Baked:
    def __init__(self, path: Path, answers: dict[str, str], shared: Path) -> None:
        self.path = path
        self.answers = {**defaults(), **answers}
        self.env = {
            "MYPY_CACHE_DIR": str(shared / "mypy-cache"),
            "PRE_COMMIT_HOME": str(shared / "pre-commit"),
            "RUFF_CACHE_DIR": str(shared / "ruff-cache"),
            # `uv sync` would install the project; the shared environment imports it from src/.
            "PYTHONPATH": str(path / "src"),
        }

    def make(self, target: str, **variables: str) -> subprocess.CompletedProcess[str]:
        # RUN= runs the tools from PATH (the shared environment) instead of `uv run`.
        assignments = [f"{name}={value}" for name, value in {"RUN": "", **variables}.items()]
        return run(["make", target, *assignments], self.path, env=self.env)


@pytest.fixture(scope="session")
def shared_caches(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("caches")


@pytest.fixture(scope="module", params=ROWS)
def baked(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, shared_caches: Path
) -> Baked:
    answers: dict[str, str] = request.param
    project = bake(tmp_path_factory.mktemp(row_id(answers)), **answers)
    # pre-commit works on what git tracks, as it would in the team's repository.
    for command in (["git", "init", "-q"], ["git", "add", "-A"]):
        subprocess.run(command, cwd=project, check=True, capture_output=True)
    return Baked(project, answers, shared_caches)


def test_no_file_holds_unrendered_template_syntax(baked: Baked) -> None:
    offenders = []
    for path in baked.path.rglob("*"):
        if path.is_file() and ".git" not in path.parts:
            text = path.read_text(encoding="utf-8", errors="replace")
            # GitHub expressions ${{ ... }} are meant to survive rendering.
            text = MONITORING_TEMPLATE.sub("", text.replace("${{", ""))
            if UNRENDERED.search(text):
                offenders.append(str(path.relative_to(baked.path)))
    assert offenders == []


def test_only_the_files_of_selected_options_remain(baked: Baked) -> None:
    for (field, value), paths in OPTION_FILES.items():
        for relative in paths:
            exists = (baked.path / relative).exists()
            assert exists == (baked.answers[field] == value), f"{relative} with {field}={value}"
    assert not (baked.path / "licenses").exists()
    license_text = (baked.path / "LICENSE").read_text()
    assert LICENSE_FIRST_LINES[baked.answers["license"]] in license_text


def test_models_file_points_at_the_chosen_provider(baked: Baked) -> None:
    config = baked.path / "config"
    assert sorted(path.name for path in config.iterdir()) == [
        "models.offline.toml",
        "models.toml",
        "prices.toml",
    ]
    models = tomllib.loads((config / "models.toml").read_text())
    providers = {deployment["provider"] for deployment in models["deployments"].values()}
    assert providers == {baked.answers["model_provider"]}
    offline = tomllib.loads((config / "models.offline.toml").read_text())
    assert {d["provider"] for d in offline["deployments"].values()} == {"fake"}


def test_answers_are_recorded_in_cruft_json(baked: Baked) -> None:
    record = json.loads((baked.path / ".cruft.json").read_text())
    context = record["context"]["cookiecutter"]

    assert record["template"] == context["_template"]
    assert {name: context[name] for name in CHOICE_OPTIONS} == {
        name: baked.answers[name] for name in CHOICE_OPTIONS
    }
    assert "_output_dir" not in context


def test_python_version_is_the_floor(baked: Baked) -> None:
    pyproject = (baked.path / "pyproject.toml").read_text()
    version = baked.answers["python_version"]

    assert f'requires-python = ">={version}"' in pyproject
    assert f'target-version = "py{version.replace(".", "")}"' in pyproject


@pytest.mark.parametrize(
    "target", ["lint", "typecheck", "test", "check-migrations", "eval", "precommit"]
)
def test_generated_check_passes(baked: Baked, target: str) -> None:
    result = baked.make(target)

    assert result.returncode == 0, describe(result)


def test_checks_left_every_file_unchanged(baked: Baked) -> None:
    """Formatters and pre-commit fixers must find nothing to change in a fresh bake."""
    changed = run(["git", "diff", "--name-only"], baked.path)
    untracked = run(["git", "ls-files", "--others", "--exclude-standard"], baked.path)

    assert changed.stdout == "", f"checks changed tracked files:\n{changed.stdout}"
    assert untracked.stdout == "", f"checks left untracked files:\n{untracked.stdout}"
