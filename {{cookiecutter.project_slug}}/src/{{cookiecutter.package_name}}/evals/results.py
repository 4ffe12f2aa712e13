"""`results.json`: the versioned record of one run, also the format of a blessed baseline.

Bump `SCHEMA_VERSION` with any change a reader of an older file would misread.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from pydantic import Field, ValidationError

from ..core.frozen_model import FrozenModel as Frozen
from .layout import EvalConfigError, describe_problems
from .suite import Gates

SCHEMA_VERSION = 1


class ScoreResult(Frozen):
    value: float
    passed: bool
    detail: str = ""


class CaseError(Frozen):
    kind: str  # A model error kind, "stale_recording" or "scorer_failed".
    message: str


class AttemptResult(Frozen):
    """One repeat of one case: either measured (scores) or an error (no scores at all)."""

    repeat: int
    passed: bool | None  # None: unmeasured, see `error`.
    error: CaseError | None = None
    score: float | None = None  # Weighted mean of the scorers.
    scores: dict[str, ScoreResult] = Field(default_factory=dict)
    output: dict[str, Any] | None = None
    latency_ms: float | None = None
    cost_usd: float | None = None


class CaseResult(Frozen):
    id: str
    tags: tuple[str, ...] = ()
    attempts: tuple[AttemptResult, ...]
    measured: int  # Attempts that did not error.
    passes: int
    passed: bool | None  # Every measured attempt passed (pass^k); None when none was measured.
    flaky: bool  # Some measured attempts passed and some failed.
    mean_score: float | None


class Aggregate(Frozen):
    cases: int
    measured_cases: int
    errored_cases: int
    attempts: int
    errored_attempts: int
    pass_rate: float | None  # Measured cases whose every attempt passed (pass^k).
    pass_at_1: float | None  # Measured attempts that passed.
    error_rate: float
    mean_score: float | None
    scorer_means: dict[str, float]
    latency_p95_ms: float | None
    latency_mean_ms: float | None
    mean_cost_usd: float | None
    total_cost_usd: float
    flaky_cases: tuple[str, ...]


class CaseChange(Frozen):
    id: str
    before: float | None
    after: float | None
    failed_scorers: tuple[str, ...] = ()


class Comparison(Frozen):
    baseline: str
    baseline_git_sha: str | None
    baseline_pass_rate: float | None
    baseline_scorer_means: dict[str, float]
    regressions: tuple[CaseChange, ...]
    improvements: tuple[CaseChange, ...]
    new_cases: tuple[str, ...]
    removed_cases: tuple[str, ...]


class GateResult(Frozen):
    name: str
    limit: float | None
    actual: float | None
    passed: bool
    note: str = ""


class ModelConfigInfo(Frozen):
    path: str
    version: str
    sha256: str


class RecordingsInfo(Frozen):
    path: str
    recorded_with: tuple[str, ...]


class ScorerInfo(Frozen):
    name: str
    scorer: str
    threshold: float
    weight: float


class SuiteResults(Frozen):
    schema_version: int = Field(default=SCHEMA_VERSION, ge=SCHEMA_VERSION, le=SCHEMA_VERSION)
    run_id: str
    suite: str
    task: str
    mode: str
    started_at: datetime
    finished_at: datetime
    git_sha: str | None
    models: ModelConfigInfo  # The models file the run used; its sha256 names the config.
    prompt_versions: dict[str, str]
    recordings: RecordingsInfo | None
    repeats: int
    scorers: tuple[ScorerInfo, ...]
    gate_limits: Gates
    cases: tuple[CaseResult, ...]
    aggregate: Aggregate
    comparison: Comparison | None
    gates: tuple[GateResult, ...]
    gate_passed: bool
    exit_code: int

    def to_json(self) -> str:
        return self.model_dump_json(indent=2) + "\n"


def load_results(path: Path) -> SuiteResults:
    try:
        return SuiteResults.model_validate_json(path.read_bytes())
    except FileNotFoundError:
        msg = f"{path}: no such results file"
    except ValidationError as exc:
        msg = f"{path}: {describe_problems(exc)}"
    raise EvalConfigError(msg)
