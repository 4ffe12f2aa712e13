"""The `eval_pass_rate` gauge shows the latest run per suite of the model config being served."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from prometheus_client import REGISTRY

from {{ cookiecutter.package_name }}.core.database import create_engine, create_sessionmaker
from {{ cookiecutter.package_name }}.core.settings import Settings
from {{ cookiecutter.package_name }}.evals.pass_rate_gauge import publish_eval_pass_rates
from {{ cookiecutter.package_name }}.evals.store import EvalRun

SHA = "a" * 64
NOW = datetime(2026, 11, 29, 12, tzinfo=UTC)


def run(suite: str, pass_rate: float | None, sha: str, minutes_ago: int) -> EvalRun:
    finished = NOW - timedelta(minutes=minutes_ago)
    return EvalRun(
        id=uuid.uuid4(),
        suite=suite,
        mode="replay",
        started_at=finished - timedelta(minutes=1),
        finished_at=finished,
        git_sha=None,
        model_config_sha256=sha,
        prompt_versions={},
        pass_rate=pass_rate,
        error_rate=0.0,
        gate_passed=True,
        exit_code=0,
    )


async def test_the_latest_run_of_each_suite_for_the_served_config(migrated: Settings) -> None:
    engine = create_engine(migrated)
    sessionmaker = create_sessionmaker(engine)
    async with sessionmaker() as session, session.begin():
        session.add_all(
            [
                run("gauge_suite_a", 0.75, SHA, minutes_ago=60),
                run("gauge_suite_a", 0.9, SHA, minutes_ago=5),  # the latest
                run("gauge_suite_a", 0.1, "b" * 64, minutes_ago=1),  # another config
                run("gauge_suite_b", None, SHA, minutes_ago=1),  # nothing measured
            ]
        )
    try:
        rates = await publish_eval_pass_rates(sessionmaker, SHA)
    finally:
        await engine.dispose()

    assert rates == {"gauge_suite_a": 0.9}
    assert REGISTRY.get_sample_value("eval_pass_rate", {"suite": "gauge_suite_a"}) == 0.9


async def test_a_database_without_the_table_is_only_logged(settings: Settings) -> None:
    engine = create_engine(settings)
    try:
        rates = await publish_eval_pass_rates(create_sessionmaker(engine), SHA)
    finally:
        await engine.dispose()

    assert rates == {}
