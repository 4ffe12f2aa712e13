"""The fallback chain that `generate` and `stream` share: deployments in order, moving on only
for the error kinds the alias names."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Callable

import pytest

from {{ cookiecutter.package_name }}.llm.config import AliasConfig
from {{ cookiecutter.package_name }}.llm.errors import (
    AuthError,
    ErrorKind,
    ModelError,
    RateLimitedError,
    UnavailableError,
)
from {{ cookiecutter.package_name }}.llm.fallback import over_fallbacks

ALIAS = AliasConfig(deployments=("first", "second", "third"))


RunOn = Callable[[int, str], AsyncGenerator[str]]


def deployments_failing_with(failures: dict[str, ModelError], tried: list[str]) -> RunOn:
    async def run_on(index: int, name: str) -> AsyncGenerator[str]:
        tried.append(name)
        if name in failures:
            raise failures[name]
        yield f"{index}:{name}:a"
        yield f"{index}:{name}:b"

    return run_on


async def collect(
    alias: AliasConfig, failures: dict[str, ModelError]
) -> tuple[list[str], list[str]]:
    tried: list[str] = []
    run_on = deployments_failing_with(failures, tried)
    results = [r async for r in over_fallbacks("chat", alias, run_on)]
    return results, tried


async def test_the_first_deployment_that_answers_is_the_only_one_asked() -> None:
    results, tried = await collect(ALIAS, {})

    assert results == ["0:first:a", "0:first:b"]
    assert tried == ["first"]


async def test_a_fallback_kind_moves_on_to_the_next_deployment() -> None:
    failures: dict[str, ModelError] = {
        "first": UnavailableError("503"),
        "second": RateLimitedError("429"),
    }

    results, tried = await collect(ALIAS, failures)

    assert results == ["2:third:a", "2:third:b"]
    assert tried == ["first", "second", "third"]


async def test_a_kind_outside_fallback_on_is_raised_at_once() -> None:
    tried: list[str] = []
    run_on = deployments_failing_with({"first": AuthError("401")}, tried)

    with pytest.raises(AuthError):
        [r async for r in over_fallbacks("chat", ALIAS, run_on)]
    assert tried == ["first"]


async def test_the_last_deployments_failure_is_raised() -> None:
    only_unavailable = AliasConfig(
        deployments=("first", "second"), fallback_on=frozenset({ErrorKind.UNAVAILABLE})
    )
    failures: dict[str, ModelError] = {
        "first": UnavailableError("503"),
        "second": UnavailableError("503 again"),
    }
    tried: list[str] = []
    run_on = deployments_failing_with(failures, tried)

    with pytest.raises(UnavailableError, match="503 again"):
        [r async for r in over_fallbacks("chat", only_unavailable, run_on)]
    assert tried == ["first", "second"]
