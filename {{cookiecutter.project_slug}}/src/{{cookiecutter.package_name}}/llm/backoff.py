"""How long to wait before the next attempt of a retryable error."""

from __future__ import annotations

import random
from collections.abc import Callable, Coroutine
from typing import Any

import structlog

from .config import RetryPolicy
from .errors import ModelError

Sleep = Callable[[float], Coroutine[Any, Any, None]]


def retry_delay(
    policy: RetryPolicy,
    retry_number: int,
    retry_after: float | None,
    uniform: Callable[[], float] = random.random,
) -> float | None:
    """Seconds to wait before retry `retry_number` (1-based), or None to stop retrying here.

    Exponential backoff with "equal jitter" (between half and all of the step), so concurrent
    callers spread out but never retry at once. A server's Retry-After is a floor; one longer
    than the policy allows means this deployment is out for a while: fall back instead.
    """
    if retry_after is not None and retry_after > policy.max_retry_after_seconds:
        return None
    step = min(policy.max_delay_seconds, policy.base_delay_seconds * 2.0 ** (retry_number - 1))
    delay = step / 2 + uniform() * step / 2
    return max(delay, retry_after or 0.0)


async def wait_to_retry(
    error: ModelError,
    deployment: str,
    policy: RetryPolicy,
    retry_number: int,
    *,
    sleep: Sleep,
    uniform: Callable[[], float],
) -> None:
    """Sleep before retry `retry_number`, or raise `error` when it is not retried."""
    delay = None
    if error.retryable and retry_number < policy.max_attempts:
        delay = retry_delay(policy, retry_number, error.retry_after, uniform)
    if delay is None:
        raise error
    structlog.get_logger("llm").info(
        "model_retry", deployment=deployment, kind=error.kind, delay_seconds=round(delay, 3)
    )
    await sleep(delay)
