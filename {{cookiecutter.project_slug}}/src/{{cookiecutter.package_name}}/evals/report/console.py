"""What `eval run` prints per suite: the verdict, the gates and what to look at."""

from __future__ import annotations

from pathlib import Path

from ..results import SuiteResults
from .wording import case_problem, gate_row, verdict

MAX_LISTED = 10


def console_lines(results: SuiteResults, reports_dir: Path) -> list[str]:
    aggregate = results.aggregate
    lines = [
        f"eval {results.suite} ({results.mode}): {verdict(results)} (exit {results.exit_code})",
    ]
    for gate in results.gates:
        what, limit, actual = gate_row(gate)
        lines.append(f"  {'ok  ' if gate.passed else 'FAIL'} {what}: {actual} (limit {limit})")
    problems = [
        f"  regressed {change.id}: {'; '.join(change.failed_scorers)}"
        for change in (results.comparison.regressions if results.comparison else ())
    ]
    problems += [
        f"  error {case.id}: {case_problem(case)}"
        for case in results.cases
        if case.measured < len(case.attempts)
    ]
    problems += [f"  flaky {case.id}" for case in results.cases if case.flaky]
    lines += problems[:MAX_LISTED]
    if len(problems) > MAX_LISTED:
        lines.append(f"  ... {len(problems) - MAX_LISTED} more in the report")
    lines.append(
        f"  {aggregate.cases} cases, {aggregate.attempts} attempts; "
        f"report: {reports_dir / 'report.html'}"
    )
    return lines
