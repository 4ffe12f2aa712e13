"""Scorers of what the answer says, on observations made by hand."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from {{ cookiecutter.package_name }}.evals.dataset import EvalCase
from {{ cookiecutter.package_name }}.evals.layout import EvalConfigError, EvalLayout
from {{ cookiecutter.package_name }}.evals.scorers import Observation, Score
from {{ cookiecutter.package_name }}.evals.suite import ScorerSpec, bind_scorer
from {{ cookiecutter.package_name }}.tasks.task import Prompt, Task

from ..eval_project import triage_task
from .observations import OUTPUT, observe, score


async def test_exact_match_compares_a_field_or_the_whole_output() -> None:
    assert await score("exact_match", observe(), field="category") == Score(1.0)
    miss = await score("exact_match", observe(), field="urgency")
    assert miss == Score(0.0, "got 'normal', expected 'urgent'")
    assert (await score("exact_match", observe(expected=OUTPUT))).value == 1.0
    assert (await score("exact_match", observe())).value == 0.0


async def test_field_match_scores_the_share_of_expected_fields() -> None:
    half = await score("field_match", observe())
    assert half == Score(0.5, "urgency: got 'normal', expected 'urgent'")
    assert (await score("field_match", observe(), fields=["category"])).value == 1.0


async def test_contains_and_regex_search_the_output_text() -> None:
    assert (await score("contains", observe(), field="summary", value="CHARGED")).value == 1.0
    case_sensitive = await score(
        "contains", observe(), field="summary", value="CHARGED", case_sensitive=True
    )
    assert case_sensitive == Score(0.0, "'CHARGED' not found")
    assert (await score("contains", observe(), field="category")).value == 1.0  # The expected.
    assert (await score("regex", observe(), field="summary", pattern=r"^\S.{0,199}$")).value == 1.0
    assert (await score("regex", observe(), pattern=r'"urgency":"urgent"')).value == 0.0


class Estimate(BaseModel):
    hours: float


ESTIMATE = Task(
    name="estimate",
    description="How long a job takes.",
    prompt=Prompt(name="estimate", version="1", system="Estimate.", user="$job"),
    input_model=EvalCase,  # Unused here: only the output model matters to the scorer.
    output_model=Estimate,
)


async def test_numeric_tolerance_accepts_an_absolute_or_relative_difference() -> None:
    observation = replace(observe(output={"hours": 10.4}, expected={"hours": 10}), task=ESTIMATE)

    async def tolerance(observation: Observation, **options: Any) -> Score:
        spec = ScorerSpec.model_validate(
            {"scorer": "numeric_tolerance", "field": "hours", **options}
        )
        bound = bind_scorer(spec, Path("suite.toml"), "scorers.0", EvalLayout(), ESTIMATE)
        return await bound.score(observation)

    assert (await tolerance(observation, absolute=0.5)).value == 1.0
    assert (await tolerance(observation, relative=0.01)).value == 0.0
    assert (await tolerance(observation, relative=0.05)).value == 1.0
    text = replace(observation, output={"hours": "ten"})
    assert (await tolerance(text)).detail == "hours: 'ten' is not a number"


async def test_comparing_scorers_give_zero_without_a_valid_output() -> None:
    invalid = replace(observe(), output=None)

    comparing: dict[str, dict[str, Any]] = {
        "exact_match": {},
        "field_match": {},
        "contains": {"value": "x"},
        "regex": {"pattern": "x"},
        "numeric_tolerance": {"field": "summary"},  # Checked as a number only with output.
    }
    for name, options in comparing.items():
        assert await score(name, invalid, **options) == Score(0.0, "no valid output"), name


async def test_a_case_without_what_a_scorer_compares_is_named() -> None:
    with pytest.raises(LookupError, match=r"case 'case-1' has no expected\.summary"):
        await score("exact_match", observe(), field="summary")


def test_options_are_checked_when_the_suite_loads() -> None:
    with pytest.raises(EvalConfigError, match=r"suite.toml: scorers.0.fields: Triage has no field"):
        bind_scorer(
            ScorerSpec.model_validate({"scorer": "field_match", "fields": ["nope"]}),
            Path("suite.toml"),
            "scorers.0",
            EvalLayout(),
            triage_task(),
        )
