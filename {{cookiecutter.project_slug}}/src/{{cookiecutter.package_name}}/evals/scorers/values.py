"""Reading the expected and actual values scorers compare, with errors that name the case."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import orjson
from pydantic import Field, ValidationInfo, field_validator

from ...tasks.registry import AnyTask
from ..scoring import NoOptions, Observation

NO_OUTPUT = "no valid output"


class FieldOption(NoOptions):
    field: str | None = Field(default=None, description="An output field; default: all of it.")

    @field_validator("field")
    @classmethod
    def _is_an_output_field(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is not None:
            check_output_fields([value], info)
        return value


def check_output_fields(names: Iterable[str], info: ValidationInfo) -> None:
    """When the suite loads (its task is in the validation context), a typo fails at once."""
    task: AnyTask | None = (info.context or {}).get("task")
    if task is None:
        return
    fields = task.output_model.model_fields
    for name in names:
        if name not in fields:
            msg = f"{task.output_model.__name__} has no field {name!r} ({', '.join(fields)})"
            raise ValueError(msg)


def expected_value(observation: Observation, field: str | None) -> Any:
    expected = observation.case.expected
    if expected is None:
        msg = f"case {observation.case.id!r} has no `expected` to compare with"
        raise LookupError(msg)
    if field is None:
        return expected
    if field not in expected:
        msg = f"case {observation.case.id!r} has no expected.{field}"
        raise LookupError(msg)
    return expected[field]


def actual_value(output: dict[str, Any], field: str | None) -> Any:
    return output if field is None else output.get(field)


def as_text(value: Any) -> str:
    return value if isinstance(value, str) else orjson.dumps(value).decode()
