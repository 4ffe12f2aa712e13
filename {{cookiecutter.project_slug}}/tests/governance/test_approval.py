"""A models file serves production only once a passing eval run approved its hash."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from fastapi import FastAPI

from {{ cookiecutter.package_name }}.__main__ import main
from {{ cookiecutter.package_name }}.app import create_app
from {{ cookiecutter.package_name }}.governance.approval import NotApprovedError

from ..factories import PRODUCTION_MODELS, LogOutput, lifespan_client, production_settings
from .conftest import edit


def stand_in_for_a_blessed_run(project: Path, *, passed: bool = True) -> None:
    """Point config/models.toml at a real (pinned) model and make the baseline a run that
    measured exactly that file, as a re-recorded and blessed run would."""
    models = project / "config" / "models.toml"
    models.write_text(PRODUCTION_MODELS)
    for path in (project / "evals" / "baselines").glob("*.json"):
        baseline = json.loads(path.read_text())
        baseline["models"]["sha256"] = hashlib.sha256(models.read_bytes()).hexdigest()
        baseline["gate_passed"] = passed
        path.write_text(json.dumps(baseline))


async def test_production_refuses_a_models_file_no_eval_run_approved(tmp_path: Path) -> None:
    settings = production_settings(tmp_path, models_unapproved_reason=None)

    with pytest.raises(NotApprovedError, match="approved by no eval run") as refused:
        async with lifespan_client(create_app(settings)):
            pass

    assert "APP_MODELS_UNAPPROVED_REASON" in str(refused.value)


@pytest.fixture
def app_with_a_reason(tmp_path: Path, log_output: LogOutput) -> FastAPI:
    """Made in a fixture: pytest swaps sys.stdout back at the start of the test's call."""
    return create_app(production_settings(tmp_path, models_unapproved_reason="incident 42"))


async def test_a_reason_lets_production_start_and_is_logged(
    app_with_a_reason: FastAPI, log_output: LogOutput
) -> None:
    async with lifespan_client(app_with_a_reason) as client:
        assert (await client.get("/health/live")).status_code == 200

    (warning,) = log_output.events("models_config_not_approved")
    assert warning["reason"] == "incident 42"


def test_approve_needs_a_passing_baseline_of_this_very_file(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The shipped baseline measured the shipped models file; any edit makes a new hash.
    edit(project / "config" / "models.toml", 'version = "', 'version = "switched-')

    assert main(["models", "approve"]) == 1
    assert "baseline measured another models file" in capsys.readouterr().err
    assert not (project / "config" / "approved-models.toml").exists()


def test_a_baseline_that_failed_its_gates_approves_nothing(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    stand_in_for_a_blessed_run(project, passed=False)

    assert main(["models", "approve"]) == 1
    assert "did not pass its gates" in capsys.readouterr().err


def test_approve_records_the_runs_once_and_status_shows_them(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    stand_in_for_a_blessed_run(project)
    assert main(["models", "status"]) == 1  # Not approved yet.

    assert main(["models", "approve"]) == 0
    assert main(["models", "approve"]) == 0
    output = capsys.readouterr().out
    assert "approved in config/approved-models.toml by " in output
    assert "triage_ticket:" in output
    assert "already approved" in output
    assert (project / "config" / "approved-models.toml").read_text().count("[[approved]]") == 1
    assert main(["models", "status"]) == 0
    status = capsys.readouterr().out
    assert "approved by: " in status
    assert "triage_ticket:" in status


@pytest.fixture
def approved_app(project: Path, tmp_path: Path, log_output: LogOutput) -> FastAPI:
    stand_in_for_a_blessed_run(project)
    assert main(["models", "approve"]) == 0
    settings = production_settings(
        tmp_path,
        models_file=project / "config" / "models.toml",
        approvals_file=project / "config" / "approved-models.toml",
        models_unapproved_reason=None,
    )
    return create_app(settings)


async def test_an_approved_file_starts_in_production(
    approved_app: FastAPI, log_output: LogOutput
) -> None:
    async with lifespan_client(approved_app) as client:
        assert (await client.get("/health/live")).status_code == 200

    (approved,) = log_output.events("models_config_approved")
    assert any(run.startswith("triage_ticket:") for run in approved["runs"])
