"""Eval runs in the database: one row per run, one per attempt, and the latest approval."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from {{ cookiecutter.package_name }}.core import migrations
from {{ cookiecutter.package_name }}.core.database import create_engine
from {{ cookiecutter.package_name }}.core.settings import Settings
from {{ cookiecutter.package_name }}.evals.layout import EvalLayout
from {{ cookiecutter.package_name }}.evals.results import SuiteResults
from {{ cookiecutter.package_name }}.evals.run import EvalMode, run_suite
from {{ cookiecutter.package_name }}.evals.store import EvalCaseResult, RunStoreUnavailableError, open_run_store

from ..factories import make_settings
from .eval_project import SUITE, correct_answers, write_recordings


async def results_of(layout: EvalLayout, settings: Settings) -> SuiteResults:
    return await run_suite(settings, layout, SUITE, EvalMode.REPLAY)


async def test_a_run_and_its_attempts_are_stored(layout: EvalLayout, database_url: str) -> None:
    settings = make_settings(database_url=database_url)
    await asyncio.to_thread(migrations.upgrade, settings)
    answers = correct_answers()
    del answers["dark-mode"]
    write_recordings(layout, answers)
    results = await results_of(layout, settings)
    try:
        async with open_run_store(settings) as store:
            await store.save(results)
            approvals = await store.approvals(results.models.sha256)
        rows = await case_rows(settings)
    finally:
        await asyncio.to_thread(migrations.downgrade, settings)

    assert rows == 4
    assert approvals == []  # The run failed its error gate: it approves nothing.


async def case_rows(settings: Settings) -> int:
    engine = create_engine(settings)
    try:
        async with engine.connect() as connection:
            count = await connection.scalar(select(func.count()).select_from(EvalCaseResult))
    finally:
        await engine.dispose()
    return count or 0


async def test_approvals_are_the_latest_passing_run_per_suite_and_mode(
    layout: EvalLayout, migrated: Settings
) -> None:
    first = await results_of(layout, migrated)
    later = first.model_copy(
        update={"run_id": "f" * 32, "finished_at": first.finished_at + timedelta(minutes=5)}
    )
    failed = first.model_copy(
        update={
            "run_id": "e" * 32,
            "finished_at": first.finished_at + timedelta(minutes=9),
            "gate_passed": False,
            "exit_code": 1,
        }
    )
    other_config = first.model_copy(
        update={
            "run_id": "d" * 32,
            "models": first.models.model_copy(update={"sha256": "0" * 64}),
        }
    )
    async with open_run_store(migrated) as store:
        for results in (first, later, failed, other_config):
            await store.save(results)
        approvals = await store.approvals(first.models.sha256)

    assert [(run.suite, run.mode, run.id.hex) for run in approvals] == [(SUITE, "replay", "f" * 32)]


async def test_an_unmigrated_database_is_reported_not_changed(settings: Settings) -> None:
    with pytest.raises(RunStoreUnavailableError, match="no database at"):
        async with open_run_store(settings):
            pass
    assert not await asyncio.to_thread(database_file(settings).exists)  # Not created either.


def database_file(settings: Settings) -> Path:
    return Path(settings.database_url.get_secret_value().removeprefix("sqlite+aiosqlite:///"))
