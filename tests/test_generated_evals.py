"""A team adds a task and its eval suite to a baked project, following docs/evals.md with the
per-suite make targets: the new suite sorts before the shipped `triage_ticket`, has other
output fields, and the project's own tests and eval gate still pass (issue 14)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .baking import bake, describe, run

TASK_MODULE = '''"""Say which language a message is written in."""

from __future__ import annotations

from pydantic import BaseModel, Field

from ..task import Task, prompt_file


class Message(BaseModel):
    text: str = Field(min_length=1, max_length=2000)


class Language(BaseModel):
    language: str = Field(min_length=2, max_length=40)


TASK = Task(
    name="acknowledge",
    description="Name the language of a message.",
    prompt=prompt_file(__file__),
    input_model=Message,
    output_model=Language,
    owner="@language-team",
)
'''
PROMPT = '''version = "1"
system = """
Name the language of the message. Answer with only JSON matching this schema:
$output_schema
"""
user = "$text"
'''
SUITE = """
description = "Names the language of a message."
task = "acknowledge"

[[scorers]]
scorer = "output_valid"

[gates]
min_pass_rate = 1.0
"""
NFR = """
[tasks.acknowledge]
latency_p95_ms = 2000
cost_per_call_usd = 0.001
eval_pass_rate_floor = 1.0
"""
CASES = [
    {"id": "french", "input": {"text": "Bonjour, merci beaucoup."}},
    {"id": "german", "input": {"text": "Guten Tag, vielen Dank."}},
]


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = bake(tmp_path_factory.mktemp("extended"))
    catalog = path / "src" / "ai_service" / "tasks" / "catalog"
    (catalog / "acknowledge.py").write_text(TASK_MODULE)
    (catalog / "acknowledge.toml").write_text(PROMPT)
    (path / "evals" / "suites" / "acknowledge.toml").write_text(SUITE)
    dataset = "".join(json.dumps(case) + "\n" for case in CASES)
    (path / "evals" / "datasets" / "acknowledge.jsonl").write_text(dataset)
    with (path / "nfr.toml").open("a") as nfr:
        nfr.write(NFR)
    return path


def make(project: Path, target: str, *assignments: str) -> tuple[int, str]:
    env = {"PYTHONPATH": str(project / "src")}
    result = run(["make", target, "RUN=", *assignments], project, env=env)
    return result.returncode, describe(result)


def test_a_new_suite_is_gated_on_its_own_and_the_shipped_tests_still_pass(project: Path) -> None:
    baselines = project / "evals" / "baselines"
    triage_baseline = (baselines / "triage_ticket.json").read_bytes()

    code, output = make(project, "eval-record", "SUITE=acknowledge")
    assert (project / "evals" / "recordings" / "acknowledge.jsonl").is_file(), output
    code, output = make(project, "eval")
    assert code != 0, output  # A suite without a baseline fails the gate, loudly.
    assert (
        "suite acknowledge has no baseline: bless one with `make eval-bless SUITE=acknowledge`"
    ) in output
    code, output = make(project, "eval-bless", "SUITE=acknowledge")
    assert code == 0, output
    assert (baselines / "acknowledge.json").is_file()
    assert (baselines / "triage_ticket.json").read_bytes() == triage_baseline  # Left alone.
    code, output = make(project, "eval")
    assert code == 0, output
    # docs/governance.md: the owners and the model card follow the new task.
    code, output = make(project, "check-owners")
    assert code != 0, output
    assert "CODEOWNERS disagrees" in output
    for target in ("codeowners", "model-card", "check-owners", "check-model-card", "readiness"):
        code, output = make(project, target)
        assert code == 0, output
    assert "/evals/*/acknowledge.* @language-team" in (project / "CODEOWNERS").read_text()

    env = {"PYTHONPATH": str(project / "src")}
    tests = run(["python", "-m", "pytest", "-q", "-p", "no:cacheprovider"], project, env=env)

    assert tests.returncode == 0, describe(tests)
