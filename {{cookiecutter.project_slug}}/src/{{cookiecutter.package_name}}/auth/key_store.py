"""Look up a presented API key: cached briefly, compared in constant time, `last_used_at`
written at most once a minute per key and process, never once per request."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

import structlog
from sqlalchemy import update

from .errors import AuthenticationError
from .key_format import parse_key, same_digest
from .models import ApiKey
from .principal import Limits, Principal
from .roles import Role

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

LAST_USED_RESOLUTION = timedelta(minutes=1)
MAX_CACHED_KEYS = 10_000


@dataclass
class CachedKey:
    fetched: float
    row: ApiKey | None
    principal: Principal | None
    last_used_at: datetime | None


def principal_of(row: ApiKey) -> Principal:
    return Principal(
        actor=f"key:{row.key_id}",
        role=Role(row.role),
        tasks=frozenset(row.tasks) if row.tasks is not None else None,
        limits=Limits(
            requests_per_minute=row.requests_per_minute,
            tokens_per_minute=row.tokens_per_minute,
            concurrent_requests=row.concurrent_requests,
            daily_budget_usd=row.daily_budget_usd,
        ),
    )


def as_utc(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes; the service stores UTC only.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class KeyStore:
    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        prefix: str,
        cache_seconds: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._sessionmaker = sessionmaker
        self._prefix = prefix
        self._cache_seconds = cache_seconds
        self._clock = clock
        self._cache: dict[str, CachedKey] = {}
        self._writes: set[asyncio.Task[None]] = set()
        self._log = structlog.get_logger("auth")

    def is_key(self, credential: str) -> bool:
        return credential.startswith(self._prefix + "_")

    def forget(self, key_id: str) -> None:
        """Drop a cached key at once, e.g. after revoking it in this process."""
        self._cache.pop(key_id, None)

    async def principal(self, credential: str) -> Principal:
        parsed = parse_key(self._prefix, credential)
        if parsed is None:
            raise AuthenticationError("The API key is malformed or not one of this service's.")
        cached = await self._cached(parsed.key_id)
        row = cached.row
        if row is None or cached.principal is None or not same_digest(row.digest, parsed.digest):
            raise AuthenticationError("The API key is unknown.")
        now = datetime.now(UTC)
        if row.revoked_at is not None:
            raise AuthenticationError("The API key is revoked.")
        if row.expires_at is not None and as_utc(row.expires_at) <= now:
            raise AuthenticationError("The API key has expired.")
        self._touch(row.key_id, cached, now)
        return cached.principal

    async def _cached(self, key_id: str) -> CachedKey:
        cached = self._cache.get(key_id)
        if cached is not None and self._clock() - cached.fetched < self._cache_seconds:
            return cached
        async with self._sessionmaker() as session:
            row = await session.get(ApiKey, key_id)
        cached = CachedKey(
            fetched=self._clock(),
            row=row,
            principal=principal_of(row) if row is not None else None,
            last_used_at=as_utc(row.last_used_at) if row and row.last_used_at else None,
        )
        if len(self._cache) >= MAX_CACHED_KEYS:
            self._cache.clear()
        self._cache[key_id] = cached
        return cached

    def _touch(self, key_id: str, cached: CachedKey, now: datetime) -> None:
        if cached.last_used_at is not None and now - cached.last_used_at < LAST_USED_RESOLUTION:
            return
        cached.last_used_at = now
        task = asyncio.create_task(self._write_last_used(key_id, now))
        self._writes.add(task)
        task.add_done_callback(self._writes.discard)

    async def _write_last_used(self, key_id: str, now: datetime) -> None:
        try:
            async with self._sessionmaker() as session, session.begin():
                await session.execute(
                    update(ApiKey).where(ApiKey.key_id == key_id).values(last_used_at=now)
                )
        except Exception:  # Best effort: a lost timestamp is no reason to fail a request.
            self._log.warning("api_key_last_used_not_written", key_id=key_id, exc_info=True)

    async def aclose(self) -> None:
        if self._writes:
            await asyncio.gather(*self._writes, return_exceptions=True)
