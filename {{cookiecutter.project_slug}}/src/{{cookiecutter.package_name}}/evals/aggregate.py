"""From attempts to cases to the suite: pass^k, flakiness, means and percentiles.

Only measured attempts count towards scores; errors are counted, never averaged in.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from statistics import fmean

from .dataset import EvalCase
from .results import Aggregate, AttemptResult, CaseResult


def summarise_case(case: EvalCase, attempts: Sequence[AttemptResult]) -> CaseResult:
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
