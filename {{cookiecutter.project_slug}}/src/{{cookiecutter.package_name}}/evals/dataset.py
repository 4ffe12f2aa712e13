"""A dataset, `evals/datasets/<suite>.jsonl`: one case a line, checked against the task's models.

Every problem names the file and the line, so a bad case is found without a debugger.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import orjson
from pydantic import BaseModel, ConfigDict, Field, ValidationError, create_model

from ..tasks.registry import AnyTask
from .layout import EvalConfigError, describe_problems


class EvalCase(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(min_length=1, max_length=200, pattern=r"^[A-Za-z0-9._:-]+$")
    input: dict[str, Any]
    # Output fields the answer should have, e.g. {"category": "billing"}; any subset.
    expected: dict[str, Any] | None = None
    # Free text for scorers that judge rather than compare, e.g. an ideal summary.
    reference: str | None = None
    tags: tuple[str, ...] = ()


def load_dataset(path: Path, task: AnyTask) -> tuple[EvalCase, ...]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        msg = f"{path}: no such dataset file"
        raise EvalConfigError(msg) from None
    cases: list[EvalCase] = []
    first_line: dict[str, int] = {}
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        case = parse_case(line, task, f"{path}:{number}")
        if case.id in first_line:
            msg = f"{path}:{number}: id {case.id!r} is already used on line {first_line[case.id]}"
            raise EvalConfigError(msg)
        first_line[case.id] = number
        cases.append(case)
    if not cases:
        msg = f"{path}: no cases"
        raise EvalConfigError(msg)
    return tuple(cases)


def parse_case(line: str, task: AnyTask, where: str) -> EvalCase:
    try:
        case = EvalCase.model_validate(orjson.loads(line))
    except orjson.JSONDecodeError as exc:
        msg = f"{where}: not valid JSON: {exc}"
        raise EvalConfigError(msg) from None
    except ValidationError as exc:
        raise EvalConfigError(f"{where}: {describe_problems(exc)}") from None
    try:
        task.input_model.model_validate(case.input)
    except ValidationError as exc:
        raise EvalConfigError(f"{where}: {describe_problems(exc, prefix='input')}") from None
    for name, value in (case.expected or {}).items():
        check_expected_field(task, name, value, where)
    return case


def check_expected_field(task: AnyTask, name: str, value: Any, where: str) -> None:
    """An expected value must be one the output model accepts, or the case could never pass."""
    output_model: type[BaseModel] = task.output_model
    fields = output_model.model_fields
    if name not in fields:
        known = ", ".join(fields)
        msg = f"{where}: expected.{name}: not a field of {output_model.__name__} ({known})"
        raise EvalConfigError(msg)
    try:
        single_field_model(output_model, name).model_validate({name: value})
    except ValidationError as exc:
        raise EvalConfigError(f"{where}: {describe_problems(exc, prefix='expected')}") from None


@cache
def single_field_model(model: type[BaseModel], name: str) -> type[BaseModel]:
    """A model of one field of `model`, with its type and constraints, to check one value."""
    field = model.model_fields[name]
    definitions: dict[str, Any] = {name: (field.annotation, field)}
    return create_model(f"{model.__name__}_{name}", **definitions)
