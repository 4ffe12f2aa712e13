"""Scorers that look for text in the output: a substring or a regular expression."""

from __future__ import annotations

import re

from pydantic import field_validator

from ..scoring import Observation, Score, scorer
from .values import NO_OUTPUT, FieldOption, actual_value, as_text, expected_value


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
