"""The task registry: every module in `tasks/catalog/` that defines `TASK` is a task."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator
from functools import cache
from typing import Any

from . import catalog
from .task import Task

AnyTask = Task[Any, Any]


class TaskRegistry:
    def __init__(self, tasks: list[AnyTask]) -> None:
        self._tasks = {task.name: task for task in tasks}
        if len(self._tasks) != len(tasks):
            msg = "two tasks share a name"
            raise ValueError(msg)

    def get(self, name: str) -> AnyTask | None:
        return self._tasks.get(name)

    def __iter__(self) -> Iterator[AnyTask]:
        return iter(self._tasks.values())

    def names(self) -> list[str]:
        return list(self._tasks)

    def aliases(self) -> set[str]:
        return {task.alias for task in self}


@cache
def task_registry() -> TaskRegistry:
    tasks: list[AnyTask] = []
    for module_info in pkgutil.iter_modules(catalog.__path__):
        module = importlib.import_module(f"{catalog.__name__}.{module_info.name}")
        task = getattr(module, "TASK", None)
        if not isinstance(task, Task):
            msg = f"{module.__name__} defines no TASK"
            raise TypeError(msg)
        tasks.append(task)
    return TaskRegistry(tasks)
