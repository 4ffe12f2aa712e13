"""One formatter for pydantic's errors: field paths as the input spells them, never the input."""

from __future__ import annotations

import pytest
from pydantic import BaseModel, Field, ValidationError, field_validator

from {{ cookiecutter.package_name }}.core.validation_errors import describe_errors, field_path


class Item(BaseModel):
    name: str = Field(min_length=1)


class Order(BaseModel):
    items: list[Item]
    note: str

    @field_validator("note")
    @classmethod
    def no_secrets(cls, value: str) -> str:
        if "secret" in value:
            msg = "must not hold a secret"
            raise ValueError(msg)
        return value


def error_of(data: object, model: type[BaseModel] = Order) -> ValidationError:
    with pytest.raises(ValidationError) as raised:
        model.model_validate(data)
    return raised.value


def test_field_path_joins_names_and_indexes() -> None:
    assert field_path(("body", "items", 0, "name")) == "body.items.0.name"
    assert field_path(("items", 2), prefix="input") == "input.items.2"
    assert field_path(()) == ""


def test_each_error_names_its_field_without_the_input() -> None:
    error = error_of({"items": [{"name": ""}], "note": "a secret: hunter2"})

    lines = describe_errors(error)

    assert lines == [
        "items.0.name: String should have at least 1 character",
        "note: must not hold a secret",
    ]
    assert "hunter2" not in " ".join(lines)


def test_a_top_level_error_gets_the_callers_word_and_the_prefix_leads() -> None:
    assert describe_errors(error_of([1]), top="(file)") == [
        "(file): Input should be a valid dictionary or instance of Order"
    ]
    assert describe_errors(error_of({"note": "x"}), prefix="input") == [
        "input.items: Field required"
    ]


def test_limit_keeps_the_first_errors() -> None:
    error = error_of({"items": [{"name": ""}, {"name": ""}, {"name": ""}]})

    assert len(describe_errors(error)) == 4
    assert describe_errors(error, limit=2) == describe_errors(error)[:2]
