"""Per-key limits: requests and tokens per minute, requests in flight; memory and Redis."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import pytest
from pydantic import SecretStr
from redis.asyncio import Redis

from {{ cookiecutter.package_name }}.app import create_app
from {{ cookiecutter.package_name }}.auth.keys import KeySpec, create_key
from {{ cookiecutter.package_name }}.auth.principal import Limits
from {{ cookiecutter.package_name }}.auth.rate_limit import (
    MemoryRateLimiter,
    RateLimiter,
    RateLimiterUnavailableError,
    RateLimitExceededError,
)
from {{ cookiecutter.package_name }}.auth.rate_limit_redis import RedisRateLimiter
from {{ cookiecutter.package_name }}.auth.roles import Role
from {{ cookiecutter.package_name }}.core.database import create_engine, create_sessionmaker
from {{ cookiecutter.package_name }}.core.settings import Settings

from ..factories import LogOutput, lifespan_client
from .conftest import bearer

REDIS_URL = "redis://127.0.0.1:6379/0"
DOWN_REDIS_URL = "redis://127.0.0.1:1/0"  # Nothing listens on port 1.


class FixedClock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


async def redis_or_skip() -> Redis:
    redis = Redis.from_url(REDIS_URL, socket_connect_timeout=0.5)
    try:
        await redis.ping()
    except Exception:
        await redis.aclose()
        pytest.skip("no Redis on 127.0.0.1:6379")
    return redis


@pytest.fixture(params=["memory", "redis"])
async def limiter_and_clock(
    request: pytest.FixtureRequest,
) -> AsyncIterator[tuple[RateLimiter, FixedClock]]:
    clock = FixedClock(6_000_030.0)  # 30 s into a minute.
    if request.param == "memory":
        yield MemoryRateLimiter(clock), clock
        return
    redis = await redis_or_skip()
    prefix = f"test-{uuid.uuid4().hex}"
    yield RedisRateLimiter(redis, prefix, fail_open=False, clock=clock), clock
    keys = [key async for key in redis.scan_iter(f"{prefix}:*")]
    if keys:
        await redis.delete(*keys)
    await redis.aclose()


async def test_requests_per_minute(limiter_and_clock: tuple[RateLimiter, FixedClock]) -> None:
    limiter, clock = limiter_and_clock
    limits = Limits(requests_per_minute=2)
    await limiter.acquire("k", limits)
    await limiter.acquire("k", limits)
    with pytest.raises(RateLimitExceededError) as exceeded:
        await limiter.acquire("k", limits)
    assert (exceeded.value.limit, exceeded.value.retry_after) == ("rpm", 30)
    await limiter.acquire("other", limits)  # Per key.
    clock.now += 30  # The next minute.
    await limiter.acquire("k", limits)


async def test_tokens_per_minute(limiter_and_clock: tuple[RateLimiter, FixedClock]) -> None:
    limiter, _ = limiter_and_clock
    limits = Limits(tokens_per_minute=100)
    await limiter.acquire("k", limits)
    await limiter.add_tokens("k", limits, 100)
    with pytest.raises(RateLimitExceededError, match="tpm"):
        await limiter.acquire("k", limits)


async def test_requests_in_flight(limiter_and_clock: tuple[RateLimiter, FixedClock]) -> None:
    limiter, _ = limiter_and_clock
    limits = Limits(concurrent_requests=1)
    await limiter.acquire("k", limits)
    with pytest.raises(RateLimitExceededError, match="concurrent"):
        await limiter.acquire("k", limits)
    await limiter.release("k", limits)
    await limiter.acquire("k", limits)


async def test_redis_down_fails_closed_or_open_as_configured() -> None:
    redis = Redis.from_url(DOWN_REDIS_URL, socket_connect_timeout=0.2)
    try:
        closed = RedisRateLimiter(redis, "x", fail_open=False)
        with pytest.raises(RateLimiterUnavailableError):
            await closed.acquire("k", Limits(requests_per_minute=1))
        await RedisRateLimiter(redis, "x", fail_open=True).acquire(
            "k", Limits(requests_per_minute=1)
        )
    finally:
        await redis.aclose()


async def limited_key(settings: Settings, **limits: int) -> str:
    engine = create_engine(settings)
    try:
        async with create_sessionmaker(engine)() as session, session.begin():
            key, _ = await create_key(
                session,
                KeySpec(name="limited", role=Role.CALLER, **limits),  # type: ignore[arg-type]
                prefix=settings.api_key_prefix,
                created_by="test",
            )
    finally:
        await engine.dispose()
    return key


@pytest.mark.parametrize("backend", ["memory", "redis"])
async def test_over_the_limit_is_a_429_problem_with_ratelimit_headers(
    secured_settings: Settings, log_output: LogOutput, backend: str
) -> None:
    settings = secured_settings
    if backend == "redis":
        await (await redis_or_skip()).aclose()
        settings = settings.model_copy(
            update={
                "redis_url": SecretStr(REDIS_URL),
                "redis_key_prefix": f"test-{uuid.uuid4().hex}",
            }
        )
    key = await limited_key(settings, requests_per_minute=2)
    async with lifespan_client(create_app(settings)) as client:
        statuses = [(await client.get("/v1/tasks", headers=bearer(key))) for _ in range(3)]
        ready = await client.get("/health/ready", headers=bearer(key))
    assert [r.status_code for r in statuses] == [200, 200, 429]
    refused = statuses[2]
    assert refused.headers["content-type"] == "application/problem+json"
    assert 1 <= int(refused.headers["retry-after"]) <= 60
    assert refused.headers["ratelimit-policy"] == '"rpm";q=2;w=60'
    assert refused.headers["ratelimit"].startswith('"rpm";r=0;t=')
    assert ("redis" in ready.json()["checks"]) is (backend == "redis")


async def test_redis_down_makes_limited_keys_wait_and_readiness_fail(
    secured_settings: Settings, log_output: LogOutput
) -> None:
    settings = secured_settings.model_copy(update={"redis_url": SecretStr(DOWN_REDIS_URL)})
    key = await limited_key(settings, requests_per_minute=5)
    async with lifespan_client(create_app(settings)) as client:
        limited = await client.get("/v1/tasks", headers=bearer(key))
        ready = await client.get("/health/ready", headers=bearer(key))
    assert limited.status_code == 503
    assert ready.status_code == 503
    assert ready.json()["checks"]["redis"]["status"] == "fail"
