"""The shipped example shows what the gate is for: the documented one-line switch to a worse
prompt makes `eval run` fail, naming the cases it gets wrong."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import orjson

from ..factories import PROJECT_DIR

PACKAGE = "{{ cookiecutter.package_name }}"
TASK_MODULE = Path("src") / PACKAGE / "tasks" / "catalog" / "triage_ticket.py"
SHIPPED = "prompt=prompt_file(__file__),"
WORSE = 'prompt=prompt_file(__file__, variant="terse"),'
# Cases whose urgency the terse prompt gets wrong in the shipped (illustrative) recordings.
REGRESSED = {
    "technical-export-speed",
    "account-password-reset",
    "account-ownership-transfer",
    "account-data-deletion",
}


def test_the_documented_change_is_the_one_tested() -> None:
    assert WORSE in (PROJECT_DIR / "docs" / "governance.md").read_text()
    assert SHIPPED in (PROJECT_DIR / TASK_MODULE).read_text()


def test_the_shipped_answers_are_labelled_illustrative() -> None:
    recordings = PROJECT_DIR / "evals" / "recordings" / "triage_ticket.jsonl"
    header = orjson.loads(recordings.read_text().splitlines()[0])
    assert header["recorded_with"] == ["illustrative/hand-written-answers (not a model)"]


def test_the_worse_prompt_fails_the_gate_naming_the_cases(tmp_path: Path) -> None:
    for name in ("src", "evals", "config", "nfr.toml"):
        source = PROJECT_DIR / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, tmp_path / name)
    module = tmp_path / TASK_MODULE
    module.write_text(module.read_text().replace(SHIPPED, WORSE))
    env = {k: v for k, v in os.environ.items() if not k.startswith("APP_")}
    env.update(
        PYTHONPATH=str(tmp_path / "src"), APP_ENV="test", APP_DATABASE_URL="sqlite+aiosqlite://"
    )

    run = subprocess.run(  # noqa: S603 - this interpreter, fixed arguments
        [sys.executable, "-m", PACKAGE, "eval", "run", "--mode", "replay"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )

    assert run.returncode == 1, run.stdout + run.stderr
    assert "FAIL pass rate: 66.7% (limit ≥ 80.0%)" in run.stdout
    regressed = {
        line.split()[1].rstrip(":")
        for line in run.stdout.splitlines()
        if line.strip().startswith("regressed ")
    }
    assert regressed == REGRESSED
