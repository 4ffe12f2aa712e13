"""The application factory: wiring only, no work at import time."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, AsyncExitStack, asynccontextmanager
from typing import Any

import structlog
from fastapi import FastAPI
from sqlalchemy.engine import make_url

from . import __version__, health, tasks
from .core.database import create_engine, create_sessionmaker
from .core.errors import install_error_handlers
from .core.logging import configure_logging
from .core.middleware import install_middleware
from .core.resources import AppResources
from .core.settings import Settings, load_settings
from .health.checks import readiness_checks
from .llm.readiness import inference_recorder_check, model_gateway_check
from .llm.setup import start_gateway, stop_gateway
from .tasks.errors import install_model_error_handler
from .tasks.registry import task_registry

Lifespan = Callable[[FastAPI], AbstractAsyncContextManager[dict[str, Any]]]


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or load_settings()
    configure_logging(settings)
    docs = settings.effective_docs_enabled
    app = FastAPI(
        title=settings.service_name,
        version=__version__,
        lifespan=build_lifespan(settings),
        docs_url="/docs" if docs else None,
        redoc_url=None,
        openapi_url="/openapi.json" if docs else None,
    )
    install_error_handlers(app)
    install_model_error_handler(app)
    install_middleware(app, settings)
    app.include_router(tasks.router)
    app.include_router(health.router)
    return app


def build_lifespan(settings: Settings) -> Lifespan:
    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[dict[str, Any]]:
        log = structlog.get_logger("lifespan")
        async with AsyncExitStack() as stack:
            engine = create_engine(settings)
            stack.push_async_callback(engine.dispose)
            sessionmaker = create_sessionmaker(engine)
            gateway = await start_gateway(settings, sessionmaker, task_registry().aliases())
            stack.push_async_callback(stop_gateway, gateway)
            resources = AppResources(
                settings=settings,
                engine=engine,
                sessionmaker=sessionmaker,
                readiness_checks={
                    **readiness_checks(engine),
                    "models": model_gateway_check(gateway),
                    "inference_records": inference_recorder_check(gateway),
                },
                gateway=gateway,
            )
            database = make_url(settings.database_url.get_secret_value())
            log.info(
                "service_started",
                service=settings.service_name,
                version=__version__,
                env=settings.env.value,
                database=database.render_as_string(hide_password=True),
            )
            yield {"resources": resources}
        log.info("service_stopped")

    return lifespan
