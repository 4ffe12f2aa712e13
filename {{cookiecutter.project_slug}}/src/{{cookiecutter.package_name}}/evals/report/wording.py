"""How results read in every report: numbers, gate names and the verdict, worded once."""

from __future__ import annotations

from ..results import CaseResult, GateResult, SuiteResults
from ..verdict import ExitCode

# Gate name: (what it measures, comparison, unit).
GATE_WORDING: dict[str, tuple[str, str, str]] = {
    "max_error_rate": ("error rate", "≤", "%"),
    "min_pass_rate": ("pass rate", "≥", "%"),
    "max_regressions": ("regressions vs baseline", "≤", ""),
    "max_flaky_cases": ("flaky cases", "≤", ""),
    "max_latency_p95_ms": ("latency p95", "≤", " ms"),
    "max_mean_cost_usd": ("mean cost per attempt", "≤", " USD"),
}
VERDICTS = {
    ExitCode.PASSED: "passed",
    ExitCode.GATE_FAILED: "failed a gate",
    ExitCode.TOO_MANY_ERRORS: "too many errors",
}


def number(value: float | None, unit: str) -> str:
    if value is None:
        return "n/a"
    if unit == "%":
        return f"{value * 100:.1f}%"
    if unit == " USD":
        return f"${value:.6f}"
    if unit == " ms":
        return f"{value:.1f} ms"
    return f"{value:g}"


def score_text(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def percent(value: float | None) -> str:
    return number(value, "%")


def gate_row(gate: GateResult) -> tuple[str, str, str]:
    """(what, limit, actual) of a gate, e.g. ("pass rate", "≥ 80.0%", "83.3%")."""
    what, comparison, unit = GATE_WORDING.get(gate.name, (gate.name, "", ""))
    actual = number(gate.actual, unit) + (f" ({gate.note})" if gate.note else "")
    return what, f"{comparison} {number(gate.limit, unit)}", actual


def verdict(results: SuiteResults) -> str:
    return VERDICTS.get(ExitCode(results.exit_code), f"exit code {results.exit_code}")


def regressed(results: SuiteResults, case: CaseResult) -> bool:
    comparison = results.comparison
    return comparison is not None and any(c.id == case.id for c in comparison.regressions)


def known_failure(results: SuiteResults, case: CaseResult) -> bool:
    """Failing now and in the baseline: a known weakness, not this change's fault."""
    comparison = results.comparison
    if comparison is None or case.passed is not False:
        return False
    changed = {c.id for c in comparison.regressions} | set(comparison.new_cases)
    return case.id not in changed


def case_problem(case: CaseResult) -> str:
    """Why a case failed or errored, in one line."""
    for attempt in case.attempts:
        if attempt.error is not None:
            return f"{attempt.error.kind}: {attempt.error.message}"
    failed = [
        f"{label}: {score.detail}" if score.detail else label
        for attempt in case.attempts
        for label, score in attempt.scores.items()
        if not score.passed
    ]
    return "; ".join(dict.fromkeys(failed))


def run_line(results: SuiteResults) -> str:
    prompts = ", ".join(f"{name} v{version}" for name, version in results.prompt_versions.items())
    parts = [
        f"{results.mode} mode",
        f"task `{results.task}` (prompt {prompts})",
        f"models `{results.models.path}` sha256 `{results.models.sha256[:12]}`",
        f"commit `{(results.git_sha or 'unknown')[:12]}`",
        f"{results.aggregate.cases} cases, {results.repeats} repeat(s) each",
    ]
    return " · ".join(parts)
