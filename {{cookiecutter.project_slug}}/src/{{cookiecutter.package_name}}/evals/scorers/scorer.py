"""What a scorer is: what it receives, what it returns, and how it is registered.

A scorer is one function decorated with `@scorer("name")` in a module of this package:

    @scorer("exact_match", options=FieldOption)
    def exact_match(observation: Observation, options: FieldOption) -> Score: ...

It may be `async` (the LLM judge is). Suites name it in `[[scorers]]`; its options sit in the
same table and are validated when the suite loads.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict

from ...llm.gateway import ModelGateway
from ...tasks.registry import AnyTask
from ..dataset import EvalCase

NO_OUTPUT = "no valid output"  # The detail of a score given for an answer that failed validation.


@dataclass(frozen=True)
class Score:
    value: float  # From 0 (worst) to 1 (best).
    detail: str = ""

    @classmethod
    def of(cls, ok: bool, detail: str = "") -> Score:
        return cls(1.0 if ok else 0.0, detail)


@dataclass(frozen=True)
class Observation:
    """One attempt at one case, as every scorer sees it."""

    case: EvalCase
    task: AnyTask
    output: dict[str, Any] | None  # The validated output as JSON; None when it was invalid.
    invalid_output: str | None  # Why the answer failed validation after every repair.
    latency_ms: float
    cost_usd: Decimal
    gateway: ModelGateway  # For scorers that ask a model, such as the judge.
    rubrics_dir: Path


class NoOptions(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ModelAliasOptions(NoOptions):
    """Options of a scorer that calls a model: the run refuses to start without its alias."""

    alias: str


OptionsT = TypeVar("OptionsT", bound=BaseModel)
ScorerFunction = Callable[[Observation, OptionsT], Score | Awaitable[Score]]


@dataclass(frozen=True)
class Scorer(Generic[OptionsT]):
    name: str
    function: ScorerFunction[OptionsT]
    options_model: type[OptionsT]
    description: str


def scorer(
    name: str,
    options: type[OptionsT] = NoOptions,  # type: ignore[assignment]
) -> Callable[[ScorerFunction[OptionsT]], Scorer[OptionsT]]:
    """Register a function as the scorer `name`, with an options model validated per suite."""

    def register(function: ScorerFunction[OptionsT]) -> Scorer[OptionsT]:
        description = inspect.getdoc(function) or ""
        return Scorer(name, function, options, description.split("\n", 1)[0])

    return register


@dataclass(frozen=True)
class BoundScorer:
    """A scorer as one suite uses it: with its label, threshold, weight and options."""

    label: str
    threshold: float
    weight: float
    scorer: Scorer[Any]
    options: BaseModel

    async def score(self, observation: Observation) -> Score:
        result = self.scorer.function(observation, self.options)
        score = await result if inspect.isawaitable(result) else result
        if not 0.0 <= score.value <= 1.0:
            msg = f"scorer {self.label!r} returned {score.value}, outside 0..1"
            raise ValueError(msg)
        return score


@cache
def scorer_registry() -> dict[str, Scorer[Any]]:
    """Every `Scorer` defined in a module of this package, by name."""
    package = importlib.import_module(__package__ or "")
    found: dict[str, Scorer[Any]] = {}
    for module_info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"{package.__name__}.{module_info.name}")
        for value in vars(module).values():
            if isinstance(value, Scorer):
                if value.name in found and found[value.name] is not value:
                    msg = f"two scorers are named {value.name!r}"
                    raise ValueError(msg)
                found[value.name] = value
    return found
