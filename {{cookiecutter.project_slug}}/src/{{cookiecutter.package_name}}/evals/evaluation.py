"""One suite, end to end: load it, run it in a mode, compare with the baseline, apply the gates.

The result is a `SuiteResults`; writing reports and recording the run are the caller's.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from pathlib import Path

from ..core.settings import Settings
from ..llm.setup import stop_gateway
from .aggregate import aggregate
from .comparison import compare
from .errors import EvalConfigError
from .eval_gateway import build_eval_gateway, load_models
from .gates import evaluate_gates, exit_code
from .layout import EvalLayout
from .loader import Suite, load_suite
from .mode import EvalMode
from .provenance import git_sha
from .recorder import RecordingBook
from .recordings import load_recordings
from .results import (
    ModelConfigInfo,
    RecordingsInfo,
    ScorerInfo,
    SuiteResults,
    load_results,
)
from .runner import SuiteRunner


async def evaluate_suite(
    settings: Settings, layout: EvalLayout, name: str, mode: EvalMode
) -> SuiteResults:
    """Raises `EvalConfigError` (exit code 3) before any model call when the suite is unusable."""
    suite = load_suite(layout, name)
    setup = load_models(settings, suite.model_aliases())
    models = setup.models
    recordings_path = layout.recordings_file(name)
    recordings = load_recordings(recordings_path) if mode is EvalMode.REPLAY else None
    book = RecordingBook() if mode is EvalMode.RECORD else None
    gateway = build_eval_gateway(
        setup, mode, recordings=recordings, recordings_path=recordings_path, book=book
    )
    concurrency = 1 if mode is EvalMode.REPLAY else suite.config.concurrency
    runner = SuiteRunner(suite, gateway, layout.rubrics_dir, mode is EvalMode.REPLAY, concurrency)
    started_at = datetime.now(UTC)
    try:
        cases = await runner.run()
    finally:
        await stop_gateway(gateway)
    recorded_with: tuple[str, ...] = recordings.header.recorded_with if recordings else ()
    if book is not None:
        header = book.save(recordings_path, suite=name, models_file=str(settings.models_file))
        recorded_with = header.recorded_with
    results = SuiteResults(
        run_id=uuid.uuid4().hex,
        suite=name,
        task=suite.task.name,
        mode=mode.value,
        started_at=started_at,
        finished_at=datetime.now(UTC),
        git_sha=git_sha(),
        models=ModelConfigInfo(
            path=models.path, version=models.config.version, sha256=models.sha256
        ),
        prompt_versions={suite.task.prompt.name: suite.task.prompt.version},
        recordings=RecordingsInfo(path=str(recordings_path), recorded_with=recorded_with)
        if mode is not EvalMode.LIVE
        else None,
        repeats=suite.config.repeats,
        scorers=scorer_infos(suite),
        gate_limits=suite.config.gates,
        cases=cases,
        aggregate=aggregate(cases, [bound.label for bound in suite.scorers]),
        # Decided by apply_gates, next.
        comparison=None,
        gates=(),
        gate_passed=False,
        exit_code=0,
    )
    return apply_gates(results, load_baseline(layout.baseline_file(name), name))


def apply_gates(results: SuiteResults, baseline: tuple[SuiteResults, Path] | None) -> SuiteResults:
    """The results compared with the baseline, with their gates and exit code (re)computed."""
    comparison = compare(results.cases, baseline[0], str(baseline[1])) if baseline else None
    gates = evaluate_gates(results.gate_limits, results.aggregate, comparison)
    code = exit_code(gates)
    return results.model_copy(
        update={
            "comparison": comparison,
            "gates": gates,
            "gate_passed": all(gate.passed for gate in gates),
            "exit_code": int(code),
        }
    )


def load_baseline(path: Path, suite: str) -> tuple[SuiteResults, Path] | None:
    if not path.exists():
        return None
    baseline = load_results(path)
    if baseline.suite != suite:
        msg = f"{path}: suite: the baseline is of suite {baseline.suite!r}, not {suite!r}"
        raise EvalConfigError(msg)
    return baseline, path


def scorer_infos(suite: Suite) -> tuple[ScorerInfo, ...]:
    return tuple(
        ScorerInfo(name=b.label, scorer=b.scorer.name, threshold=b.threshold, weight=b.weight)
        for b in suite.scorers
    )
