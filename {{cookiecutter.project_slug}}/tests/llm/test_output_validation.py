from __future__ import annotations

import pytest
from pydantic import BaseModel, Field

from {{ cookiecutter.package_name }}.llm.errors import ErrorKind, InvalidOutputError
from {{ cookiecutter.package_name }}.llm.output_validation import parse_output, repair_request
from {{ cookiecutter.package_name }}.llm.types import Message, ModelRequest, PromptRef


class Inner(BaseModel):
    score: int = Field(ge=0, le=10)


class Verdict(BaseModel):
    label: str
    inner: Inner


def test_plain_json_is_parsed() -> None:
    parsed = parse_output('{"label": "spam", "inner": {"score": 7}}', Verdict)
    assert parsed == Verdict(label="spam", inner=Inner(score=7))


@pytest.mark.parametrize(
    "text",
    [
        '```json\n{"label": "ham", "inner": {"score": 2}}\n```',
        '```\n{"label": "ham", "inner": {"score": 2}}\n```',
        '  ```json\n{"label": "ham",\n "inner": {"score": 2}}\n  ```  \n',
    ],
)
def test_json_in_a_markdown_fence_is_accepted(text: str) -> None:
    assert parse_output(text, Verdict) == Verdict(label="ham", inner=Inner(score=2))


def test_invalid_output_names_the_field_and_the_problem() -> None:
    with pytest.raises(InvalidOutputError) as caught:
        parse_output('{"label": "spam", "inner": {"score": 11}}', Verdict)
    assert caught.value.kind is ErrorKind.INVALID_OUTPUT
    assert caught.value.message.startswith("output does not match the schema: ")
    assert "inner.score: Input should be less than or equal to 10" in caught.value.message
    assert "11" not in caught.value.message  # The model's output is not echoed back.


def test_missing_field_is_named() -> None:
    with pytest.raises(InvalidOutputError, match=r"label: Field required"):
        parse_output('{"inner": {"score": 1}}', Verdict)


def test_not_json_at_all_is_invalid_output() -> None:
    with pytest.raises(InvalidOutputError, match=r"\(root\): Invalid JSON"):
        parse_output("Sure! Here is the answer: spam", Verdict)


def test_at_most_five_problems_are_listed() -> None:
    class Many(BaseModel):
        a: int
        b: int
        c: int
        d: int
        e: int
        f: int
        g: int

    with pytest.raises(InvalidOutputError) as caught:
        parse_output("{}", Many)
    assert caught.value.message.count("Field required") == 5
    assert "f: " not in caught.value.message


def test_repair_request_appends_the_bad_output_and_the_problem() -> None:
    original = ModelRequest(
        messages=(
            Message(role="system", content="Classify."),
            Message(role="user", content="Buy now!!!"),
        ),
        output_schema=Verdict.model_json_schema(),
        prompt=PromptRef(name="classify", version="3"),
        metadata={"tenant": "t1"},
    )
    error = InvalidOutputError("output does not match the schema: label: Field required")
    repaired = repair_request(original, '{"inner": {"score": 1}}', error)

    assert repaired.messages[:2] == original.messages
    assert repaired.messages[2] == Message(role="assistant", content='{"inner": {"score": 1}}')
    assert repaired.messages[3].role == "user"
    assert repaired.messages[3].content == (
        "Your answer was not valid: output does not match the schema: label: Field required. "
        "Reply again with only a JSON object that matches the schema."
    )
    assert len(repaired.messages) == 4
    assert repaired.output_schema == original.output_schema
    assert repaired.prompt == original.prompt
    assert repaired.metadata == {"tenant": "t1"}
    assert len(original.messages) == 2  # The original is untouched.
