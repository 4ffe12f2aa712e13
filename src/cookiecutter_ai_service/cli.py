"""`cookiecutter-ai-service audit PATH [PATH ...]`: compare repositories with the template."""

from __future__ import annotations

import argparse
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path

from . import __version__, exit_codes, selection
from .audit import AGAINST, FAIL_ON, Options, audit
from .reports import FORMATS


class UsageError(Exception):
    pass


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(message)


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="cookiecutter-ai-service", description=__doc__)
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=Parser)
    run = commands.add_parser(
        "audit",
        help="drift from the template and production controls of one or more repositories",
        description="Exit codes: 0 clean, 1 control failures at or above --fail-on, 2 owned "
        "files drifted, 3 both, 64 bad usage, 65 invalid version record, 69 template "
        "unreachable, 70 internal error. See docs/audit.md.",
    )
    run.add_argument("paths", nargs="+", metavar="PATH", type=Path, help="repositories to audit")
    run.add_argument("--format", choices=sorted(FORMATS), default="text")
    run.add_argument("--output", "-o", type=Path, help="write the report here instead of stdout")
    run.add_argument(
        "--select",
        action="append",
        default=[],
        metavar="IDS",
        help="only these check ids, id prefixes (HLT), families (health) or kinds "
        "(control, drift, provenance, waiver); comma-separated, repeatable",
    )
    run.add_argument(
        "--ignore",
        action="append",
        default=[],
        metavar="IDS",
        help="leave these out (same forms as --select)",
    )
    run.add_argument(
        "--fail-on",
        choices=FAIL_ON,
        default="error",
        help="lowest severity of a failure that makes the exit code non-zero",
    )
    run.add_argument(
        "--template",
        metavar="PATH_OR_URL",
        help="the template to compare with (default: the one in .cruft.json)",
    )
    run.add_argument(
        "--service-root",
        metavar="DIR",
        help="the service's folder, relative to PATH (default: detected: the Python project "
        "whose code creates the web app)",
    )
    run.add_argument(
        "--against",
        choices=AGAINST,
        default="recorded",
        help="render the recorded commit, the template's HEAD, or (worktree) the "
        "template directory as it is on disk, uncommitted changes included",
    )
    return parser


def tokens(values: list[str]) -> list[str]:
    return [token.strip() for value in values for token in value.split(",") if token.strip()]


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except UsageError as error:
        parser.print_usage(sys.stderr)
        print(f"cookiecutter-ai-service: error: {error}", file=sys.stderr)
        return exit_codes.BAD_USAGE
    except SystemExit as done:  # --help and --version
        return int(done.code or 0)
    return run_audit(args)


def run_audit(args: argparse.Namespace) -> int:
    select, ignore = tokens(args.select), tokens(args.ignore)
    problems = [
        f"unknown check, family or kind {token!r}" for token in selection.unknown(select + ignore)
    ]
    problems += [f"{path} is not a directory" for path in args.paths if not path.is_dir()]
    if problems:
        for problem in problems:
            print(f"cookiecutter-ai-service audit: error: {problem}", file=sys.stderr)
        return exit_codes.BAD_USAGE
    options = Options(
        template=args.template,
        against=args.against,
        select=select,
        ignore=ignore,
        fail_on=args.fail_on,
        service_root=args.service_root,
    )
    try:
        reports = [audit(path, options) for path in args.paths]
        code = exit_codes.combine(report.exit_code for report in reports)
        output = FORMATS[args.format](reports, code)
    except Exception:
        traceback.print_exc()
        print(
            "cookiecutter-ai-service audit: internal error (exit 70); please report it",
            file=sys.stderr,
        )
        return exit_codes.INTERNAL_ERROR
    if args.output:
        args.output.write_text(output, encoding="utf-8")
    else:
        sys.stdout.write(output)
    for report in reports:
        for error in report.errors:
            print(f"{report.path}: could not run: {error.splitlines()[0]}", file=sys.stderr)
    return code
