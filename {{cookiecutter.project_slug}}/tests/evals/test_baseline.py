"""Blessing: which results may become a baseline, from which run, and when nothing changes."""

from __future__ import annotations

from pathlib import Path

import pytest

from {{ cookiecutter.package_name }}.core.settings import Settings
from {{ cookiecutter.package_name }}.evals.baseline import (
    NotBlessedError,
    bless_results,
    last_run_results,
    save_last_run,
)
from {{ cookiecutter.package_name }}.evals.layout import EvalConfigError, EvalLayout
from {{ cookiecutter.package_name }}.evals.report import write_reports
from {{ cookiecutter.package_name }}.evals.run import EvalMode, run_suite

from .eval_project import SUITE, answer, correct_answers, write_recordings


async def test_blessing_the_same_measurement_leaves_the_file_alone(
    layout: EvalLayout, eval_settings: Settings
) -> None:
    before = layout.baseline_file(SUITE).read_bytes()
    again = await run_suite(eval_settings, layout, SUITE, EvalMode.REPLAY)

    assert bless_results(again, layout).startswith("unchanged: ")
    assert layout.baseline_file(SUITE).read_bytes() == before

    write_recordings(layout, correct_answers() | {"api-down": [answer("api-down", urgency="low")]})
    worse = await run_suite(eval_settings, layout, SUITE, EvalMode.REPLAY)
    assert "1 regression(s) accepted" in bless_results(worse, layout)
    assert layout.baseline_file(SUITE).read_bytes() != before


async def test_results_of_a_suite_that_is_gone_are_refused(
    layout: EvalLayout, eval_settings: Settings
) -> None:
    results = await run_suite(eval_settings, layout, SUITE, EvalMode.REPLAY)
    layout.suite_file(SUITE).unlink()

    with pytest.raises(NotBlessedError, match=r"no suite file .*triage\.toml"):
        bless_results(results, layout)


async def test_only_the_last_runs_results_are_taken(
    layout: EvalLayout, eval_settings: Settings, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    with pytest.raises(NotBlessedError, match="suite triage did not run in the last eval run"):
        last_run_results(out, SUITE)  # Nothing has run.

    first = await run_suite(eval_settings, layout, SUITE, EvalMode.REPLAY)
    results_path = write_reports(first, out / SUITE)
    save_last_run(out, {SUITE: first.run_id})
    assert last_run_results(out, SUITE) == results_path

    save_last_run(out, {"other": "0" * 32})
    with pytest.raises(NotBlessedError, match="run `make eval SUITE=triage` first"):
        last_run_results(out, SUITE)
    save_last_run(out, {SUITE: "0" * 32})  # The results file is from another run.
    with pytest.raises(NotBlessedError, match="is not from the last eval run"):
        last_run_results(out, SUITE)


async def test_a_corrupt_or_foreign_baseline_stops_the_run_naming_the_file(
    layout: EvalLayout, eval_settings: Settings
) -> None:
    path = layout.baseline_file(SUITE)
    blessed = path.read_text()
    path.write_text('{"suite": "triage"}')
    with pytest.raises(EvalConfigError, match=rf"{path}: run_id: Field required"):
        await run_suite(eval_settings, layout, SUITE, EvalMode.REPLAY)

    path.write_text(blessed.replace('"suite": "triage"', '"suite": "other"'))
    with pytest.raises(EvalConfigError, match="the baseline is of suite 'other', not 'triage'"):
        await run_suite(eval_settings, layout, SUITE, EvalMode.REPLAY)
