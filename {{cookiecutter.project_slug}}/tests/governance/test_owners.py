"""Every task and alias names an owner and CODEOWNERS says what the owners say."""

from __future__ import annotations

from pathlib import Path

import pytest

from {{ cookiecutter.package_name }}.__main__ import main
from {{ cookiecutter.package_name }}.governance.owners import TaskOwner, ownership_problems
from {{ cookiecutter.package_name }}.llm.config import load_models_config

from .conftest import edit


def test_the_project_passes_the_owners_check(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["owners", "check"]) == 0, capsys.readouterr().err


def test_codeowners_maps_task_files_to_the_task_owner_and_the_rest_to_the_platform(
    project: Path,
) -> None:
    rules = [
        line.split()
        for line in (project / "CODEOWNERS").read_text().splitlines()
        if line and not line.startswith("#")
    ]

    assert rules[0] == ["*", "@platform-team"]
    owners = {rule[0]: rule[1] for rule in rules}
    assert owners["/config/models.toml"] == "@ai-team"
    assert owners["/evals/*/triage_ticket.*"] == "@ai-team"
    assert any(p.endswith("/tasks/catalog/triage_ticket.*") for p in owners)


def test_an_alias_without_an_owner_fails_the_check_naming_it(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit(project / "config" / "models.toml", 'owner = "@ai-team"\n', "")

    assert main(["owners", "check"]) == 1

    assert "alias 'default' has no owner" in capsys.readouterr().err


def test_a_task_without_an_owner_is_a_problem() -> None:
    models = load_models_config(Path(__file__).parents[2] / "config" / "models.toml").config
    tasks = [TaskOwner(task="triage_ticket", prompt="triage_ticket", owner=None)]

    assert ownership_problems(tasks, models) == [
        "task 'triage_ticket' has no owner: set owner= in its Task"
    ]


def test_codeowners_that_disagrees_fails_until_rewritten(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit(project / "CODEOWNERS", "/config/models.toml @ai-team", "/config/models.toml @someone")

    assert main(["owners", "check"]) == 1
    assert "CODEOWNERS disagrees with the owners in the code" in capsys.readouterr().err

    assert main(["owners", "write"]) == 0
    assert "/config/models.toml @ai-team" in (project / "CODEOWNERS").read_text()


def test_a_changed_owner_makes_codeowners_stale(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit(project / "nfr.toml", 'owner = "@platform-team"', 'owner = "@sre"')

    assert main(["owners", "check"]) == 1
    assert "run `make codeowners`" in capsys.readouterr().err
