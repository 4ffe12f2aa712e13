"""What each `eval` subcommand does and prints; `cli.py` parses the arguments and picks one."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from ..core.settings import Settings
from ..llm.config import ModelConfigError, load_models_config
from .baseline import NotBlessedError, bless_results, last_run_results, load_baseline, save_last_run
from .layout import EvalConfigError, EvalLayout
from .report import markdown_summary, write_reports
from .report.wording import case_problem, gate_row, verdict
from .results import SuiteResults, load_results
from .run import EvalMode, run_suite
from .store import RunStoreUnavailableError, open_run_store
from .verdict import ExitCode, apply_gates

MAX_PROBLEMS_LISTED = 10  # By `eval run`; the reports list them all.


async def run(settings: Settings, args: argparse.Namespace) -> int:
    layout = EvalLayout(args.evals_dir)
    names = args.suite or layout.suite_names()  # --all is the default
    if not names:
        return complain(f"{layout.suites_dir}: no suite files (*.toml)", ExitCode.BAD_SUITE)
    codes, run_ids = [], {}
    for name in names:
        try:
            results = await run_suite(settings, layout, name, EvalMode(args.mode))
        except EvalConfigError as error:
            codes.append(complain(f"eval {name}: {error}", ExitCode.BAD_SUITE))
            continue
        reports_dir = args.out / name
        write_reports(results, reports_dir)
        run_ids[name] = results.run_id
        print("\n".join(console_lines(results, reports_dir)))
        if not args.no_db:
            print(f"  {await record_run(settings, results)}")
        codes.append(results.exit_code)
    save_last_run(args.out, run_ids)
    return max(codes)


def console_lines(results: SuiteResults, reports_dir: Path) -> list[str]:
    """What `eval run` prints per suite: the verdict, the gates and what to look at."""
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
    lines += problems[:MAX_PROBLEMS_LISTED]
    if len(problems) > MAX_PROBLEMS_LISTED:
        lines.append(f"  ... {len(problems) - MAX_PROBLEMS_LISTED} more in the report")
    lines.append(
        f"  {aggregate.cases} cases, {aggregate.attempts} attempts; "
        f"report: {reports_dir / 'report.html'}"
    )
    return lines


async def record_run(settings: Settings, results: SuiteResults) -> str:
    try:
        async with open_run_store(settings) as store:
            await store.save(results)
    except RunStoreUnavailableError as reason:
        return f"not recorded in a database: {reason}"
    except SQLAlchemyError as error:  # The run itself is done and reported: do not lose it.
        return f"not recorded in the database: the write failed ({type(error).__name__})"
    return f"recorded as eval run {results.run_id}"


def compare(args: argparse.Namespace) -> int:
    try:
        results = load_results(args.results)
        path = args.baseline or EvalLayout(args.evals_dir).baseline_file(results.suite)
        baseline = load_baseline(path, results.suite)
    except EvalConfigError as error:
        return complain(str(error), ExitCode.BAD_SUITE)
    if baseline is None:
        return complain(f"{path}: no such baseline", ExitCode.BAD_SUITE)
    judged = apply_gates(results, baseline)
    if args.out is not None:
        write_reports(judged, args.out)
    print(markdown_summary(judged), end="")
    return judged.exit_code


def bless(args: argparse.Namespace) -> int:
    """Each named results file, or else each suite's results from the last run, becomes its
    suite's baseline, unless it could not serve as one."""
    layout = EvalLayout(args.evals_dir)
    codes = []
    sources: list[Path] | list[str] = args.results or args.suite or layout.suite_names()
    for source in sources:
        try:
            path = source if isinstance(source, Path) else last_run_results(args.out, source)
            print(bless_results(load_results(path), layout))
        except EvalConfigError as error:
            codes.append(complain(str(error), ExitCode.BAD_SUITE))
        except NotBlessedError as refusal:
            codes.append(complain(f"not blessed: {source}: {refusal}", ExitCode.GATE_FAILED))
        else:
            codes.append(ExitCode.PASSED)
    if not codes:
        return complain(f"{layout.suites_dir}: no suite files (*.toml)", ExitCode.BAD_SUITE)
    return max(codes)


async def status(settings: Settings) -> int:
    try:
        config = load_models_config(settings.models_file)
        async with open_run_store(settings) as store:
            approvals = await store.approvals(config.sha256)
    except (ModelConfigError, RunStoreUnavailableError) as error:
        return complain(f"eval status: {error}", ExitCode.GATE_FAILED)
    print(f"model config {config.path} sha256:{config.sha256}")
    if not approvals:
        return complain("no eval run has passed its gates with this model config", 1)
    for approval in approvals:
        print(
            f"  {approval.suite} ({approval.mode}): run {approval.id.hex} passed at "
            f"{approval.finished_at:%Y-%m-%d %H:%M} UTC, commit {(approval.git_sha or '?')[:12]}"
        )
    if all(approval.mode == "replay" for approval in approvals):
        print("  (replay runs test prompts and code on recorded answers; live runs test models)")
    return ExitCode.PASSED


def complain(message: str, code: int) -> int:
    print(message, file=sys.stderr)
    return code
