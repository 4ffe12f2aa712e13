"""The application factory: wiring only, no work at import time.

A task request reads top to bottom: core/middleware (request id, access log, body limit) ->
tasks/router.py (the task's typed route) -> dependencies.py (the gateway) -> tasks/task.py
(`Task.run`) -> llm/gateway.py (retries, fallbacks, validation) -> llm/providers/ ->
llm/accounting.py (an `inference_records` row per attempt).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, AsyncExitStack, asynccontextmanager

import structlog
from fastapi import FastAPI
from sqlalchemy.engine import make_url

from . import __version__, health, tasks
from .core.database import create_engine, create_sessionmaker
from .core.errors import install_error_handlers
from .core.logging import configure_logging
from .core.middleware import install_middleware
from .core.openapi import install_problem_schema
from .core.settings import Settings, load_settings
from .dependencies import AppResources, LifespanState
from .health.checks import database_checks
from .health.model_gateway import model_gateway_check
from .llm.setup import start_gateway, stop_gateway
from .tasks.errors import install_model_error_handler
from .tasks.registry import task_registry

Lifespan = Callable[[FastAPI], AbstractAsyncContextManager[LifespanState]]


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
    install_problem_schema(app)
    app.include_router(tasks.build_router(task_registry()))
    app.include_router(health.router)
    return app


def build_lifespan(settings: Settings) -> Lifespan:
    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[LifespanState]:
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
                gateway=gateway,
                readiness_checks={
                    **database_checks(engine),
                    "models": model_gateway_check(gateway),
                },
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
