"""`new task NAME`: a task as a team writes it by hand, with its evals recorded and blessed.

Writes the module (input and output models, `TASK`) and its prompt in `tasks/catalog/`, an eval
suite with a small dataset, a test; then records the suite's answers from the offline fake
provider, runs it in replay and blesses the result as its baseline, through the `eval` command.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from .names import camel_case, check_name
from .project import PACKAGE, Project, ScaffoldError, render

OFFLINE_MODELS = "config/models.offline.toml"
GATE_FAILED = 1  # the `eval` command's exit code when a gate fails


def existing_tasks(project: Project) -> set[str]:
    catalog = project.package / "tasks" / "catalog"
    suites = project.root / "evals" / "suites"
    return {p.stem for p in catalog.glob("*.py")} | {p.stem for p in suites.glob("*.toml")}


def write_task(project: Project, name: str) -> list[Path]:
    check_name("task", name, existing_tasks(project) | {"task", "registry", "router"})
    description = f"TODO: describe {name} in one sentence."
    values = {"name": name, "camel": camel_case(name), "description": description}
    catalog = project.package / "tasks" / "catalog"
    evals = project.root / "evals"
    recorded = (evals / "recordings" / f"{name}.jsonl", evals / "baselines" / f"{name}.json")
    written = project.write_new(
        {
            catalog / f"{name}.py": render("task/module.py.tmpl", **values),
            catalog / f"{name}.toml": render("task/prompt.toml.tmpl", **values),
            evals / "suites" / f"{name}.toml": render("task/suite.toml.tmpl", **values),
            evals / "datasets" / f"{name}.jsonl": render("task/dataset.jsonl.tmpl", **values),
            project.root / "tests" / "tasks" / f"test_{name}.py": render(
                "task/test_task.py.tmpl", **values
            ),
        },
        also_new=recorded,
    )
    nfr = add_nfr_entry(project, name)
    record_and_bless(project, name)
    # Governance files generated from the tasks (docs/governance.md), when the project has them.
    governed = []
    generated = (("CODEOWNERS", ("owners", "write")), ("docs/model-card.md", ("model-card",)))
    for path, command in generated:
        if (project.root / path).is_file():
            run_command(project, *command)
            governed.append(project.root / path)
    return [*written, *recorded, *nfr, *governed]


NFR_ENTRY = """
[tasks.{name}]
latency_p95_ms = 10000           # end to end through the gateway, at p95: set your budget
cost_per_call_usd = 0.005        # the most one call may cost, at config/prices.toml's prices
eval_pass_rate_floor = 0.9       # the eval suite of this task must pass at least this share
"""


def add_nfr_entry(project: Project, name: str) -> list[Path]:
    """Every task needs its NFRs in nfr.toml (docs/governance.md): placeholders to set."""
    nfr = project.root / "nfr.toml"
    if not nfr.is_file():
        return []
    text = nfr.read_text(encoding="utf-8")
    if f"[tasks.{name}]" not in text:
        nfr.write_text(text.rstrip("\n") + "\n" + NFR_ENTRY.format(name=name), encoding="utf-8")
    return [nfr]


def record_and_bless(project: Project, suite: str) -> None:
    """`make eval-record`, `make eval` and `make eval-bless` for this one suite, then `make eval`
    again, which must pass. Before the bless a gate may fail (there is no baseline yet)."""
    results = project.root / "var" / "evals" / suite / "results.json"
    recordings = project.root / "evals" / "recordings" / f"{suite}.jsonl"
    record = ("run", "--suite", suite, "--mode", "record", "--no-db", "--out", "var/evals")
    eval_command(project, *record, offline=True, allowed=(0, GATE_FAILED))
    if not recordings.is_file():
        msg = f"recording wrote no {recordings.relative_to(project.root)}"
        raise ScaffoldError(msg)
    replay = ("run", "--suite", suite, "--no-db", "--out", "var/evals")
    eval_command(project, *replay, allowed=(0, GATE_FAILED))
    eval_command(project, "bless", str(results.relative_to(project.root)))
    eval_command(project, *replay)


def eval_command(
    project: Project, *args: str, offline: bool = False, allowed: tuple[int, ...] = (0,)
) -> None:
    run_command(project, "eval", *args, offline=offline, allowed=allowed)


def run_command(
    project: Project, *args: str, offline: bool = False, allowed: tuple[int, ...] = (0,)
) -> None:
    env = dict(os.environ)
    if offline:
        env["APP_MODELS_FILE"] = OFFLINE_MODELS
    command = [sys.executable, "-m", PACKAGE, *args]
    # The project's own command line, with fixed arguments: nothing here comes from a user.
    result = subprocess.run(  # noqa: S603
        command, cwd=project.root, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode not in allowed:
        msg = (
            f"`{' '.join(command[2:])}` exited {result.returncode}; the files are written, "
            f"finish by hand with make eval-record, make eval, make eval-bless:\n"
            f"{result.stdout[-2000:]}{result.stderr[-2000:]}"
        )
        raise ScaffoldError(msg)
