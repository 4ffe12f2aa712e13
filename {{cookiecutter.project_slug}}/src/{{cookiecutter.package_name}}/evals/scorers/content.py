"""Scorers of what the answer says: compared with the case's expected values, or searched for
a text or a pattern. Each scores 0 when there is no valid answer to look at."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import orjson
from pydantic import Field, ValidationInfo, field_validator

from ...tasks.registry import AnyTask
from .scorer import NO_OUTPUT, NoOptions, Observation, Score, scorer


class FieldOption(NoOptions):
    field: str | None = Field(default=None, description="An output field; default: all of it.")

    @field_validator("field")
    @classmethod
    def _is_an_output_field(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is not None:
            check_output_fields([value], info)
        return value


@scorer("exact_match", options=FieldOption)
def exact_match(observation: Observation, options: FieldOption) -> Score:
    """1 when the output (or one field of it) equals the expected value exactly."""
    if observation.output is None:
        return Score(0.0, NO_OUTPUT)
    expected = expected_value(observation, options.field)
    actual = actual_value(observation.output, options.field)
    return Score.of(actual == expected, "" if actual == expected else mismatch(actual, expected))


class FieldMatchOptions(NoOptions):
    fields: tuple[str, ...] = Field(default=(), description="Default: every expected field.")

    @field_validator("fields")
    @classmethod
    def _are_output_fields(cls, value: tuple[str, ...], info: ValidationInfo) -> tuple[str, ...]:
        check_output_fields(value, info)
        return value


@scorer("field_match", options=FieldMatchOptions)
def field_match(observation: Observation, options: FieldMatchOptions) -> Score:
    """The share of expected fields the structured output gets exactly right."""
    if observation.output is None:
        return Score(0.0, NO_OUTPUT)
    fields = options.fields or tuple(expected_value(observation, None))
    wrong = {
        field: mismatch(observation.output.get(field), expected)
        for field in fields
        if observation.output.get(field) != (expected := expected_value(observation, field))
    }
    if len(fields) == 1:  # The scorer's label usually names the one field already.
        detail = "; ".join(wrong.values())
    else:
        detail = "; ".join(f"{field}: {why}" for field, why in wrong.items())
    return Score((len(fields) - len(wrong)) / len(fields), detail)


class ToleranceOptions(FieldOption):
    field: str
    absolute: float = Field(default=0.0, ge=0)
    relative: float = Field(default=0.0, ge=0, description="A share of the expected value.")


@scorer("numeric_tolerance", options=ToleranceOptions)
def numeric_tolerance(observation: Observation, options: ToleranceOptions) -> Score:
    """1 when a numeric field is within an absolute or relative tolerance of the expected."""
    if observation.output is None:
        return Score(0.0, NO_OUTPUT)
    expected = float(expected_value(observation, options.field))
    actual = observation.output.get(options.field)
    if not isinstance(actual, int | float) or isinstance(actual, bool):
        return Score(0.0, f"{options.field}: {actual!r} is not a number")
    allowed = max(options.absolute, options.relative * abs(expected))
    off_by = abs(actual - expected)
    return Score.of(
        off_by <= allowed, f"{options.field}: {actual} vs {expected}, allowed ±{allowed}"
    )


class ContainsOptions(FieldOption):
    value: str | None = None  # Default: the case's expected value of `field`.
    case_sensitive: bool = False


@scorer("contains", options=ContainsOptions)
def contains(observation: Observation, options: ContainsOptions) -> Score:
    """1 when the output (or one field of it) contains a text."""
    if observation.output is None:
        return Score(0.0, NO_OUTPUT)
    wanted = options.value or as_text(expected_value(observation, options.field))
    text = as_text(actual_value(observation.output, options.field))
    if not options.case_sensitive:
        wanted, text = wanted.casefold(), text.casefold()
    return Score.of(wanted in text, "" if wanted in text else f"{wanted!r} not found")


class RegexOptions(FieldOption):
    pattern: str

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, value: str) -> str:
        try:
            re.compile(value)
        except re.error as exc:
            msg = f"not a valid regular expression: {exc}"
            raise ValueError(msg) from None
        return value


@scorer("regex", options=RegexOptions)
def regex(observation: Observation, options: RegexOptions) -> Score:
    """1 when a regular expression matches somewhere in the output (or one field of it)."""
    if observation.output is None:
        return Score(0.0, NO_OUTPUT)
    text = as_text(actual_value(observation.output, options.field))
    found = re.search(options.pattern, text) is not None
    return Score.of(found, "" if found else f"/{options.pattern}/ does not match")


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
    """The case's expected value (of one field), or an error of the case naming what it lacks."""
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


def mismatch(actual: Any, expected: Any) -> str:
    return f"got {actual!r}, expected {expected!r}"
