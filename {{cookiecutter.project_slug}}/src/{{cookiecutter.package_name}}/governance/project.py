"""The facts governance reads, loaded once: tasks, the models and prices files, nfr.toml and
the eval suites with their blessed baselines."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..core.settings import Settings
from ..evals.layout import EvalLayout
from ..evals.results import SuiteResults, load_results
from ..llm.config import LoadedModelsConfig, load_models_config
from ..llm.pricing import PriceTable, load_price_table
from ..tasks.registry import task_registry
from .nfr import Nfr, load_nfr
from .owners import TaskOwner, suites_by_task


@dataclass(frozen=True)
class TaskFacts:
    name: str
    alias: str
    prompt_version: str
    owner: TaskOwner
    suites: tuple[str, ...]


@dataclass(frozen=True)
class ProjectFacts:
    package: str
    tasks: tuple[TaskFacts, ...]
    models: LoadedModelsConfig
    prices: PriceTable
    nfr: Nfr
    nfr_file: Path
    layout: EvalLayout

    def owners(self) -> list[TaskOwner]:
        return [task.owner for task in self.tasks]

    def baseline(self, suite: str) -> SuiteResults | None:
        """The blessed results of `suite`: the eval run that approved what it measured."""
        path = self.layout.baseline_file(suite)
        return load_results(path) if path.exists() else None


def load_project(settings: Settings, layout: EvalLayout | None = None) -> ProjectFacts:
    layout = layout or EvalLayout()
    nfr = load_nfr(settings.nfr_file)
    registry = task_registry()
    nfr.check_covers(settings.nfr_file, registry.names())
    suites = suites_by_task(layout)
    tasks = tuple(
        TaskFacts(
            name=task.name,
            alias=task.alias,
            prompt_version=task.prompt.version,
            owner=TaskOwner(task=task.name, prompt=task.prompt.name, owner=task.owner),
            suites=tuple(suites.get(task.name, [])),
        )
        for task in sorted(registry, key=lambda task: task.name)
    )
    return ProjectFacts(
        package=__name__.split(".", 1)[0],
        tasks=tasks,
        models=load_models_config(settings.models_file),
        prices=load_price_table(settings.prices_file),
        nfr=nfr,
        nfr_file=settings.nfr_file,
        layout=layout,
    )
