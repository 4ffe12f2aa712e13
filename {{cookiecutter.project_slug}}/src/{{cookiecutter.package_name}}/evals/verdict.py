"""The verdict of a run: attempts summed up per case and per suite, each case compared with the
blessed baseline, the gates, and the exit code (0 passed, 1 a gate failed, 2 too many errors;
3, an unusable suite or file, is decided before anything runs).

Only measured attempts count towards scores; errors are counted, never averaged in. A regression
is a case that passed in the baseline and fails now; a case that errors now is not one: it was
not measured, and the error gate deals with it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from enum import IntEnum
from pathlib import Path
from statistics import fmean

from .dataset import EvalCase
from .results import (
    Aggregate,
    AttemptResult,
    CaseChange,
    CaseResult,
    Comparison,
    GateResult,
    SuiteResults,
)
from .suite import Gates

ERROR_GATE = "max_error_rate"
REGRESSIONS_GATE = "max_regressions"


class ExitCode(IntEnum):
    PASSED = 0
    GATE_FAILED = 1
    TOO_MANY_ERRORS = 2
    BAD_SUITE = 3


def summarise_case(case: EvalCase, attempts: Sequence[AttemptResult]) -> CaseResult:
    """pass^k: a case passes when every measured attempt does; flaky when only some do."""
    measured = [attempt for attempt in attempts if attempt.error is None]
    passes = sum(1 for attempt in measured if attempt.passed)
    return CaseResult(
        id=case.id,
        tags=case.tags,
        attempts=tuple(attempts),
        measured=len(measured),
        passes=passes,
        passed=passes == len(measured) if measured else None,
        flaky=0 < passes < len(measured),
        mean_score=mean_or_none([a.score for a in measured if a.score is not None]),
    )


def aggregate(cases: Sequence[CaseResult], scorer_labels: Sequence[str]) -> Aggregate:
    measured_cases = [case for case in cases if case.passed is not None]
    attempts = [attempt for case in cases for attempt in case.attempts]
    measured = [attempt for attempt in attempts if attempt.error is None]
    latencies = [a.latency_ms for a in measured if a.latency_ms is not None]
    costs = [a.cost_usd for a in measured if a.cost_usd is not None]
    return Aggregate(
        cases=len(cases),
        measured_cases=len(measured_cases),
        errored_cases=sum(1 for case in cases if case.measured < len(case.attempts)),
        attempts=len(attempts),
        errored_attempts=len(attempts) - len(measured),
        pass_rate=mean_or_none([1.0 if case.passed else 0.0 for case in measured_cases]),
        pass_at_1=mean_or_none([1.0 if attempt.passed else 0.0 for attempt in measured]),
        error_rate=(len(attempts) - len(measured)) / len(attempts) if attempts else 0.0,
        mean_score=mean_or_none([a.score for a in measured if a.score is not None]),
        scorer_means={
            label: fmean(a.scores[label].value for a in measured)
            for label in scorer_labels
            if measured
        },
        latency_p95_ms=percentile(latencies, 0.95),
        latency_mean_ms=mean_or_none(latencies),
        mean_cost_usd=mean_or_none(costs),
        total_cost_usd=sum(costs),
        flaky_cases=tuple(case.id for case in cases if case.flaky),
    )


def mean_or_none(values: Sequence[float]) -> float | None:
    return fmean(values) if values else None


def percentile(values: Sequence[float], share: float) -> float | None:
    """Nearest rank: the smallest value at or above `share` of the values."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def compare(cases: Sequence[CaseResult], baseline: SuiteResults, baseline_path: str) -> Comparison:
    before = {case.id: case for case in baseline.cases}
    now = {case.id: case for case in cases}
    regressions, improvements = [], []
    for case in cases:
        old = before.get(case.id)
        if old is None or old.passed is None or case.passed is None:
            continue
        change = CaseChange(
            id=case.id, before=old.mean_score, after=case.mean_score, failed_scorers=failed(case)
        )
        if old.passed and not case.passed:
            regressions.append(change)
        elif case.passed and not old.passed:
            improvements.append(change)
    return Comparison(
        baseline=baseline_path,
        baseline_git_sha=baseline.git_sha,
        baseline_pass_rate=baseline.aggregate.pass_rate,
        baseline_scorer_means=baseline.aggregate.scorer_means,
        regressions=tuple(regressions),
        improvements=tuple(improvements),
        new_cases=tuple(case_id for case_id in now if case_id not in before),
        removed_cases=tuple(case_id for case_id in before if case_id not in now),
    )


def failed(case: CaseResult) -> tuple[str, ...]:
    """Each scorer that failed in some attempt, with what it saw, e.g. "category: got ..."."""
    seen: dict[str, str] = {}
    for attempt in case.attempts:
        for label, score in attempt.scores.items():
            if not score.passed and label not in seen:
                seen[label] = f"{label}: {score.detail}" if score.detail else label
    return tuple(seen.values())


def apply_gates(results: SuiteResults, baseline: tuple[SuiteResults, Path] | None) -> SuiteResults:
    """The results compared with the baseline, with their gates and exit code (re)computed."""
    comparison = compare(results.cases, baseline[0], str(baseline[1])) if baseline else None
    gates = evaluate_gates(results.gate_limits, results.aggregate, comparison, results.suite)
    return results.model_copy(
        update={
            "comparison": comparison,
            "gates": gates,
            "gate_passed": all(gate.passed for gate in gates),
            "exit_code": int(exit_code(gates)),
        }
    )


def evaluate_gates(
    limits: Gates,
    aggregate: Aggregate,
    comparison: Comparison | None,
    suite: str,
) -> tuple[GateResult, ...]:
    gates = [
        GateResult(
            name=ERROR_GATE,
            limit=limits.max_error_rate,
            actual=aggregate.error_rate,
            passed=aggregate.error_rate <= limits.max_error_rate,
        ),
        at_least("min_pass_rate", limits.min_pass_rate, aggregate.pass_rate),
        regressions_gate(limits.max_regressions, comparison, suite),
    ]
    optional = {
        "max_flaky_cases": (limits.max_flaky_cases, float(len(aggregate.flaky_cases))),
        "max_latency_p95_ms": (limits.max_latency_p95_ms, aggregate.latency_p95_ms),
        "max_mean_cost_usd": (limits.max_mean_cost_usd, aggregate.mean_cost_usd),
    }
    for name, (limit, actual) in optional.items():
        if limit is not None:
            gates.append(at_most(name, limit, actual))
    return tuple(gates)


def at_least(name: str, limit: float, actual: float | None) -> GateResult:
    if actual is None:
        return GateResult(
            name=name, limit=limit, actual=None, passed=False, note="nothing measured"
        )
    return GateResult(name=name, limit=limit, actual=actual, passed=actual >= limit)


def at_most(name: str, limit: float, actual: float | None) -> GateResult:
    if actual is None:
        return GateResult(
            name=name, limit=limit, actual=None, passed=False, note="nothing measured"
        )
    return GateResult(name=name, limit=limit, actual=actual, passed=actual <= limit)


def regressions_gate(limit: int, comparison: Comparison | None, suite: str) -> GateResult:
    """Without a baseline nothing can regress, so the gate would guard nothing: it fails, and
    says how to bless one (the results of this very run will do, once reviewed)."""
    if comparison is None:
        note = f"suite {suite} has no baseline: bless one with `make eval-bless SUITE={suite}`"
        return GateResult(name=REGRESSIONS_GATE, limit=limit, actual=None, passed=False, note=note)
    count = len(comparison.regressions)
    return GateResult(name=REGRESSIONS_GATE, limit=limit, actual=count, passed=count <= limit)


def exit_code(gates: tuple[GateResult, ...]) -> ExitCode:
    if any(gate.name == ERROR_GATE and not gate.passed for gate in gates):
        return ExitCode.TOO_MANY_ERRORS
    if not all(gate.passed for gate in gates):
        return ExitCode.GATE_FAILED
    return ExitCode.PASSED
