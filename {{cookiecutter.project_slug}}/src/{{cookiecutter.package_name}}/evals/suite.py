"""A suite, `evals/suites/<suite>.toml`: the task it exercises, its dataset, its scorers and the
gates a run must pass. Loading one checks everything it refers to before any model call, and a
problem names the file and the field (exit code 3)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Self

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from ..tasks.registry import AnyTask, task_registry
from .dataset import EvalCase, load_dataset
from .layout import EvalConfigError, EvalLayout, describe_problems
from .scorers import BoundScorer, ModelAliasOptions, Scorer, scorer_registry


class ScorerSpec(BaseModel):
    """One `[[scorers]]` table: which scorer, how it counts, and its own options."""

    # The scorer's options sit beside these keys; each scorer validates its own.
    model_config = ConfigDict(frozen=True, extra="allow")

    scorer: str = Field(min_length=1)
    name: str | None = Field(default=None, min_length=1, description="Label; default: scorer.")
    threshold: float = Field(default=1.0, ge=0, le=1, description="A case passes at or above.")
    weight: float = Field(default=1.0, ge=0, description="Share of the case's weighted score.")

    @property
    def label(self) -> str:
        return self.name or self.scorer

    def options(self) -> dict[str, Any]:
        return dict(self.model_extra or {})


class Gates(BaseModel):
    """What a run must achieve. Errors are never scores: they have their own gate."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    min_pass_rate: float = Field(default=1.0, ge=0, le=1)
    max_regressions: int = Field(default=0, ge=0)
    max_error_rate: float = Field(default=0.0, ge=0, le=1)
    max_flaky_cases: int | None = Field(default=None, ge=0)
    max_latency_p95_ms: float | None = Field(default=None, gt=0)
    max_mean_cost_usd: float | None = Field(default=None, ge=0)


class SuiteConfig(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    description: str = ""
    task: str = Field(min_length=1)
    dataset: str = Field(default="", description="Relative to evals/; default datasets/<suite>.")
    repeats: int = Field(default=1, ge=1, le=20)
    concurrency: int = Field(default=4, ge=1, le=64, description="Live and record modes only.")
    scorers: tuple[ScorerSpec, ...] = Field(min_length=1)
    gates: Gates = Gates()

    @model_validator(mode="after")
    def _scorers_are_distinct_and_weighted(self) -> Self:
        labels = [spec.label for spec in self.scorers]
        duplicates = sorted({label for label in labels if labels.count(label) > 1})
        if duplicates:
            msg = f"two scorers share the name {duplicates[0]!r}: give one a `name`"
            raise ValueError(msg)
        if not any(spec.weight > 0 for spec in self.scorers):
            msg = "every scorer has weight 0: at least one must count"
            raise ValueError(msg)
        return self

    @property
    def dataset_path(self) -> str:
        return self.dataset or f"datasets/{self.name}.jsonl"


@dataclass(frozen=True)
class Suite:
    """A suite ready to run: its file, its task, its cases and its scorers with their options."""

    config: SuiteConfig
    path: Path
    dataset_path: Path
    task: AnyTask
    cases: tuple[EvalCase, ...]
    scorers: tuple[BoundScorer, ...]

    @property
    def name(self) -> str:
        return self.config.name

    def model_aliases(self) -> set[str]:
        """The aliases the run calls: the task's, and those of scorers that ask a model."""
        judges = {b.options.alias for b in self.scorers if isinstance(b.options, ModelAliasOptions)}
        return {self.task.alias, *judges}


def load_suite(layout: EvalLayout, name: str) -> Suite:
    path = layout.suite_file(name)
    config = load_suite_config(path)
    task = task_registry().get(config.task)
    if task is None:
        known = ", ".join(sorted(t.name for t in task_registry()))
        msg = f"{path}: task: no task named {config.task!r} (tasks: {known})"
        raise EvalConfigError(msg)
    scorers = tuple(
        bind_scorer(spec, path, f"scorers.{index}", layout, task)
        for index, spec in enumerate(config.scorers)
    )
    dataset_path = layout.dataset_file(config.dataset_path)
    cases = load_dataset(dataset_path, task)
    return Suite(config, path, dataset_path, task, cases, scorers)


def load_suite_config(path: Path) -> SuiteConfig:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        msg = f"{path}: no such suite file"
        raise EvalConfigError(msg) from None
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        msg = f"{path}: not valid TOML: {exc}"
        raise EvalConfigError(msg) from None
    if "name" in data:
        msg = f"{path}: name: not allowed, the suite is named after its file ({path.stem})"
        raise EvalConfigError(msg)
    try:
        return SuiteConfig.model_validate({**data, "name": path.stem})
    except ValidationError as exc:
        raise EvalConfigError(f"{path}: {describe_problems(exc)}") from None


def bind_scorer(
    spec: ScorerSpec, path: Path, field: str, layout: EvalLayout, task: AnyTask
) -> BoundScorer:
    registry = scorer_registry()
    found: Scorer[Any] | None = registry.get(spec.scorer)
    if found is None:
        known = ", ".join(sorted(registry))
        msg = f"{path}: {field}.scorer: no scorer named {spec.scorer!r} (scorers: {known})"
        raise EvalConfigError(msg)
    try:
        # The context lets options check files, such as a judge's rubric, when the suite loads.
        options = found.options_model.model_validate(
            spec.options(), context={"layout": layout, "task": task}
        )
    except ValidationError as exc:
        raise EvalConfigError(f"{path}: {describe_problems(exc, prefix=field)}") from None
    return BoundScorer(spec.label, spec.threshold, spec.weight, found, options)
