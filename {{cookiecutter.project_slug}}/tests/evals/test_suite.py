"""A bad suite file stops the run before any model call, naming the file and the field
(exit code 3)."""

from __future__ import annotations

from pathlib import Path

import pytest

from {{ cookiecutter.package_name }}.evals.layout import EvalConfigError, EvalLayout
from {{ cookiecutter.package_name }}.evals.suite import load_suite

from .eval_project import SUITE, write_suite

GOOD_SCORERS = '[[scorers]]\nscorer = "output_valid"\n'


def suite_with(layout: EvalLayout, text: str) -> Path:
    path = layout.suite_file(SUITE)
    path.write_text(text)
    return path


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("task = [", "not valid TOML"),
        (f'task = "triage_ticket"\nrepeat = 3\n{GOOD_SCORERS}', "repeat: Extra inputs"),
        (f'task = "triage_ticket"\nrepeats = 0\n{GOOD_SCORERS}', "repeats: Input should be"),
        ('task = "triage_ticket"\n', "scorers: Field required"),
        (f'task = "no_such_task"\n{GOOD_SCORERS}', "task: no task named 'no_such_task'"),
        (f'name = "x"\ntask = "triage_ticket"\n{GOOD_SCORERS}', "name: not allowed"),
        (
            'task = "triage_ticket"\n[[scorers]]\nscorer = "exact_matsch"\n',
            "scorers.0.scorer: no scorer named 'exact_matsch'",
        ),
        (
            'task = "triage_ticket"\n[[scorers]]\nscorer = "regex"\npattern = "(["\n',
            "scorers.0.pattern: not a valid regular expression",
        ),
        (
            'task = "triage_ticket"\n[[scorers]]\nscorer = "latency"\n',
            "scorers.0.max_ms: Field required",
        ),
        (
            'task = "triage_ticket"\n[[scorers]]\nscorer = "exact_match"\nfield = "categry"\n',
            "scorers.0.field: Triage has no field 'categry'",
        ),
        (
            'task = "triage_ticket"\n[[scorers]]\nscorer = "llm_judge"\nrubric = "missing"\n',
            "scorers.0.rubric: no rubric file",
        ),
        (f'task = "triage_ticket"\n{GOOD_SCORERS}{GOOD_SCORERS}', "share the name 'output_valid'"),
        (
            'task = "triage_ticket"\n[[scorers]]\nscorer = "output_valid"\nweight = 0\n',
            "every scorer has weight 0",
        ),
        (
            f'task = "triage_ticket"\n{GOOD_SCORERS}[gates]\nmin_pass_rate = 2\n',
            "gates.min_pass_rate: Input should be less than or equal to 1",
        ),
    ],
)
def test_a_bad_suite_file_names_the_file_and_the_field(
    tmp_path: Path, text: str, problem: str
) -> None:
    layout = write_suite(tmp_path)
    path = suite_with(layout, text)

    with pytest.raises(EvalConfigError) as raised:
        load_suite(layout, SUITE)

    assert str(raised.value).startswith(f"{path}: ")
    assert problem in str(raised.value)


def test_a_missing_suite_is_named(tmp_path: Path) -> None:
    layout = write_suite(tmp_path)

    with pytest.raises(EvalConfigError, match=r"suites/nope\.toml: no such suite file"):
        load_suite(layout, "nope")
