"""`summary.md`: what a reviewer reads in the CI job summary, shortest answer first."""

from __future__ import annotations

from ..results import Aggregate, CaseChange, Comparison, SuiteResults
from .wording import (
    case_problem,
    gate_row,
    known_failure,
    number,
    percent,
    run_line,
    score_text,
    verdict,
)

MAX_LISTED = 25
MARKS = {True: "✅", False: "❌"}


def markdown_summary(results: SuiteResults) -> str:
    lines = [
        f"## Eval `{results.suite}`: {MARKS[results.exit_code == 0]} {verdict(results)}"
        f" (exit {results.exit_code})",
        "",
        run_line(results),
    ]
    if results.recordings and results.recordings.recorded_with:
        lines.append(f"Answers recorded from {', '.join(results.recordings.recorded_with)}.")
    lines += ["", "| Gate | Limit | Actual | |", "|---|---|---|---|"]
    lines += [f"| {' | '.join(gate_row(gate))} | {MARKS[gate.passed]} |" for gate in results.gates]
    lines += ["", *scorer_table(results)]
    lines += section(
        "Regressions: passed in the baseline, fail now",
        [f"`{c.id}`: {'; '.join(c.failed_scorers)}" for c in comparison_regressions(results)],
    )
    lines += section(
        "Errors: not measured, not scored",
        [
            f"`{case.id}`: {case_problem(case)}"
            for case in results.cases
            if case.measured < len(case.attempts)
        ],
    )
    lines += section(
        "Flaky: passed some repeats and failed others",
        [f"`{c.id}`: {c.passes}/{c.measured} passed" for c in results.cases if c.flaky],
    )
    lines += section(
        "Failing, as in the baseline" if results.comparison else "Failing",
        [
            f"`{case.id}`: {case_problem(case)}"
            for case in results.cases
            if case.passed is False and (known_failure(results, case) or not results.comparison)
        ],
    )
    if results.comparison is not None:
        improved = ", ".join(f"`{c.id}`" for c in results.comparison.improvements) or "none"
        lines += ["", f"Improved since the baseline: {improved}."]
        lines.append(
            f"Baseline: `{results.comparison.baseline}`; "
            f"`make eval-bless SUITE={results.suite}` replaces it."
        )
    return "\n".join(lines) + "\n"


def scorer_table(results: SuiteResults) -> list[str]:
    aggregate = results.aggregate
    deltas = scorer_deltas(aggregate, results.comparison)
    baseline = results.comparison.baseline_scorer_means if results.comparison else {}
    rows = [
        f"Pass rate {percent(aggregate.pass_rate)} (pass@1 {percent(aggregate.pass_at_1)}),"
        f" {aggregate.errored_attempts} error(s) in {aggregate.attempts} attempts,"
        f" latency p95 {number(aggregate.latency_p95_ms, ' ms')},"
        f" mean cost {number(aggregate.mean_cost_usd, ' USD')}.",
        "",
        "| Scorer | Mean | Baseline | Change |",
        "|---|---|---|---|",
    ]
    for label, mean in aggregate.scorer_means.items():
        before = score_text(baseline.get(label))
        delta = f"{deltas[label]:+.3f}" if label in deltas else "n/a"
        rows.append(f"| {label} | {mean:.3f} | {before} | {delta} |")
    return rows


def comparison_regressions(results: SuiteResults) -> list[CaseChange]:
    return list(results.comparison.regressions) if results.comparison else []


def section(title: str, items: list[str]) -> list[str]:
    if not items:
        return []
    shown = [f"- {item}" for item in items[:MAX_LISTED]]
    if len(items) > MAX_LISTED:
        shown.append(f"- … and {len(items) - MAX_LISTED} more (see report.html)")
    return ["", f"### {title} ({len(items)})", "", *shown]


def scorer_deltas(aggregate: Aggregate, comparison: Comparison | None) -> dict[str, float]:
    """Mean score per scorer, now minus baseline, for scorers both runs have."""
    if comparison is None:
        return {}
    return {
        label: mean - comparison.baseline_scorer_means[label]
        for label, mean in aggregate.scorer_means.items()
        if label in comparison.baseline_scorer_means
    }
