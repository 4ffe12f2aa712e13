from __future__ import annotations

from pathlib import Path

import pytest

from {{ cookiecutter.package_name }}.core.settings import Settings
from {{ cookiecutter.package_name }}.evals.layout import EvalLayout
from {{ cookiecutter.package_name }}.evals.run import EvalMode, run_suite

from ..factories import make_settings
from .eval_project import SUITE, correct_answers, write_baseline, write_recordings, write_suite


@pytest.fixture
def eval_settings() -> Settings:
    """The offline models; replay never calls them, record and live call the fake provider."""
    return make_settings()


@pytest.fixture
async def layout(tmp_path: Path, eval_settings: Settings) -> EvalLayout:
    """A suite of four tickets with a correct recorded answer for each, and its baseline."""
    layout = write_suite(tmp_path / "evals")
    write_recordings(layout, correct_answers())
    write_baseline(layout, await run_suite(eval_settings, layout, SUITE, EvalMode.REPLAY))
    return layout
