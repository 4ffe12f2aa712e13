"""The scorer registry, and the example scorer of docs/evals.md."""

from __future__ import annotations

from typing import Any

from {{ cookiecutter.package_name }}.evals.scorers import BoundScorer, Score, Scorer, scorer_registry

from ...factories import PROJECT_DIR
from .observations import observe


def test_every_scorer_the_issue_names_is_registered() -> None:
    assert set(scorer_registry()) >= {
        "exact_match",
        "contains",
        "regex",
        "output_valid",
        "field_match",
        "numeric_tolerance",
        "latency",
        "cost",
        "llm_judge",
    }
    assert all(found.description for found in scorer_registry().values())


async def test_the_scorer_example_in_the_docs_works() -> None:
    docs = (PROJECT_DIR / "docs" / "evals.md").read_text()
    section = docs[docs.index("## Adding a scorer") :]
    code = section[section.index("```python\n") + 10 : section.index("```\n", 10)]
    namespace: dict[str, Any] = {
        "__name__": "{{ cookiecutter.package_name }}.evals.scorers.example",
        "__package__": "{{ cookiecutter.package_name }}.evals.scorers",
    }
    exec(compile(code, "docs/evals.md", "exec"), namespace)  # noqa: S102 - our own docs
    example = namespace["max_length"]
    assert isinstance(example, Scorer)
    bound = BoundScorer(
        "length", 1.0, 1.0, example, example.options_model(field="summary", max_chars=20)
    )

    assert await bound.score(observe()) == Score(0.0, "26 characters")
