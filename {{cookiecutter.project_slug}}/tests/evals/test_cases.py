"""Each case through the task, the gateway and the scorers: errors are never scores, an
invalid answer is a measured failure, and repeats show pass^k and flaky cases."""

from __future__ import annotations

from pathlib import Path

import pytest

from {{ cookiecutter.package_name }}.core.settings import Settings
from {{ cookiecutter.package_name }}.evals.layout import EvalLayout
from {{ cookiecutter.package_name }}.evals.run import EvalMode, run_suite
from {{ cookiecutter.package_name }}.llm.errors import InvalidOutputError
from {{ cookiecutter.package_name }}.llm.output_validation import parse_output, repair_request

from .eval_project import (
    SUITE,
    answer,
    case_request,
    correct_answers,
    triage_task,
    write_baseline,
    write_recordings,
    write_suite,
)


async def test_errors_are_counted_apart_and_never_averaged_in(
    layout: EvalLayout, eval_settings: Settings
) -> None:
    answers = correct_answers()
    del answers["dark-mode"]  # A new case nobody recorded.
    write_recordings(layout, answers | {"api-down": [answer("api-down", urgency="low")]})

    results = await run_suite(eval_settings, layout, SUITE, EvalMode.REPLAY)

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
    write_baseline(layout, await run_suite(eval_settings, layout, SUITE, EvalMode.REPLAY))

    results = await run_suite(eval_settings, layout, SUITE, EvalMode.REPLAY)

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

    results = await run_suite(eval_settings, layout, SUITE, EvalMode.REPLAY)

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
    write_baseline(layout, await run_suite(eval_settings, layout, SUITE, EvalMode.REPLAY))

    results = await run_suite(eval_settings, layout, SUITE, EvalMode.REPLAY)

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

    results = await run_suite(eval_settings, layout, SUITE, EvalMode.REPLAY)

    assert results.exit_code == 2
    error = results.cases[0].attempts[1].error
    assert error is not None
    assert "1 answer(s) recorded for this request, asked for more" in error.message
