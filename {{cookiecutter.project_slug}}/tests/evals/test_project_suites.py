"""The project's own eval suites as tests, for teams who prefer `pytest -m eval` to `make eval`.

Each suite runs in replay mode against its gates and baseline, like `make eval` does.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import orjson
import pytest

from {{ cookiecutter.package_name }}.evals.layout import EvalLayout
from {{ cookiecutter.package_name }}.evals.report.markdown import markdown_summary
from {{ cookiecutter.package_name }}.evals.run import EvalMode, run_suite

from ..factories import PROJECT_DIR, make_settings

LAYOUT = EvalLayout(PROJECT_DIR / "evals")


@pytest.mark.eval
@pytest.mark.parametrize("suite", LAYOUT.suite_names())
async def test_suite_passes_its_gates_in_replay(suite: str) -> None:
    # The configured models file, as `make eval` uses: replay never calls its providers.
    settings = make_settings(models_file=PROJECT_DIR / "config" / "models.toml")

    results = await run_suite(settings, LAYOUT, suite, EvalMode.REPLAY)

    assert results.exit_code == 0, markdown_summary(results)


def test_the_project_has_a_suite() -> None:
    assert LAYOUT.suite_names(), f"no suites in {LAYOUT.suites_dir}"


# The example task's suite: the one whose answers this test knows how to make worse.
EXAMPLE_SUITE = "triage_ticket"


@pytest.mark.skipif(
    EXAMPLE_SUITE not in LAYOUT.suite_names(), reason=f"no {EXAMPLE_SUITE} suite any more"
)
async def test_a_seeded_regression_in_the_shipped_recordings_fails_the_gate(
    tmp_path: Path,
) -> None:
    layout = EvalLayout(tmp_path / "evals")
    shutil.copytree(LAYOUT.root, layout.root)
    suite = EXAMPLE_SUITE
    baseline = orjson.loads(layout.baseline_file(suite).read_bytes())
    passing = next(case["id"] for case in baseline["cases"] if case["passed"])
    break_recorded_answer(layout.recordings_file(suite), passing)

    results = await run_suite(make_settings(), layout, suite, EvalMode.REPLAY)

    assert results.exit_code == 1
    assert results.comparison is not None
    assert [change.id for change in results.comparison.regressions] == [passing]


def break_recorded_answer(path: Path, case_id: str) -> None:
    """Edit a case's recorded triage answer as a worse model would have answered it."""
    lines = path.read_bytes().splitlines()
    for index, line in enumerate(lines[1:], start=1):
        entry = orjson.loads(line)
        if entry["case"] == case_id:
            completion = entry["answers"][0]["completion"]
            answer = orjson.loads(completion["text"])
            answer["category"] = "other" if answer["category"] != "other" else "billing"
            completion["text"] = orjson.dumps(answer).decode()
            lines[index] = orjson.dumps(entry)
    path.write_bytes(b"\n".join(lines) + b"\n")
