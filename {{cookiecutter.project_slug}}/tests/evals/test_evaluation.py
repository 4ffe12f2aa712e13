"""A suite end to end through the real task and gateway: replay, record, the baseline gate,
stale recordings, errors that are never scores, and flaky cases with repeats."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from {{ cookiecutter.package_name }}.core.settings import Settings
from {{ cookiecutter.package_name }}.evals.evaluation import evaluate_suite
from {{ cookiecutter.package_name }}.evals.layout import EvalLayout
from {{ cookiecutter.package_name }}.evals.mode import EvalMode
from {{ cookiecutter.package_name }}.llm.errors import InvalidOutputError
from {{ cookiecutter.package_name }}.llm.output_validation import parse_output, repair_request
from {{ cookiecutter.package_name }}.tasks.registry import TaskRegistry

from .eval_project import (
    SUITE,
    answer,
    case_request,
    correct_answers,
    triage_task,
    write_recordings,
    write_suite,
)


def bless(layout: EvalLayout, results_json: str) -> None:
    path = layout.baseline_file(SUITE)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(results_json)


async def test_replay_scores_every_case_and_passes_its_gates(
    layout: EvalLayout, eval_settings: Settings
) -> None:
    results = await evaluate_suite(eval_settings, layout, SUITE, EvalMode.REPLAY)

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
    blessed = await evaluate_suite(eval_settings, layout, SUITE, EvalMode.REPLAY)
    bless(layout, blessed.to_json())
    write_recordings(layout, correct_answers() | {"api-down": [answer("api-down", urgency="low")]})

    results = await evaluate_suite(eval_settings, layout, SUITE, EvalMode.REPLAY)

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
    bless(layout, (await evaluate_suite(eval_settings, layout, SUITE, EvalMode.REPLAY)).to_json())
    write_recordings(layout, correct_answers())

    results = await evaluate_suite(eval_settings, layout, SUITE, EvalMode.REPLAY)

    assert results.exit_code == 0
    assert results.comparison is not None
    assert results.comparison.regressions == ()
    assert [change.id for change in results.comparison.improvements] == ["api-down"]


def use_prompt(monkeypatch: pytest.MonkeyPatch, **changes: str) -> None:
    """The suite's task, with its prompt edited as a developer would edit the file."""
    task = triage_task()
    edited = dataclasses.replace(task, prompt=task.prompt.model_copy(update=changes))
    monkeypatch.setattr("{{ cookiecutter.package_name }}.evals.loader.task_registry", lambda: TaskRegistry([edited]))


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

    results = await evaluate_suite(eval_settings, layout, SUITE, EvalMode.REPLAY)

    assert results.exit_code == 2
    assert results.aggregate.error_rate == 1.0
    assert results.aggregate.pass_rate is None  # Nothing measured: no score at all.
    assert results.aggregate.scorer_means == {}
    error = results.cases[0].attempts[0].error
    assert error is not None
    assert error.kind == "stale_recording"
    assert error.message.startswith("stale or missing recording for case double-charge: ")
    assert reason in error.message
    assert error.message.endswith("run `make eval-record`")


async def test_errors_are_counted_apart_and_never_averaged_in(
    layout: EvalLayout, eval_settings: Settings
) -> None:
    answers = correct_answers()
    del answers["dark-mode"]  # A new case nobody recorded.
    write_recordings(layout, answers | {"api-down": [answer("api-down", urgency="low")]})

    results = await evaluate_suite(eval_settings, layout, SUITE, EvalMode.REPLAY)

    assert results.exit_code == 2
    assert results.aggregate.errored_cases == 1
    assert results.aggregate.error_rate == 0.25
    assert results.aggregate.measured_cases == 3
    assert results.aggregate.pass_rate == pytest.approx(2 / 3)  # Not 2/4: the error is no zero.
    assert results.aggregate.scorer_means["fields"] == pytest.approx((1 + 0.5 + 1) / 3)


async def test_an_allowed_error_rate_lets_the_quality_gates_decide(
    tmp_path: Path, eval_settings: Settings
) -> None:
    layout = write_suite(tmp_path, max_error_rate=0.25)
    answers = correct_answers()
    del answers["dark-mode"]
    write_recordings(layout, answers)

    results = await evaluate_suite(eval_settings, layout, SUITE, EvalMode.REPLAY)

    assert results.exit_code == 0
    assert results.aggregate.pass_rate == 1.0


async def test_invalid_output_is_a_measured_failure_not_an_error(
    layout: EvalLayout, eval_settings: Settings
) -> None:
    # The gateway asks once for a repair (repair_attempts = 1), and gets garbage again.
    request = case_request("api-down")
    with pytest.raises(InvalidOutputError) as invalid:
        parse_output("not json", triage_task().output_model)
    repair = repair_request(request, "not json", invalid.value)
    write_recordings(
        layout,
        correct_answers() | {"api-down": ["not json"]},
        more=(("api-down", repair, ["still not json"]),),
    )

    results = await evaluate_suite(eval_settings, layout, SUITE, EvalMode.REPLAY)

    case = next(case for case in results.cases if case.id == "api-down")
    assert case.passed is False
    attempt = case.attempts[0]
    assert attempt.error is None
    assert attempt.scores["output_valid"].value == 0.0
    assert "output does not match the schema" in attempt.scores["output_valid"].detail
    assert attempt.cost_usd is not None
    assert attempt.cost_usd == pytest.approx(2 * (200 * 0.10 + 30 * 0.40) / 1e6)  # Both calls.
    assert results.aggregate.error_rate == 0.0


async def test_repeats_show_pass_hat_k_and_flag_flaky_cases(
    tmp_path: Path, eval_settings: Settings
) -> None:
    layout = write_suite(tmp_path, repeats=3, min_pass_rate=0.75)
    wrong = answer("api-down", category="billing")
    write_recordings(layout, correct_answers(3) | {"api-down": [answer("api-down"), wrong, wrong]})

    results = await evaluate_suite(eval_settings, layout, SUITE, EvalMode.REPLAY)

    flaky = next(case for case in results.cases if case.id == "api-down")
    assert (flaky.passes, flaky.measured, flaky.passed, flaky.flaky) == (1, 3, False, True)
    assert [a.passed for a in flaky.attempts] == [True, False, False]
    assert results.aggregate.flaky_cases == ("api-down",)
    assert results.aggregate.pass_rate == 0.75  # pass^3: a case passes only if all 3 do.
    assert results.aggregate.pass_at_1 == pytest.approx(10 / 12)
    assert results.exit_code == 0


async def test_more_repeats_than_recorded_answers_is_an_error(
    tmp_path: Path, eval_settings: Settings
) -> None:
    layout = write_suite(tmp_path, repeats=2)
    write_recordings(layout, correct_answers(1))

    results = await evaluate_suite(eval_settings, layout, SUITE, EvalMode.REPLAY)

    assert results.exit_code == 2
    error = results.cases[0].attempts[1].error
    assert error is not None
    assert "1 answer(s) recorded for this request, asked for more" in error.message


async def test_the_baseline_only_changes_when_blessed(
    layout: EvalLayout, eval_settings: Settings
) -> None:
    await evaluate_suite(eval_settings, layout, SUITE, EvalMode.REPLAY)

    assert not layout.baseline_file(SUITE).exists()
