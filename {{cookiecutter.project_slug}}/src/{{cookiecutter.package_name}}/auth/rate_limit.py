"""Per-key request limits: requests and tokens per minute, requests in flight.

Windows are fixed calendar minutes, so every process and replica agrees on them. The memory
backend serves one process; the Redis backend (rate_limit_redis.py) shares the counts.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from .principal import Limits

WINDOW_SECONDS = 60


@dataclass(frozen=True)
class RateLimitExceededError(Exception):
    limit: str  # "rpm", "tpm" or "concurrent"
    quota: int
    retry_after: int

    def headers(self) -> dict[str, str]:
        """`Retry-After` and the IETF RateLimit fields (draft-ietf-httpapi-ratelimit-headers)."""
        window = WINDOW_SECONDS if self.limit != "concurrent" else 1
        return {
            "Retry-After": str(self.retry_after),
            "RateLimit-Policy": f'"{self.limit}";q={self.quota};w={window}',
            "RateLimit": f'"{self.limit}";r=0;t={self.retry_after}',
        }


class RateLimiterUnavailableError(Exception):
    """The shared store is down and request limits are configured to fail closed."""


class RateLimiter(Protocol):
    async def acquire(self, who: str, limits: Limits) -> None:
        """Count a request, or raise RateLimitExceededError without counting it."""

    async def release(self, who: str, limits: Limits) -> None:
        """The request that `acquire` counted has finished."""

    async def add_tokens(self, who: str, limits: Limits, tokens: int) -> None: ...


def has_limits(limits: Limits) -> bool:
    return any(
        value is not None
        for value in (
            limits.requests_per_minute,
            limits.tokens_per_minute,
            limits.concurrent_requests,
        )
    )


def window_of(now: float) -> tuple[int, int]:
    """The current window's number and the whole seconds until it ends (at least 1)."""
    window = int(now // WINDOW_SECONDS)
    return window, max(1, int((window + 1) * WINDOW_SECONDS - now + 0.999))


class MemoryRateLimiter:
    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self._clock = clock
        self._requests: dict[tuple[str, int], int] = defaultdict(int)
        self._tokens: dict[tuple[str, int], int] = defaultdict(int)
        self._in_flight: dict[str, int] = defaultdict(int)

    async def acquire(self, who: str, limits: Limits) -> None:
        window, retry_after = window_of(self._clock())
        self._forget_before(window)
        rpm, tpm = limits.requests_per_minute, limits.tokens_per_minute
        if rpm is not None and self._requests[(who, window)] >= rpm:
            raise RateLimitExceededError("rpm", rpm, retry_after)
        if tpm is not None and self._tokens[(who, window)] >= tpm:
            raise RateLimitExceededError("tpm", tpm, retry_after)
        concurrent = limits.concurrent_requests
        if concurrent is not None and self._in_flight[who] >= concurrent:
            raise RateLimitExceededError("concurrent", concurrent, 1)
        self._requests[(who, window)] += 1
        if concurrent is not None:
            self._in_flight[who] += 1

    async def release(self, who: str, limits: Limits) -> None:
        if limits.concurrent_requests is not None and self._in_flight[who] > 0:
            self._in_flight[who] -= 1

    async def add_tokens(self, who: str, limits: Limits, tokens: int) -> None:
        if limits.tokens_per_minute is not None:
            window, _ = window_of(self._clock())
            self._tokens[(who, window)] += tokens

    def _forget_before(self, window: int) -> None:
        for counts in (self._requests, self._tokens):
            if len(counts) > 1024:
                for key in [key for key in counts if key[1] < window]:
                    del counts[key]
