"""Record, replay and live modes: the same run, with answers written, read or fetched."""

from __future__ import annotations

from pathlib import Path

import pytest

from {{ cookiecutter.package_name }}.core.settings import Settings
from {{ cookiecutter.package_name }}.evals.errors import EvalConfigError
from {{ cookiecutter.package_name }}.evals.evaluation import evaluate_suite
from {{ cookiecutter.package_name }}.evals.mode import EvalMode
from {{ cookiecutter.package_name }}.evals.recordings import load_recordings

from ..factories import make_settings
from .eval_project import SUITE, TICKETS, write_suite


async def test_record_then_replay_gives_the_same_results(
    tmp_path: Path, eval_settings: Settings
) -> None:
    layout = write_suite(tmp_path)

    recorded = await evaluate_suite(eval_settings, layout, SUITE, EvalMode.RECORD)
    replayed = await evaluate_suite(eval_settings, layout, SUITE, EvalMode.REPLAY)

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

    results = await evaluate_suite(eval_settings, layout, SUITE, EvalMode.LIVE)

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
        await evaluate_suite(settings, layout, SUITE, EvalMode.LIVE)
