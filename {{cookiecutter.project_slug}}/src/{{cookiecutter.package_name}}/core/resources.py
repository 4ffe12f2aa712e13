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


class DegradedError(Exception):
    """Raised by a readiness check that works but needs attention: reported, still ready."""


@dataclass(frozen=True)
class AppResources:
    settings: Settings
    engine: AsyncEngine
    sessionmaker: async_sessionmaker[AsyncSession]
    readiness_checks: dict[str, ReadinessCheck]
    gateway: ModelGateway


def get_resources(request: Request) -> AppResources:
    resources: AppResources = request.state.resources
    return resources


Resources = Annotated[AppResources, Depends(get_resources)]
