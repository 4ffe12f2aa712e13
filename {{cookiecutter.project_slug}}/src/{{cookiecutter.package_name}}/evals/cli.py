"""`python -m {{ cookiecutter.package_name }} eval run|compare|bless|status`: the eval command line.

Exit codes: 0 passed, 1 a gate failed (or bless refused), 2 errors above the allowed rate,
3 an unusable suite, dataset, recording, baseline or model configuration.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from ..core.logging import configure_logging
from ..core.settings import Settings
from ..llm.config import ModelConfigError, load_models_config
from .baseline import (
    NotBlessedError,
    bless,
    last_run_results,
    load_baseline,
    save_last_run,
)
from .layout import DEFAULT_EVALS_DIR, DEFAULT_REPORTS_DIR, EvalConfigError, EvalLayout
from .report import markdown_summary, write_reports
from .report.console import console_lines
from .results import SuiteResults, load_results
from .run import EvalMode, run_suite
from .store import RunStoreUnavailableError, open_run_store
from .verdict import ExitCode, apply_gates


def add_eval_arguments(parser: argparse.ArgumentParser) -> None:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--evals-dir", type=Path, default=DEFAULT_EVALS_DIR)
    common.add_argument("--verbose", action="store_true", help="log every model attempt")
    commands = parser.add_subparsers(dest="eval_command", required=True)

    def add(name: str, help_text: str) -> argparse.ArgumentParser:
        return commands.add_parser(name, help=help_text, parents=[common])

    run = add("run", "run suites, write reports, apply the gates")
    run.add_argument("--suite", action="append", help="a suite name; repeatable")
    run.add_argument("--all", action="store_true", help="every suite: the default without --suite")
    run.add_argument("--mode", choices=[m.value for m in EvalMode], default=EvalMode.REPLAY)
    run.add_argument("--out", type=Path, default=DEFAULT_REPORTS_DIR, help="reports: OUT/<suite>/")
    run.add_argument("--no-db", action="store_true", help="do not record the run in the database")
    compare = add("compare", "compare a results.json with a baseline")
    compare.add_argument("results", type=Path)
    compare.add_argument("--baseline", type=Path, help="default: evals/baselines/<suite>.json")
    compare.add_argument("--out", type=Path, help="also write the reports into this directory")
    bless = add("bless", "make the last run's results (or results files) the suites' baselines")
    bless.add_argument("results", type=Path, nargs="*", help="results files; default: last run")
    bless.add_argument("--suite", action="append", help="a suite name; default: every suite")
    bless.add_argument("--out", type=Path, default=DEFAULT_REPORTS_DIR, help="as in `eval run`")
    add("status", "which eval runs approved the active model config")


def eval_command(settings: Settings, args: argparse.Namespace) -> int:
    if not args.verbose:  # One log line per model attempt would bury the verdict.
        configure_logging(settings.model_copy(update={"log_level": "WARNING"}))
    match args.eval_command:
        case "run":
            return asyncio.run(run(settings, args))
        case "compare":
            return compare(args)
        case "bless":
            return bless_results(args)
        case _:
            return asyncio.run(status(settings))


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


def bless_results(args: argparse.Namespace) -> int:
    """Each named results file, or else each suite's results from the last run, becomes its
    suite's baseline, unless it could not serve as one."""
    layout = EvalLayout(args.evals_dir)
    codes = []
    sources: list[Path] | list[str] = args.results or args.suite or layout.suite_names()
    for source in sources:
        try:
            path = source if isinstance(source, Path) else last_run_results(args.out, source)
            print(bless(load_results(path), layout))
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
