"""Build access control at start-up: key store, optional OIDC, rate limiter."""

from __future__ import annotations

from typing import TYPE_CHECKING

import httpx
import structlog

from .authenticator import Authenticator
from .key_store import KeyStore
from .oidc import OidcVerifier
from .rate_limit import MemoryRateLimiter, RateLimiter
from .rate_limit_redis import RedisRateLimiter

if TYPE_CHECKING:
    from redis.asyncio import Redis
    from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

    from ..core.settings import Settings


class OidcConfigError(ValueError):
    pass


def oidc_verifier(settings: Settings, http: httpx.AsyncClient) -> OidcVerifier | None:
    values = (settings.oidc_issuer, settings.oidc_audience, settings.oidc_jwks_url)
    if not any(values):
        return None
    if not all(values):
        msg = "APP_OIDC_ISSUER, APP_OIDC_AUDIENCE and APP_OIDC_JWKS_URL are set together"
        raise OidcConfigError(msg)
    issuer, audience, jwks_url = (str(value) for value in values)
    return OidcVerifier(
        issuer=issuer,
        audience=audience,
        jwks_url=jwks_url,
        roles_claim=settings.oidc_roles_claim,
        cache_seconds=settings.oidc_jwks_cache_seconds,
        http=http,
    )


def start_auth(
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    redis: Redis | None,
    http: httpx.AsyncClient,
) -> Authenticator:
    limiter: RateLimiter = MemoryRateLimiter()
    if redis is not None:
        limiter = RedisRateLimiter(
            redis, settings.redis_key_prefix, fail_open=settings.rate_limit_fail_open
        )
    authenticator = Authenticator(
        keys=KeyStore(sessionmaker, settings.api_key_prefix, settings.auth_cache_seconds),
        oidc=oidc_verifier(settings, http),
        limiter=limiter,
        anonymous_loopback=settings.effective_anonymous_loopback,
    )
    if authenticator.anonymous_loopback:
        structlog.get_logger("auth").warning(
            "anonymous_loopback_enabled",
            detail="loopback clients call without a credential; never in staging or production",
        )
    return authenticator
