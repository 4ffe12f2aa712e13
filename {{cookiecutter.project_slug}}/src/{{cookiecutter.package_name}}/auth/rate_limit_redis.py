"""The Redis rate limiter: one Lua script checks and counts atomically, for every process."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from redis.exceptions import RedisError

from .principal import Limits
from .rate_limit import (
    WINDOW_SECONDS,
    RateLimiterUnavailableError,
    RateLimitExceededError,
    window_of,
)

if TYPE_CHECKING:
    from redis.asyncio import Redis

# KEYS: requests, tokens, in flight. ARGV: rpm, tpm, concurrent limits (-1: none), window ttl.
ACQUIRE = """
local rpm, tpm, conc, ttl = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4]
local requests = tonumber(redis.call('GET', KEYS[1]) or '0')
if rpm >= 0 and requests >= rpm then return 1 end
if tpm >= 0 and tonumber(redis.call('GET', KEYS[2]) or '0') >= tpm then return 2 end
if conc >= 0 then
  if tonumber(redis.call('GET', KEYS[3]) or '0') >= conc then return 3 end
  redis.call('INCR', KEYS[3])
  redis.call('EXPIRE', KEYS[3], 600)
end
redis.call('INCR', KEYS[1])
redis.call('EXPIRE', KEYS[1], ttl)
return 0
"""
RELEASE = """
if tonumber(redis.call('GET', KEYS[1]) or '0') > 0 then redis.call('DECR', KEYS[1]) end
return 0
"""
LIMIT_NAMES = {1: "rpm", 2: "tpm", 3: "concurrent"}


def quota(value: int | None) -> int:
    return -1 if value is None else value


class RedisRateLimiter:
    def __init__(
        self,
        redis: Redis,
        prefix: str,
        *,
        fail_open: bool,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._redis = redis
        self._prefix = f"{prefix}:ratelimit"
        self._fail_open = fail_open
        self._clock = clock
        self._acquire = redis.register_script(ACQUIRE)
        self._release = redis.register_script(RELEASE)

    def _keys(self, who: str, window: int) -> list[str]:
        # A hash tag ({...}) keeps one key's counters on one Redis Cluster node.
        base = self._prefix + ":{" + who + "}"
        return [f"{base}:req:{window}", f"{base}:tok:{window}", f"{base}:inflight"]

    async def acquire(self, who: str, limits: Limits) -> None:
        window, retry_after = window_of(self._clock())
        args: list[Any] = [
            quota(limits.requests_per_minute),
            quota(limits.tokens_per_minute),
            quota(limits.concurrent_requests),
            WINDOW_SECONDS * 2,
        ]
        try:
            verdict = int(await self._acquire(keys=self._keys(who, window), args=args))
        except RedisError as error:
            if self._fail_open:
                return
            raise RateLimiterUnavailableError(type(error).__name__) from None
        if verdict == 1:
            raise RateLimitExceededError("rpm", args[0], retry_after)
        if verdict == 2:
            raise RateLimitExceededError("tpm", args[1], retry_after)
        if verdict == 3:
            raise RateLimitExceededError("concurrent", args[2], 1)

    async def release(self, who: str, limits: Limits) -> None:
        if limits.concurrent_requests is None:
            return
        window, _ = window_of(self._clock())
        with contextlib.suppress(RedisError):  # The in-flight count expires on its own.
            await self._release(keys=self._keys(who, window)[2:])

    async def add_tokens(self, who: str, limits: Limits, tokens: int) -> None:
        if limits.tokens_per_minute is None or tokens <= 0:
            return
        window, _ = window_of(self._clock())
        key = self._keys(who, window)[1]
        try:
            async with self._redis.pipeline(transaction=True) as pipe:
                pipe.incrby(key, tokens)
                pipe.expire(key, WINDOW_SECONDS * 2)
                await pipe.execute()
        except RedisError:
            pass  # Counted as zero: the request limits are best effort when Redis is down.
