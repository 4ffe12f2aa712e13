"""How long to wait before the next attempt of a retryable error."""

from __future__ import annotations

import random
from collections.abc import Callable

from .config import RetryPolicy


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
