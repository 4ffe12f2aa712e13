"""Logging: structured logs configured in one place, and no print() in the service."""

from __future__ import annotations

import ast
import re

from ..repo import Repo
from ..roots import APP_FACTORY
from .base import Check, Outcome

STRUCTURED = re.compile(
    r"structlog\.configure\(|pythonjsonlogger|jsonlogger\.JsonFormatter|JSONRenderer\(|"
    r"logging\.config\.dictConfig\(|\.add\([^)]*serialize\s*=\s*True|logfire\.configure\(|"
    r"ecs_logging"
)
# Entry points talk to a person on a terminal: print() is their job.
CLI_FILES = re.compile(r"(^|/)(__main__|cli|manage|commands?)\.py$|(^|/)(cli|commands|management)/")
NOQA_PRINT = re.compile(r"#\s*noqa\b(?!:)|#\s*noqa:[^#\n]*\bT20")


class LOG001(Check):
    """Structured logging is configured (JSON lines in production)"""

    family = "logging"

    @classmethod
    def check(cls, ai_service_repo: Repo) -> Outcome:
        """Configure logging once at startup so every line is structured (JSON in production,
        with a request id): `structlog.configure(...)` as in the template's `core/logging.py`, or
        a JSON formatter for the standard library's logging."""
        repo = ai_service_repo
        for path in repo.service_python_files:
            if STRUCTURED.search(repo.text(path) or ""):
                return True
        for path in repo.service_glob("*log*.json", "*log*.yaml", "*log*.yml", "*log*.ini"):
            if re.search(r"(?i)json", repo.text(path) or ""):
                return True
        return cls.fail(
            "No structured logging setup: looked for structlog.configure, a JSON formatter "
            "(python-json-logger, structlog's JSONRenderer), loguru's serialize=True, "
            f"logfire.configure and ECS logging in {len(repo.service_python_files)} service "
            f"files under {repo.service_label}, and for a JSON log config file.",
            path=repo.app_file,
            line=app_line(repo),
        )


class LOG002(Check):
    """No print() in the service code: every line goes through the log pipeline"""

    family = "logging"

    @classmethod
    def check(cls, ai_service_repo: Repo) -> Outcome:
        """Replace `print(...)` with a structured log call (`log.info("event", key=value)`), so
        the line is JSON, carries the request id and passes redaction. Command-line entry points
        (`__main__.py`, `cli.py`) may print; mark any other deliberate print `# noqa: T201`."""
        offenders: list[tuple[str, int]] = []
        for path in ai_service_repo.service_python_files:
            if CLI_FILES.search(path):
                continue
            text = ai_service_repo.text(path) or ""
            if "print" not in text:
                continue
            lines = text.splitlines()
            for line in print_calls(text):
                if not NOQA_PRINT.search(lines[line - 1] if line <= len(lines) else ""):
                    offenders.append((path, line))
        if not offenders:
            return True
        where = ", ".join(f"{path}:{line}" for path, line in offenders[:5])
        more = f" and {len(offenders) - 5} more" if len(offenders) > 5 else ""
        return cls.fail(
            f"print() in service code at {where}{more}.", path=offenders[0][0], line=offenders[0][1]
        )


def app_line(repo: Repo) -> int | None:
    """The line that creates the web application, where logging belongs at start-up."""
    if repo.app_file is None:
        return None
    text = repo.text(repo.app_file) or ""
    match = APP_FACTORY.search(text)
    return text.count("\n", 0, match.start()) + 1 if match else None


def print_calls(source: str) -> list[int]:
    """Lines that call the builtin print outside `if __name__ == "__main__":` blocks; a
    module that imports another `print` (rich's) is not printing to stdout; a file that does
    not parse is left to the linters."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and any(a.name == "print" for a in node.names):
            return []
    main_blocks = [
        node
        for node in tree.body
        if isinstance(node, ast.If) and "__main__" in ast.unparse(node.test)
    ]
    skipped = {id(inner) for block in main_blocks for inner in ast.walk(block)}
    return sorted(
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "print"
        and id(node) not in skipped
    )
