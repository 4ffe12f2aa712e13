"""What the lifespan builds once and every request shares, as one typed object."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated

from fastapi import Depends, Request

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

    from ..llm.gateway import ModelGateway
    from .settings import Settings

# A readiness check returns an optional detail when healthy and raises when not.
ReadinessCheck = Callable[[], Awaitable[str | None]]


@dataclass(frozen=True)
class AppResources:
    settings: Settings
    engine: AsyncEngine
    sessionmaker: async_sessionmaker[AsyncSession]
    readiness_checks: dict[str, ReadinessCheck]
    gateway: ModelGateway


def resources_of(request: Request) -> AppResources:
    resources: AppResources = request.state.resources
    return resources


async def get_resources(request: Request) -> AppResources:
    # `async def`: FastAPI runs a plain `def` dependency in a worker thread, on every request.
    return resources_of(request)


Resources = Annotated[AppResources, Depends(get_resources)]
