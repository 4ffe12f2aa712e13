"""Baselines, `evals/baselines/<suite>.json`: the blessed results each run is compared with.

A baseline changes only by `eval bless`, which takes a suite's results from the last `eval run`
(or a results file named on the command line). It refuses results that could not serve as a
baseline, and the results of a suite that did not run in the last `eval run`, so blessing
every suite never rewrites a baseline with old results.
"""

from __future__ import annotations

from pathlib import Path

import orjson
from pydantic import TypeAdapter, ValidationError

from .layout import EvalConfigError, EvalLayout
from .results import SuiteResults, load_results

LAST_RUN_FILE = "last-run.json"  # In the reports directory: {suite: run id} of the last run.
# What a baseline measured; when all of it is unchanged, blessing leaves the file alone.
MEASUREMENT = {"cases", "prompt_versions", "scorers", "gate_limits", "models", "recordings"}
_last_run = TypeAdapter(dict[str, str])


class NotBlessedError(Exception):
    """Why results may not become a baseline; the message says what to do."""


def load_baseline(path: Path, suite: str) -> tuple[SuiteResults, Path] | None:
    if not path.exists():
        return None
    baseline = load_results(path)
    if baseline.suite != suite:
        msg = f"{path}: suite: the baseline is of suite {baseline.suite!r}, not {suite!r}"
        raise EvalConfigError(msg)
    return baseline, path


def save_last_run(reports_dir: Path, run_ids: dict[str, str]) -> None:
    reports_dir.mkdir(parents=True, exist_ok=True)
    (reports_dir / LAST_RUN_FILE).write_bytes(orjson.dumps(run_ids, option=orjson.OPT_INDENT_2))


def last_run_results(reports_dir: Path, suite: str) -> Path:
    """The results of `suite` from the last `eval run` that wrote into `reports_dir`."""
    path = reports_dir / LAST_RUN_FILE
    try:
        run_ids = _last_run.validate_json(path.read_bytes())
    except (FileNotFoundError, ValidationError):
        run_ids = {}
    results_path = reports_dir / suite / "results.json"
    if suite not in run_ids:
        msg = f"suite {suite} did not run in the last eval run: run `make eval SUITE={suite}` first"
        raise NotBlessedError(msg)
    if load_results(results_path).run_id != run_ids[suite]:
        msg = f"{results_path} is not from the last eval run: run `make eval SUITE={suite}` first"
        raise NotBlessedError(msg)
    return results_path


def bless_results(results: SuiteResults, layout: EvalLayout) -> str:
    """Make `results` the baseline of its suite; returns what happened, for people."""
    refusal = why_not_blessable(results, layout)
    if refusal:
        raise NotBlessedError(refusal)
    target = layout.baseline_file(results.suite)
    previous = load_baseline(target, results.suite)
    if previous is not None and same_measurement(previous[0], results):
        return f"unchanged: {target} already holds these results"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(results.model_copy(update={"comparison": None}).to_json())
    passing = sum(1 for case in results.cases if case.passed)
    accepted = len(results.comparison.regressions) if results.comparison else 0
    return (
        f"blessed {target} from run {results.run_id}: {passing}/{len(results.cases)} cases "
        f"pass, {accepted} regression(s) accepted. Review the diff and commit it."
    )


def why_not_blessable(results: SuiteResults, layout: EvalLayout) -> str | None:
    if not layout.suite_file(results.suite).is_file():
        return f"no suite file {layout.suite_file(results.suite)}: a baseline needs its suite"
    if results.aggregate.errored_attempts:
        return f"{results.aggregate.errored_attempts} attempt(s) errored; a baseline measures all"
    # Accepting regressions (or a first baseline) is what blessing is for; the rest must hold.
    failed = [g.name for g in results.gates if not g.passed and g.name != "max_regressions"]
    if failed:
        return f"gate(s) {', '.join(failed)} failed; fix the cause or the suite's gates first"
    return None


def same_measurement(baseline: SuiteResults, results: SuiteResults) -> bool:
    return baseline.model_dump(include=MEASUREMENT) == results.model_dump(include=MEASUREMENT)
