"""The gates of a run, and its exit code: 0 pass, 1 a gate failed, 2 too many errors.

(3, an unusable suite or dataset, is decided before anything runs.)
"""

from __future__ import annotations

from enum import IntEnum

from .results import Aggregate, Comparison, GateResult
from .suite import Gates

ERROR_GATE = "max_error_rate"


class ExitCode(IntEnum):
    PASSED = 0
    GATE_FAILED = 1
    TOO_MANY_ERRORS = 2
    BAD_SUITE = 3


def evaluate_gates(
    limits: Gates, aggregate: Aggregate, comparison: Comparison | None
) -> tuple[GateResult, ...]:
    gates = [
        GateResult(
            name=ERROR_GATE,
            limit=limits.max_error_rate,
            actual=aggregate.error_rate,
            passed=aggregate.error_rate <= limits.max_error_rate,
        ),
        at_least("min_pass_rate", limits.min_pass_rate, aggregate.pass_rate),
        regressions_gate(limits.max_regressions, comparison),
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


def regressions_gate(limit: int, comparison: Comparison | None) -> GateResult:
    if comparison is None:
        note = "no baseline yet: bless a run with `make eval-bless`"
        return GateResult(name="max_regressions", limit=limit, actual=None, passed=True, note=note)
    count = len(comparison.regressions)
    return GateResult(name="max_regressions", limit=limit, actual=count, passed=count <= limit)


def exit_code(gates: tuple[GateResult, ...]) -> ExitCode:
    if any(gate.name == ERROR_GATE and not gate.passed for gate in gates):
        return ExitCode.TOO_MANY_ERRORS
    if not all(gate.passed for gate in gates):
        return ExitCode.GATE_FAILED
    return ExitCode.PASSED
