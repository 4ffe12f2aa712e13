"""Create, list, revoke and rotate API keys. The caller's transaction commits the change."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import select

from .key_format import new_key
from .models import ApiKey
from .roles import Role

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession


class KeyNotFoundError(LookupError):
    pass


@dataclass(frozen=True)
class KeySpec:
    name: str
    role: Role
    tasks: tuple[str, ...] | None = None
    requests_per_minute: int | None = None
    tokens_per_minute: int | None = None
    concurrent_requests: int | None = None
    daily_budget_usd: Decimal | None = None
    expires_in: timedelta | None = None


def utc_now() -> datetime:
    return datetime.now(UTC)


async def create_key(
    session: AsyncSession, spec: KeySpec, *, prefix: str, created_by: str
) -> tuple[str, ApiKey]:
    """The new key (show it once, never store it) and its row."""
    key, parsed = new_key(prefix)
    now = utc_now()
    row = ApiKey(
        key_id=parsed.key_id,
        digest=parsed.digest,
        name=spec.name,
        role=spec.role.value,
        tasks=sorted(spec.tasks) if spec.tasks is not None else None,
        requests_per_minute=spec.requests_per_minute,
        tokens_per_minute=spec.tokens_per_minute,
        concurrent_requests=spec.concurrent_requests,
        daily_budget_usd=spec.daily_budget_usd,
        created_at=now,
        created_by=created_by,
        expires_at=now + spec.expires_in if spec.expires_in is not None else None,
    )
    session.add(row)
    await session.flush()
    return key, row


async def list_keys(session: AsyncSession, *, include_revoked: bool = False) -> list[ApiKey]:
    query = select(ApiKey).order_by(ApiKey.created_at, ApiKey.key_id)
    if not include_revoked:
        query = query.where(ApiKey.revoked_at.is_(None))
    return list((await session.scalars(query)).all())


async def get_key(session: AsyncSession, key_id: str) -> ApiKey:
    row = await session.get(ApiKey, key_id)
    if row is None:
        msg = f"no API key {key_id!r}"
        raise KeyNotFoundError(msg)
    return row


async def revoke_key(session: AsyncSession, key_id: str) -> ApiKey:
    row = await get_key(session, key_id)
    if row.revoked_at is None:
        row.revoked_at = utc_now()
    return row


async def rotate_key(
    session: AsyncSession,
    key_id: str,
    *,
    prefix: str,
    created_by: str,
    grace: timedelta = timedelta(0),
) -> tuple[str, ApiKey]:
    """A new key with the old one's role and limits; the old one expires after `grace`."""
    old = await get_key(session, key_id)
    if old.revoked_at is not None:
        msg = f"API key {key_id!r} is revoked; create a new one"
        raise KeyNotFoundError(msg)
    spec = KeySpec(
        name=old.name,
        role=Role(old.role),
        tasks=tuple(old.tasks) if old.tasks is not None else None,
        requests_per_minute=old.requests_per_minute,
        tokens_per_minute=old.tokens_per_minute,
        concurrent_requests=old.concurrent_requests,
        daily_budget_usd=old.daily_budget_usd,
    )
    key, new = await create_key(session, spec, prefix=prefix, created_by=created_by)
    new.expires_at = old.expires_at
    old.replaced_by = new.key_id
    if grace:
        old.expires_at = min(utc_now() + grace, old.expires_at or utc_now() + grace)
    else:
        old.revoked_at = utc_now()
    return key, new
