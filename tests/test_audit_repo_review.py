"""The checks load as a scientific-python repo-review plugin, through its entry points."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
from repo_review.processor import collect_all, process

from cookiecutter_ai_service.checks import CHECKS

from .baking import bake


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return bake(tmp_path_factory.mktemp("repo-review"))


def test_repo_review_discovers_every_check_and_family() -> None:
    collected = collect_all()  # no repository: every check is listed

    ours = {
        name for name, check in collected.checks.items() if name in {c.__name__ for c in CHECKS}
    }
    assert ours == {check.__name__ for check in CHECKS}
    assert {
        "health",
        "logging",
        "secrets",
        "database",
        "model",
        "evals",
        "ci",
        "pre-commit",
        "docker",
    } <= set(collected.families)
    assert collected.families["health"]["name"] == "AI service: Health"
    assert collected.checks["HLT001"].url.endswith("docs/audit.md#hlt001")


def test_repo_review_runs_the_checks_on_a_baked_project(project: Path) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # e.g. "modified the input fixtures"
        _, found = process(project)

    ours = {r.name: r for r in found if r.name in {c.__name__ for c in CHECKS}}
    assert ours and all(r.result for r in ours.values()), [
        (r.name, r.err_msg) for r in ours.values() if not r.result
    ]
    # Checks the recorded answers rule out are left out, as for any repo-review plugin.
    assert "CI008" not in ours and "EVL001" in ours


def test_repo_review_reports_a_failure_with_its_fix(project: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    (broken / "app").mkdir(parents=True)
    (broken / "app/__init__.py").write_text("")
    (broken / "app/main.py").write_text('print("hello")\n')

    _, found = process(broken)

    by_name = {r.name: r for r in found}
    assert by_name["LOG002"].result is False
    assert "app/main.py:1" in by_name["LOG002"].err_msg
    assert "structured log call" in by_name["LOG002"].err_msg  # the check() docstring: the fix
    assert by_name["HLT001"].result is False
