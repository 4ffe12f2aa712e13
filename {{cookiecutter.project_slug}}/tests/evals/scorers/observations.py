"""Observations made by hand, and a helper that scores one with a scorer as a suite binds it."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from {{ cookiecutter.package_name }}.evals.dataset import EvalCase
from {{ cookiecutter.package_name }}.evals.layout import EvalLayout
from {{ cookiecutter.package_name }}.evals.scorers import Observation, Score
from {{ cookiecutter.package_name }}.evals.suite import ScorerSpec, bind_scorer
from {{ cookiecutter.package_name }}.llm.gateway import ModelGateway

from ...llm.gateway_factories import make_gateway
from ..eval_project import triage_task

OUTPUT = {"category": "billing", "urgency": "normal", "summary": "Charged twice in November."}
EXPECTED = {"category": "billing", "urgency": "urgent"}


def observe(
    gateway: ModelGateway | None = None,
    *,
    output: dict[str, Any] | None = None,
    expected: dict[str, Any] | None = None,
    rubrics_dir: Path = Path("evals/rubrics"),
    **fields: Any,
) -> Observation:
    case = EvalCase(
        id="case-1",
        input={"subject": "Charged twice", "body": "Two charges in November."},
        expected=EXPECTED if expected is None else expected,
        reference="The customer was charged twice.",
    )
    values: dict[str, Any] = {
        "latency_ms": 250.0,
        "cost_usd": Decimal("0.0004"),
        "invalid_output": None,
        **fields,
    }
    return Observation(
        case=case,
        task=triage_task(),
        output=OUTPUT if output is None else output,
        gateway=gateway or make_gateway().gateway,
        rubrics_dir=rubrics_dir,
        **values,
    )


async def score(
    name: str, observation: Observation, *, layout: EvalLayout | None = None, **options: Any
) -> Score:
    spec = ScorerSpec.model_validate({"scorer": name, **options})
    bound = bind_scorer(
        spec, Path("suite.toml"), "scorers.0", layout or EvalLayout(), triage_task()
    )
    return await bound.score(observation)
