"""Which option combinations the bake matrix covers: defaults plus a pairwise cover."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

CHOICE_OPTIONS = (
    "python_version",
    "license",
    "database",
    "ci_provider",
    "docker",
    "model_provider",
)


def choices() -> dict[str, list[str]]:
    context = json.loads((Path(__file__).parent.parent / "cookiecutter.json").read_text())
    return {name: list(context[name]) for name in CHOICE_OPTIONS}


def pairwise_cover(options: dict[str, list[str]]) -> list[dict[str, str]]:
    """A small set of combinations in which every pair of values of two options appears.

    Greedy and deterministic: each row is the candidate covering the most uncovered pairs,
    so the same cookiecutter.json always gives the same matrix.
    """
    names = list(options)
    uncovered = {
        ((a, va), (b, vb))
        for a, b in itertools.combinations(names, 2)
        for va in options[a]
        for vb in options[b]
    }
    rows: list[dict[str, str]] = []
    candidates = [
        dict(zip(names, values, strict=True))
        for values in itertools.product(*(options[name] for name in names))
    ]
    while uncovered:
        best = max(candidates, key=lambda row: len(pairs_of(row, names) & uncovered))
        uncovered -= pairs_of(best, names)
        rows.append(best)
    return rows


def pairs_of(row: dict[str, str], names: list[str]) -> set[tuple[tuple[str, str], ...]]:
    return {((a, row[a]), (b, row[b])) for a, b in itertools.combinations(names, 2)}


def defaults() -> dict[str, str]:
    return {name: values[0] for name, values in choices().items()}


def matrix() -> list[dict[str, str]]:
    """The defaults (baked with no answers at all), then the pairwise rows not equal to them."""
    return [{}, *(row for row in pairwise_cover(choices()) if row != defaults())]


def row_id(answers: dict[str, str]) -> str:
    if not answers:
        return "defaults"
    return "-".join(answers[name] for name in CHOICE_OPTIONS).replace(".", "")
