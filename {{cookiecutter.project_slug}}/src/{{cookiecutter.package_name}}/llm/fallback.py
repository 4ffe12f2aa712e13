"""The fallback chain: an alias's deployments tried in order, for `generate` and `stream` alike."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Callable
from contextlib import aclosing
from typing import TypeVar

import structlog

from .config import AliasConfig
from .errors import ModelError

T = TypeVar("T")


async def over_fallbacks(
    alias_name: str, alias: AliasConfig, run_on: Callable[[int, str], AsyncGenerator[T]]
) -> AsyncGenerator[T]:
    """What `run_on(index, deployment)` yields, for the first deployment that does not fail.

    A deployment's failure moves on to the next one only for the error kinds the alias lists
    in `fallback_on`, and only before it yielded anything (a stream that already sent text
    reports its own error instead of raising); the last deployment's failure is raised.
    """
    last = len(alias.deployments) - 1
    for index, name in enumerate(alias.deployments):
        try:
            async with aclosing(run_on(index, name)) as results:  # Closed if the caller stops.
                async for result in results:
                    yield result
            return
        except ModelError as error:
            if error.kind not in alias.fallback_on or index == last:
                raise
            structlog.get_logger("llm").warning(
                "model_fallback", alias=alias_name, deployment=name, kind=error.kind
            )
