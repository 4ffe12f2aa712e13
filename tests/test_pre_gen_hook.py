"""Every bad answer is refused before anything is written, with a line naming the field."""

from __future__ import annotations

from pathlib import Path

import pytest
from cookiecutter.exceptions import FailedHookException

from .baking import bake

REFUSALS = [
    ({"project_slug": "My Service"}, "project_slug: 'My Service' is not allowed"),
    ({"project_slug": "-service"}, "project_slug: '-service' is not allowed"),
    ({"project_slug": "a" * 65}, f"project_slug: '{'a' * 65}' is not allowed"),
    ({"package_name": "my-service"}, "package_name: 'my-service' is not a valid Python package"),
    ({"package_name": "9lives"}, "package_name: '9lives' is not a valid Python package"),
    ({"package_name": "class"}, "package_name: 'class' is a Python keyword"),
    ({"package_name": "match"}, "package_name: 'match' is a Python keyword"),
    ({"package_name": "logging"}, "package_name: 'logging' would shadow the module"),
    ({"package_name": "fastapi"}, "package_name: 'fastapi' would shadow the module"),
    ({"author_email": "not-an-email"}, "author_email: 'not-an-email' is not an e-mail address"),
    ({"version": "v1"}, "version: 'v1' is not a PEP 440 version"),
    ({"version": "1.0-beta"}, "version: '1.0-beta' is not a PEP 440 version"),
    ({"project_name": "  ", "project_slug": "svc"}, "project_name: must not be empty"),
    ({"description": 'Say "hi"'}, "description: must be one line without double quotes"),
    ({"author_name": "back\\slash"}, "author_name: must be one line without double quotes"),
]


@pytest.mark.parametrize(("answers", "message"), REFUSALS)
def test_bad_answer_is_refused_naming_the_field(
    answers: dict[str, str], message: str, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(FailedHookException):
        bake(tmp_path, **answers)

    stderr = capfd.readouterr().err
    assert f"ERROR: {message}" in stderr
    assert "Nothing was generated" in stderr
    assert list(tmp_path.iterdir()) == [], "a refused answer must leave nothing behind"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("python_version", "3.9"),
        ("license", "GPL"),
        ("database", "mysql"),
        ("ci_provider", "jenkins"),
        ("docker", "maybe"),
    ],
)
def test_unsupported_choice_is_refused_naming_the_field(
    field: str, value: str, tmp_path: Path
) -> None:
    # Cookiecutter refuses these before the hook runs; the hook checks them again for
    # contexts that skip that validation (replays, cruft updates).
    with pytest.raises(ValueError, match=f"{value} provided for choice variable {field}"):
        bake(tmp_path, **{field: value})

    assert list(tmp_path.iterdir()) == []


def test_several_bad_answers_are_all_reported_at_once(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(FailedHookException):
        bake(tmp_path, author_email="nope", version="x")

    stderr = capfd.readouterr().err
    assert "ERROR: author_email:" in stderr
    assert "ERROR: version:" in stderr


@pytest.mark.parametrize(
    "answers",
    [
        {"project_name": "Fraud Scorer", "package_name": "fraud_scorer_v2"},
        {"project_slug": "x", "package_name": "x"},
        {"version": "2.0.0rc1", "author_email": "team+ai@corp.example.co.uk"},
    ],
)
def test_good_answers_are_accepted(answers: dict[str, str], tmp_path: Path) -> None:
    project = bake(tmp_path, **answers)

    assert (project / "pyproject.toml").is_file()
