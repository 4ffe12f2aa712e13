"""Builders for eval tests: a throwaway `evals/` directory with a suite, cases and answers.

Recordings are written here by hand, keyed exactly as replay keys them, so a test says which
answer each case gets (and, with repeats, each attempt).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson

from {{ cookiecutter.package_name }}.evals.layout import EvalLayout
from {{ cookiecutter.package_name }}.evals.recordings import (
    FORMAT,
    FORMAT_VERSION,
    RecordedAnswer,
    RecordingEntry,
    RecordingHeader,
    Recordings,
    prompt_label,
    request_key,
)
from {{ cookiecutter.package_name }}.evals.results import SuiteResults
from {{ cookiecutter.package_name }}.llm.types import Completion, FinishReason, ModelRequest, Usage
from {{ cookiecutter.package_name }}.tasks.registry import AnyTask, task_registry

SUITE = "triage"
# Case id: (subject, body, expected output fields).
TICKETS: dict[str, tuple[str, str, dict[str, str]]] = {
    "double-charge": (
        "Charged twice",
        "Two charges on my card this month.",
        {"category": "billing", "urgency": "normal"},
    ),
    "api-down": (
        "API down",
        "Every call fails with a 500 and our shop is down.",
        {"category": "technical", "urgency": "urgent"},
    ),
    "password-reset": (
        "No reset email",
        "The password reset email never arrives.",
        {"category": "account", "urgency": "normal"},
    ),
    "dark-mode": (
        "Dark mode?",
        "Any plans for a dark mode? No rush.",
        {"category": "other", "urgency": "low"},
    ),
}
SUITE_TOML = """
task = "triage_ticket"
repeats = {repeats}

[[scorers]]
scorer = "output_valid"

[[scorers]]
name = "fields"
scorer = "field_match"

[gates]
min_pass_rate = {min_pass_rate}
max_error_rate = {max_error_rate}
"""


def triage_task() -> AnyTask:
    task = task_registry().get("triage_ticket")
    assert task is not None
    return task


def case_line(case_id: str, **overrides: Any) -> str:
    subject, body, expected = TICKETS[case_id]
    case = {"id": case_id, "input": {"subject": subject, "body": body}, "expected": expected}
    return orjson.dumps(case | overrides).decode()


def write_suite(
    root: Path,
    *,
    repeats: int = 1,
    min_pass_rate: float = 0.5,
    max_error_rate: float = 0.0,
    cases: tuple[str, ...] = tuple(TICKETS),
) -> EvalLayout:
    layout = EvalLayout(root)
    layout.suites_dir.mkdir(parents=True, exist_ok=True)
    layout.suite_file(SUITE).write_text(
        SUITE_TOML.format(
            repeats=repeats, min_pass_rate=min_pass_rate, max_error_rate=max_error_rate
        )
    )
    dataset = layout.dataset_file(f"datasets/{SUITE}.jsonl")
    dataset.parent.mkdir(parents=True, exist_ok=True)
    dataset.write_text("".join(case_line(case_id) + "\n" for case_id in cases))
    return layout


def answer(case_id: str, **fields: str) -> str:
    """A valid triage answer: the expected fields of the case unless overridden."""
    expected = TICKETS[case_id][2]
    return orjson.dumps({**expected, "summary": "A one-line summary.", **fields}).decode()


def case_request(case_id: str) -> ModelRequest:
    subject, body, _ = TICKETS[case_id]
    task = triage_task()
    return task.build_request(task.input_model.model_validate({"subject": subject, "body": body}))


def write_recordings(
    layout: EvalLayout,
    answers: dict[str, list[str]],
    more: tuple[tuple[str, ModelRequest, list[str]], ...] = (),
) -> None:
    """Record `answers[case_id]`, one text per attempt, for each case's request; `more` adds
    (case id, request, texts) for other requests, such as a repair or a judge's."""
    calls = [(case_id, case_request(case_id), texts) for case_id, texts in answers.items()]
    entries = {}
    for case_id, request, texts in [*calls, *more]:
        key = request_key(request)
        entries[key] = RecordingEntry(
            key=key,
            case=case_id,
            prompt=prompt_label(request),
            answers=tuple(recorded(text) for text in texts),
        )
    header = RecordingHeader(
        format=FORMAT,
        version=FORMAT_VERSION,
        suite=SUITE,
        recorded_with=("fake/fake-1",),
        models_file="tests",
    )
    Recordings(header=header, entries=entries).save(layout.recordings_file(SUITE))


def recorded(text: str, latency_ms: float = 120.0) -> RecordedAnswer:
    completion = Completion(
        text=text,
        finish_reason=FinishReason.STOP,
        usage=Usage(input_tokens=200, output_tokens=30),
        model="fake-1",
    )
    return RecordedAnswer(completion=completion, latency_ms=latency_ms)


def correct_answers(repeats: int = 1) -> dict[str, list[str]]:
    return {case_id: [answer(case_id)] * repeats for case_id in TICKETS}


def write_baseline(layout: EvalLayout, results: SuiteResults) -> None:
    """Make `results` the suite's baseline, as `eval bless` does (without its checks)."""
    path = layout.baseline_file(results.suite)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(results.model_copy(update={"comparison": None}).to_json())
