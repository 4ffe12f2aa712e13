"""The verdict: gates and exit codes (0 passed, 1 a gate failed, 2 too many errors; 3 is the
suite loader's), and percentiles."""

from __future__ import annotations

from typing import Any

import pytest

from {{ cookiecutter.package_name }}.evals.results import Aggregate, CaseChange, Comparison
from {{ cookiecutter.package_name }}.evals.suite import Gates
from {{ cookiecutter.package_name }}.evals.verdict import ExitCode, evaluate_gates, exit_code, percentile


def aggregate(**overrides: Any) -> Aggregate:
    values: dict[str, Any] = {
        "cases": 10,
        "measured_cases": 10,
        "errored_cases": 0,
        "attempts": 10,
        "errored_attempts": 0,
        "pass_rate": 0.9,
        "pass_at_1": 0.9,
        "error_rate": 0.0,
        "mean_score": 0.9,
        "scorer_means": {},
        "latency_p95_ms": 800.0,
        "latency_mean_ms": 400.0,
        "mean_cost_usd": 0.002,
        "total_cost_usd": 0.02,
        "flaky_cases": (),
    }
    return Aggregate(**(values | overrides))


def comparison(regressions: int) -> Comparison:
    return Comparison(
        baseline="evals/baselines/s.json",
        baseline_git_sha=None,
        baseline_pass_rate=1.0,
        baseline_scorer_means={},
        regressions=tuple(
            CaseChange(id=f"c{i}", before=1.0, after=0.0) for i in range(regressions)
        ),
        improvements=(),
        new_cases=(),
        removed_cases=(),
    )


LIMITS = Gates(
    min_pass_rate=0.8,
    max_regressions=0,
    max_error_rate=0.1,
    max_flaky_cases=0,
    max_latency_p95_ms=1000,
    max_mean_cost_usd=0.005,
)


@pytest.mark.parametrize(
    ("measured", "regressions", "expected", "failed"),
    [
        ({}, 0, ExitCode.PASSED, set()),
        ({"pass_rate": 0.7}, 0, ExitCode.GATE_FAILED, {"min_pass_rate"}),
        ({}, 1, ExitCode.GATE_FAILED, {"max_regressions"}),
        ({"flaky_cases": ("c1",)}, 0, ExitCode.GATE_FAILED, {"max_flaky_cases"}),
        ({"latency_p95_ms": 1000.1}, 0, ExitCode.GATE_FAILED, {"max_latency_p95_ms"}),
        ({"mean_cost_usd": 0.0051}, 0, ExitCode.GATE_FAILED, {"max_mean_cost_usd"}),
        ({"error_rate": 0.1}, 0, ExitCode.PASSED, set()),
        ({"error_rate": 0.2}, 0, ExitCode.TOO_MANY_ERRORS, {"max_error_rate"}),
        # Errors outrank every other failure: the other numbers are not trustworthy.
        ({"error_rate": 0.2, "pass_rate": 0.1}, 3, ExitCode.TOO_MANY_ERRORS, None),
        ({"pass_rate": None, "error_rate": 1.0}, 0, ExitCode.TOO_MANY_ERRORS, None),
    ],
)
def test_gates_decide_the_exit_code(
    measured: dict[str, Any], regressions: int, expected: ExitCode, failed: set[str] | None
) -> None:
    gates = evaluate_gates(LIMITS, aggregate(**measured), comparison(regressions), "s")

    assert exit_code(gates) == expected
    if failed is not None:
        assert {gate.name for gate in gates if not gate.passed} == failed


def test_without_a_baseline_the_regression_gate_fails_naming_the_suite_and_the_command() -> None:
    gates = evaluate_gates(Gates(min_pass_rate=0.5), aggregate(), None, "refunds")

    (regressions,) = [gate for gate in gates if gate.name == "max_regressions"]
    assert not regressions.passed
    assert regressions.note == (
        "suite refunds has no baseline: bless one with `make eval-bless SUITE=refunds`"
    )
    assert exit_code(gates) == ExitCode.GATE_FAILED
    assert [gate.name for gate in gates] == ["max_error_rate", "min_pass_rate", "max_regressions"]


def test_nothing_measured_fails_the_quality_gates() -> None:
    gates = evaluate_gates(LIMITS, aggregate(pass_rate=None, latency_p95_ms=None), None, "s")

    unmeasured = {gate.name for gate in gates if gate.note == "nothing measured"}
    assert unmeasured == {"min_pass_rate", "max_latency_p95_ms"}
    assert not any(gate.passed for gate in gates if gate.name in unmeasured)


def test_p95_is_the_nearest_rank() -> None:
    assert percentile([], 0.95) is None
    assert percentile([5.0], 0.95) == 5.0
    assert percentile([float(v) for v in range(1, 21)], 0.95) == 19.0
    assert percentile([float(v) for v in range(1, 101)], 0.95) == 95.0
