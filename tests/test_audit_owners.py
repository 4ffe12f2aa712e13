"""OWN001: tasks and aliases name owners and CODEOWNERS routes their files to them."""

from __future__ import annotations

from pathlib import Path

import pytest

from cookiecutter_ai_service.checks import CHECKS_BY_ID, Failure, Skip
from cookiecutter_ai_service.repo import Repo

MODELS = """version = "1"
[deployments.main]
provider = "openai"
model = "gpt-4.1-mini-2025-04-14"
[aliases.default]
owner = "@ai-team"
deployments = ["main"]
"""
TASK = 'from ..task import Task\nTASK = Task(name="triage", owner="@triage-team")\n'
CODEOWNERS = """# generated
* @platform-team
/config/models.toml @ai-team
/src/svc/tasks/catalog/triage.* @triage-team
"""


def outcome(tmp_path: Path, files: dict[str, str]) -> bool | str | None:
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return CHECKS_BY_ID["OWN001"].run(Repo(tmp_path))


def project(**changes: str) -> dict[str, str]:
    files = {
        "config/models.toml": MODELS,
        "src/svc/__init__.py": "",
        "src/svc/tasks/catalog/triage.py": TASK,
        "CODEOWNERS": CODEOWNERS,
    }
    return {**files, **changes}


@pytest.mark.parametrize("location", ["CODEOWNERS", ".github/CODEOWNERS", "docs/CODEOWNERS"])
def test_owned_tasks_and_aliases_with_agreeing_codeowners_pass(
    tmp_path: Path, location: str
) -> None:
    files = project()
    files[location] = files.pop("CODEOWNERS")

    assert outcome(tmp_path, files) is True


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"config/models.toml": MODELS.replace('owner = "@ai-team"\n', "")}, "alias default"),
        (
            {"src/svc/tasks/catalog/triage.py": TASK.replace(', owner="@triage-team"', "")},
            "task src/svc/tasks/catalog/triage.py",
        ),
        (
            {"CODEOWNERS": CODEOWNERS.replace("triage.* @triage-team", "triage.* @someone")},
            "disagrees with the owners of src/svc/tasks/catalog/triage.py",
        ),
        (
            # The last matching line wins: a catch-all after the task's line takes it over.
            {"CODEOWNERS": CODEOWNERS + "/src/ @platform-team\n"},
            "src/svc/tasks/catalog/triage.py",
        ),
        ({"CODEOWNERS": "* @platform-team\n"}, "config/models.toml"),
    ],
)
def test_a_missing_owner_or_a_disagreeing_codeowners_fails(
    tmp_path: Path, changes: dict[str, str], message: str
) -> None:
    result = outcome(tmp_path, project(**changes))

    assert isinstance(result, Failure)
    assert message in result.detail


def test_no_codeowners_fails(tmp_path: Path) -> None:
    files = project()
    del files["CODEOWNERS"]

    result = outcome(tmp_path, files)

    assert isinstance(result, Failure)
    assert "No CODEOWNERS" in result.detail


def test_a_repository_without_tasks_or_aliases_is_skipped_saying_why(tmp_path: Path) -> None:
    result = outcome(tmp_path, {"README.md": "hello\n"})

    assert isinstance(result, Skip)
    assert "no task catalog" in result
