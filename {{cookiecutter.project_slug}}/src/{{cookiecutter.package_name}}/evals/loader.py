"""Load a suite with everything it refers to, or fail naming the file and field (exit code 3)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..tasks.registry import AnyTask, task_registry
from .dataset import EvalCase, load_dataset
from .errors import EvalConfigError, describe_problems
from .layout import EvalLayout
from .scoring import BoundScorer, ModelAliasOptions, Scorer, scorer_registry
from .suite import ScorerSpec, SuiteConfig, load_suite_config


@dataclass(frozen=True)
class Suite:
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
