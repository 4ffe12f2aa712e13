"""A bad dataset line stops the run before any model call, naming the file and the line
(exit code 3)."""

from __future__ import annotations

from pathlib import Path

import pytest

from {{ cookiecutter.package_name }}.evals.layout import EvalConfigError, EvalLayout
from {{ cookiecutter.package_name }}.evals.suite import load_suite

from .eval_project import SUITE, case_line, write_suite

GOOD_SCORERS = '[[scorers]]\nscorer = "output_valid"\n'


def dataset_with(layout: EvalLayout, *lines: str) -> Path:
    path = layout.dataset_file(f"datasets/{SUITE}.jsonl")
    path.write_text("".join(line + "\n" for line in lines))
    return path


@pytest.mark.parametrize(
    ("bad_line", "problem"),
    [
        ('{"id": "x", "input": ', "not valid JSON"),
        (case_line("api-down", id="has space"), "id: String should match pattern"),
        (case_line("api-down", colour="red"), "colour: Extra inputs are not permitted"),
        ('{"id": "x", "input": {"subject": "Hi"}}', "input.body: Field required"),
        (
            case_line("api-down", expected={"category": "technical", "priority": "high"}),
            "expected.priority: not a field of Triage (category, urgency, summary)",
        ),
        (
            case_line("api-down", expected={"category": "tech"}),
            "expected.category: Input should be 'billing', 'technical', 'account' or 'other'",
        ),
        (case_line("double-charge"), "id 'double-charge' is already used on line 1"),
    ],
)
def test_a_bad_dataset_line_names_the_file_and_the_line(
    tmp_path: Path, bad_line: str, problem: str
) -> None:
    layout = write_suite(tmp_path)
    path = dataset_with(layout, case_line("double-charge"), "", bad_line)

    with pytest.raises(EvalConfigError) as raised:
        load_suite(layout, SUITE)

    assert str(raised.value).startswith(f"{path}:3: ")
    assert problem in str(raised.value)


def test_an_empty_or_missing_dataset_is_refused(tmp_path: Path) -> None:
    layout = write_suite(tmp_path)
    path = dataset_with(layout, "", "  ")

    with pytest.raises(EvalConfigError, match=f"{path}: no cases"):
        load_suite(layout, SUITE)
    path.unlink()
    with pytest.raises(EvalConfigError, match=f"{path}: no such dataset file"):
        load_suite(layout, SUITE)
