"""The request dependencies of access control: `require(Permission.X)` and `CurrentKey`.

@router.post("/things", dependencies=[require(Permission.RUN_TASKS)])
async def make(principal: CurrentKey) -> Thing: ...
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Request

from .authenticator import API_KEY_HEADER, Authenticator
from .errors import AuthenticationError
from .principal import Principal
from .rate_limit import RateLimiterUnavailableError, RateLimitExceededError, has_limits
from .roles import Permission


def get_authenticator(request: Request) -> Authenticator:
    authenticator: Authenticator = request.state.auth
    return authenticator


def unauthorized(request: Request, error: AuthenticationError) -> HTTPException:
    challenge = f'Bearer realm="{request.app.title}"'
    if error.presented:
        challenge += ', error="invalid_token"'
    return HTTPException(401, error.message, headers={"WWW-Authenticate": challenge})


async def identify(request: Request) -> Principal:
    return await get_authenticator(request).principal(
        request.headers.get("authorization"),
        request.headers.get(API_KEY_HEADER),
        request.client.host if request.client else None,
    )


async def authenticate(request: Request) -> Principal:
    """The caller, or a 401 problem. FastAPI runs it once per request, however many use it."""
    try:
        return await identify(request)
    except AuthenticationError as error:
        raise unauthorized(request, error) from None


async def optional_principal(request: Request) -> Principal | None:
    """The caller when one is identified; None for no credential (a wrong one is still 401)."""
    try:
        return await identify(request)
    except AuthenticationError as error:
        if not error.presented:
            return None
        raise unauthorized(request, error) from None


CurrentKey = Annotated[Principal, Depends(authenticate)]


def forbidden(message: str) -> HTTPException:
    return HTTPException(403, message)


def require(permission: Permission) -> Any:
    """A dependency that lets through only callers whose role grants `permission`, within
    their rate limits (429 with Retry-After and RateLimit headers when over)."""

    async def dependency(request: Request, principal: CurrentKey) -> AsyncIterator[Principal]:
        if not principal.can(permission):
            raise forbidden(f"Role {principal.role.value!r} lacks permission {permission.value!r}.")
        if not has_limits(principal.limits):
            yield principal
            return
        limiter = get_authenticator(request).limiter
        try:
            await limiter.acquire(principal.actor, principal.limits)
        except RateLimitExceededError as exceeded:
            detail = f"Rate limit {exceeded.limit} of {exceeded.quota} reached; retry later."
            raise HTTPException(429, detail, headers=exceeded.headers()) from None
        except RateLimiterUnavailableError:
            raise HTTPException(503, "The rate limiter is unavailable.") from None
        try:
            yield principal
        finally:
            await limiter.release(principal.actor, principal.limits)

    return Depends(dependency)
