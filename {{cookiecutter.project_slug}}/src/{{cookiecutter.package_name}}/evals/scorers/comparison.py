"""Scorers that compare the output with the case's expected values."""

from __future__ import annotations

from typing import Any

from pydantic import Field, ValidationInfo, field_validator

from ..scoring import NoOptions, Observation, Score, scorer
from .values import NO_OUTPUT, FieldOption, actual_value, check_output_fields, expected_value


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


def mismatch(actual: Any, expected: Any) -> str:
    return f"got {actual!r}, expected {expected!r}"
