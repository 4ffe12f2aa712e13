"""What each `eval` subcommand does; `cli.py` parses the arguments and picks one."""

from __future__ import annotations

import argparse
import sys

from sqlalchemy.exc import SQLAlchemyError

from ..core.settings import Settings
from ..llm.config import ModelConfigError, load_models_config
from .errors import EvalConfigError
from .evaluation import apply_gates, evaluate_suite, load_baseline
from .gates import ExitCode
from .layout import EvalLayout
from .mode import EvalMode
from .report import write_reports
from .report.console import console_lines
from .report.markdown import markdown_summary
from .results import SuiteResults, load_results
from .run_store import RunStoreUnavailableError, open_run_store


async def run(settings: Settings, args: argparse.Namespace) -> int:
    layout = EvalLayout(args.evals_dir)
    names = args.suite or layout.suite_names()  # --all is the default
    if not names:
        return complain(f"{layout.suites_dir}: no suite files (*.toml)", ExitCode.BAD_SUITE)
    codes = []
    for name in names:
        try:
            results = await evaluate_suite(settings, layout, name, EvalMode(args.mode))
        except EvalConfigError as error:
            codes.append(complain(f"eval {name}: {error}", ExitCode.BAD_SUITE))
            continue
        reports_dir = args.out / name
        write_reports(results, reports_dir)
        print("\n".join(console_lines(results, reports_dir)))
        if not args.no_db:
            print(f"  {await record_run(settings, results)}")
        codes.append(results.exit_code)
    return max(codes)


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
    """Each results file becomes its suite's baseline, unless it could not serve as one."""
    layout = EvalLayout(args.evals_dir)
    codes = []
    for results_path in args.results:
        try:
            results = load_results(results_path)
        except EvalConfigError as error:
            codes.append(complain(str(error), ExitCode.BAD_SUITE))
            continue
        refusal = why_not_blessable(results)
        if refusal:
            codes.append(complain(f"not blessed: {results_path}: {refusal}", ExitCode.GATE_FAILED))
            continue
        target = layout.baseline_file(results.suite)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(results.model_copy(update={"comparison": None}).to_json())
        passing = sum(1 for case in results.cases if case.passed)
        accepted = len(results.comparison.regressions) if results.comparison else 0
        print(
            f"blessed {target} from run {results.run_id}: {passing}/{len(results.cases)} cases "
            f"pass, {accepted} regression(s) accepted. Review the diff and commit it."
        )
        codes.append(ExitCode.PASSED)
    return max(codes)


def why_not_blessable(results: SuiteResults) -> str | None:
    if results.aggregate.errored_attempts:
        return f"{results.aggregate.errored_attempts} attempt(s) errored; a baseline measures all"
    # Accepting regressions is what blessing is for; every other gate must hold.
    failed = [g.name for g in results.gates if not g.passed and g.name != "max_regressions"]
    if failed:
        return f"gate(s) {', '.join(failed)} failed; fix the cause or the suite's gates first"
    return None


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
