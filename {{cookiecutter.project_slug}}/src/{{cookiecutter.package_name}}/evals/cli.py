"""`python -m {{ cookiecutter.package_name }} eval run|compare|bless|status`: the eval command line.

Exit codes: 0 passed, 1 a gate failed (or bless refused), 2 errors above the allowed rate,
3 an unusable suite, dataset, recording, baseline or model configuration.
"""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path

from ..core.logging import configure_logging
from ..core.settings import Settings
from .layout import DEFAULT_EVALS_DIR, DEFAULT_REPORTS_DIR

MODES = ("replay", "live", "record")  # run.EvalMode, named here to keep this module light.


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
    run.add_argument("--mode", choices=MODES, default="replay")
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
    # Imported here: the commands load the gateway and the database, which the service's other
    # commands (and its cold start) should not pay for.
    from . import commands

    match args.eval_command:
        case "run":
            return asyncio.run(commands.run(settings, args))
        case "compare":
            return commands.compare(args)
        case "bless":
            return commands.bless(args)
        case _:
            return asyncio.run(commands.status(settings))
