"""Scorers of how the answer was obtained: validity, latency and cost."""

from __future__ import annotations

from dataclasses import replace

from {{ cookiecutter.package_name }}.evals.scorers import Score

from .observations import observe, score


async def test_output_valid_latency_and_cost() -> None:
    invalid = replace(
        observe(invalid_output="output does not match the schema: category"), output=None
    )

    assert (await score("output_valid", observe())).value == 1.0
    assert await score("output_valid", invalid) == Score(
        0.0, "output does not match the schema: category"
    )
    assert (await score("latency", observe(), max_ms=300)).value == 1.0
    assert (await score("latency", observe(latency_ms=301.0), max_ms=300)).value == 0.0
    assert (await score("cost", observe(), max_usd=0.0004)).value == 1.0
    assert (await score("cost", observe(), max_usd=0.0003)).value == 0.0
