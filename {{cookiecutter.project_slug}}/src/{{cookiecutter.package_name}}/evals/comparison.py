"""Case by case against the blessed baseline: which cases regressed, improved, came or went.

A regression is a case that passed in the baseline and fails now. A case that errors now is
not a regression: it was not measured, and the error gate deals with it.
"""

from __future__ import annotations

from collections.abc import Sequence

from .results import Aggregate, CaseChange, CaseResult, Comparison, SuiteResults


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


def scorer_deltas(aggregate: Aggregate, comparison: Comparison | None) -> dict[str, float]:
    """Mean score per scorer, now minus baseline, for scorers both runs have."""
    if comparison is None:
        return {}
    return {
        label: mean - comparison.baseline_scorer_means[label]
        for label, mean in aggregate.scorer_means.items()
        if label in comparison.baseline_scorer_means
    }
