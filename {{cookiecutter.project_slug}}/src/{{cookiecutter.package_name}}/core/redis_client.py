"""The Redis connection (when `APP_REDIS_URL` is set): shared rate limits and spend ledger."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from redis.asyncio import Redis

if TYPE_CHECKING:
    from .settings import Settings

REDIS_TIMEOUT_SECONDS = 1.0


def create_redis(settings: Settings) -> Redis | None:
    if settings.redis_url is None:
        return None
    return Redis.from_url(
        settings.redis_url.get_secret_value(),
        socket_timeout=REDIS_TIMEOUT_SECONDS,
        socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
    )


def redis_check(redis: Redis) -> Callable[[], Awaitable[str | None]]:
    async def check() -> str | None:
        await redis.ping()
        return None

    return check
