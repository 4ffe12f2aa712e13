"""A suite end to end through the real task and gateway in each mode: replay, record and live,
the baseline gate, and stale recordings that fail loudly."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from {{ cookiecutter.package_name }}.core.settings import Settings
from {{ cookiecutter.package_name }}.evals.layout import EvalConfigError, EvalLayout
from {{ cookiecutter.package_name }}.evals.recordings import load_recordings
from {{ cookiecutter.package_name }}.evals.run import EvalMode, run_suite
from {{ cookiecutter.package_name }}.tasks.registry import TaskRegistry

from ..factories import make_settings
from .eval_project import (
    SUITE,
    TICKETS,
    answer,
    correct_answers,
    triage_task,
    write_baseline,
    write_recordings,
    write_suite,
)


async def test_replay_scores_every_case_and_passes_its_gates(
    layout: EvalLayout, eval_settings: Settings
) -> None:
    results = await run_suite(eval_settings, layout, SUITE, EvalMode.REPLAY)

    assert results.exit_code == 0
    assert results.aggregate.pass_rate == 1.0
    assert results.aggregate.error_rate == 0.0
    assert results.aggregate.scorer_means == {"output_valid": 1.0, "fields": 1.0}
    assert results.aggregate.latency_p95_ms == 120.0  # As recorded, not as replayed.
    assert results.aggregate.mean_cost_usd == pytest.approx((200 * 0.10 + 30 * 0.40) / 1e6)
    assert results.models.sha256 == results.models.sha256.lower()
    assert len(results.models.sha256) == 64
    assert results.prompt_versions == {"triage_ticket": "1"}
    assert results.recordings is not None
    assert results.recordings.recorded_with == ("fake/fake-1",)


async def test_a_seeded_regression_fails_the_gate_and_names_the_case(
    layout: EvalLayout, eval_settings: Settings
) -> None:
    blessed = await run_suite(eval_settings, layout, SUITE, EvalMode.REPLAY)
    write_baseline(layout, blessed)
    write_recordings(layout, correct_answers() | {"api-down": [answer("api-down", urgency="low")]})

    results = await run_suite(eval_settings, layout, SUITE, EvalMode.REPLAY)

    assert results.exit_code == 1
    assert results.aggregate.pass_rate == 0.75  # Still above the 0.5 floor: the baseline fails it.
    assert results.comparison is not None
    (regression,) = results.comparison.regressions
    assert regression.id == "api-down"
    assert regression.failed_scorers == ("fields: urgency: got 'low', expected 'urgent'",)
    failed = {gate.name for gate in results.gates if not gate.passed}
    assert failed == {"max_regressions"}


async def test_a_case_failing_in_the_baseline_too_is_not_a_regression(
    layout: EvalLayout, eval_settings: Settings
) -> None:
    write_recordings(layout, correct_answers() | {"api-down": [answer("api-down", urgency="low")]})
    write_baseline(layout, await run_suite(eval_settings, layout, SUITE, EvalMode.REPLAY))
    write_recordings(layout, correct_answers())

    results = await run_suite(eval_settings, layout, SUITE, EvalMode.REPLAY)

    assert results.exit_code == 0
    assert results.comparison is not None
    assert results.comparison.regressions == ()
    assert [change.id for change in results.comparison.improvements] == ["api-down"]


def use_prompt(monkeypatch: pytest.MonkeyPatch, **changes: str) -> None:
    """The suite's task, with its prompt edited as a developer would edit the file."""
    task = triage_task()
    edited = dataclasses.replace(task, prompt=task.prompt.model_copy(update=changes))
    monkeypatch.setattr("{{ cookiecutter.package_name }}.evals.suite.task_registry", lambda: TaskRegistry([edited]))


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        (
            {"version": "2"},
            "the prompt is now triage_ticket@2, the recordings have triage_ticket@1",
        ),
        (
            {"system": "Triage the ticket."},
            "(prompt triage_ticket@1): the case is new, or its input",
        ),
    ],
)
async def test_a_changed_prompt_fails_loudly_instead_of_replaying_a_stale_answer(
    layout: EvalLayout,
    eval_settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
    changes: dict[str, str],
    reason: str,
) -> None:
    use_prompt(monkeypatch, **changes)

    results = await run_suite(eval_settings, layout, SUITE, EvalMode.REPLAY)

    assert results.exit_code == 2
    assert results.aggregate.error_rate == 1.0
    assert results.aggregate.pass_rate is None  # Nothing measured: no score at all.
    assert results.aggregate.scorer_means == {}
    error = results.cases[0].attempts[0].error
    assert error is not None
    assert error.kind == "stale_recording"
    assert error.message.startswith("stale or missing recording for case double-charge: ")
    assert reason in error.message
    assert error.message.endswith("run `make eval-record SUITE=triage`")


async def test_the_baseline_only_changes_when_blessed(
    layout: EvalLayout, eval_settings: Settings
) -> None:
    blessed = layout.baseline_file(SUITE).read_bytes()
    write_recordings(layout, correct_answers() | {"api-down": [answer("api-down", urgency="low")]})

    results = await run_suite(eval_settings, layout, SUITE, EvalMode.REPLAY)

    assert results.exit_code == 1
    assert layout.baseline_file(SUITE).read_bytes() == blessed


async def test_a_suite_without_a_baseline_fails_and_says_how_to_bless_one(
    layout: EvalLayout, eval_settings: Settings
) -> None:
    layout.baseline_file(SUITE).unlink()

    results = await run_suite(eval_settings, layout, SUITE, EvalMode.REPLAY)

    assert results.exit_code == 1
    assert results.comparison is None
    assert results.aggregate.pass_rate == 1.0  # Every case passes: the missing baseline fails.
    (failed,) = [gate for gate in results.gates if not gate.passed]
    assert failed.name == "max_regressions"
    assert (
        failed.note == "suite triage has no baseline: bless one with `make eval-bless SUITE=triage`"
    )


async def test_record_then_replay_gives_the_same_results(
    tmp_path: Path, eval_settings: Settings
) -> None:
    layout = write_suite(tmp_path)

    recorded = await run_suite(eval_settings, layout, SUITE, EvalMode.RECORD)
    replayed = await run_suite(eval_settings, layout, SUITE, EvalMode.REPLAY)

    recordings = load_recordings(layout.recordings_file(SUITE))
    assert recordings is not None
    assert recordings.header.recorded_with == ("fake/fake-1",)
    assert {entry.case for entry in recordings.entries.values()} == set(TICKETS)
    assert replayed.exit_code == recorded.exit_code
    assert [c.model_dump(exclude={"attempts"}) for c in replayed.cases] == [
        c.model_dump(exclude={"attempts"}) for c in recorded.cases
    ]
    assert [c.attempts[0].output for c in replayed.cases] == [
        c.attempts[0].output for c in recorded.cases
    ]


async def test_live_mode_calls_the_providers_and_writes_no_recordings(
    tmp_path: Path, eval_settings: Settings
) -> None:
    layout = write_suite(tmp_path)

    results = await run_suite(eval_settings, layout, SUITE, EvalMode.LIVE)

    assert results.aggregate.errored_attempts == 0
    assert results.recordings is None
    assert not layout.recordings_file(SUITE).exists()


@pytest.mark.parametrize("key", [None, ""])
async def test_live_mode_without_a_providers_key_is_refused_before_any_call(
    tmp_path: Path, key: str | None
) -> None:
    models = tmp_path / "models.toml"
    models.write_text(
        'version = "1"\n[deployments.gpt]\nprovider = "openai"\n'
        'model = "gpt-4.1-mini-2025-04-14"\n[aliases.default]\ndeployments = ["gpt"]\n'
    )
    settings = make_settings(models_file=models, openai_api_key=key)
    layout = write_suite(tmp_path / "evals")

    with pytest.raises(
        EvalConfigError, match="live mode calls providers that need APP_OPENAI_API_KEY"
    ):
        await run_suite(settings, layout, SUITE, EvalMode.LIVE)
