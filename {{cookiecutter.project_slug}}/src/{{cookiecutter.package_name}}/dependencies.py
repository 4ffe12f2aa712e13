"""The request dependencies: what the lifespan made, handed to routes as named types.

The lifespan yields `LifespanState`; Starlette copies it into each request's `request.state`,
and every dependency below reads it from there. A route names what it needs:

    async def run(body: Ticket, gateway: Gateway, session: Session) -> ...
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Annotated, TypedDict

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from .audit.trail import AuditTrail
from .auth.authenticator import Authenticator
from .auth.dependencies import CurrentKey, require
from .core.settings import Settings as ServiceSettings
from .llm.gateway import ModelGateway


@dataclass(frozen=True)
class AppResources:
    """What the lifespan builds once and every request shares."""

    settings: ServiceSettings
    engine: AsyncEngine
    sessionmaker: async_sessionmaker[AsyncSession]
    gateway: ModelGateway
    # Named async checks that raise when not ready (health/checks.py runs them).
    readiness_checks: Mapping[str, Callable[[], Awaitable[str | None]]]


class LifespanState(TypedDict):
    resources: AppResources
    auth: Authenticator  # Read by auth/dependencies.py: require(), CurrentKey.
    audit: AuditTrail


__all__ = ["CurrentKey", "require"]  # Access control, re-exported beside the other dependencies.


def resources_of(request: Request) -> AppResources:
    resources: AppResources = request.state.resources
    return resources


# Every dependency is `async def`, though most await nothing: FastAPI runs a plain `def`
# dependency in a worker thread, a thread hand-off on every request. Each reads the request
# itself rather than depending on `get_resources`: one dependency to solve, not two.
async def get_resources(request: Request) -> AppResources:
    return resources_of(request)


Resources = Annotated[AppResources, Depends(get_resources)]


async def get_settings(request: Request) -> ServiceSettings:
    return resources_of(request).settings


Settings = Annotated[ServiceSettings, Depends(get_settings)]


async def get_gateway(request: Request) -> ModelGateway:
    return resources_of(request).gateway


Gateway = Annotated[ModelGateway, Depends(get_gateway)]


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    """One session per request: committed on success, rolled back on any error.

    Used with scope="function", so the commit happens before the response is sent and a
    failed commit becomes an error response instead of a success the database never saw.
    """
    async with resources_of(request).sessionmaker() as session:
        try:
            yield session
        except BaseException:
            await session.rollback()
            raise
        else:
            await session.commit()


Session = Annotated[AsyncSession, Depends(get_session, scope="function")]


async def get_audit(request: Request) -> AuditTrail:
    trail: AuditTrail = request.state.audit
    return trail


Audit = Annotated[AuditTrail, Depends(get_audit)]
