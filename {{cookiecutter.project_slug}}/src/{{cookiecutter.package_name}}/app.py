"""The application factory: wiring only, no work at import time.

A task request reads top to bottom: core/middleware (request id, access log, body limit) ->
tasks/router.py (the task's typed route) -> dependencies.py (the gateway) -> tasks/task.py
(`Task.run`) -> llm/gateway.py (retries, fallbacks, validation) -> llm/providers/ ->
llm/accounting.py (an `inference_records` row per attempt).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, AsyncExitStack, asynccontextmanager

import httpx
import structlog
from fastapi import FastAPI
from sqlalchemy.engine import make_url

from . import __version__, admin, health, tasks
from .audit.trail import AuditTrail
from .auth.setup import start_auth
from .core.database import create_engine, create_sessionmaker
from .core.errors import install_error_handlers
from .core.logging import configure_logging
from .core.middleware import install_middleware
from .core.openapi import install_problem_schema
from .core.redis_client import create_redis, redis_check
from .core.settings import Settings, load_settings
from .dependencies import AppResources, LifespanState
from .governance.startup import check_governance
from .health.checks import database_checks
from .health.model_gateway import inference_recorder_check, model_gateway_check
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
    app.include_router(admin.router)
    return app


def build_lifespan(settings: Settings) -> Lifespan:
    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[LifespanState]:
        log = structlog.get_logger("lifespan")
        async with AsyncExitStack() as stack:
            check_governance(settings, task_registry().names())
            engine = create_engine(settings)
            stack.push_async_callback(engine.dispose)
            sessionmaker = create_sessionmaker(engine)
            redis = create_redis(settings)
            if redis is not None:
                stack.push_async_callback(redis.aclose)
            http = await stack.enter_async_context(httpx.AsyncClient(timeout=5.0))
            authenticator = start_auth(settings, sessionmaker, redis, http)
            stack.push_async_callback(authenticator.keys.aclose)
            gateway = await start_gateway(
                settings, sessionmaker, task_registry().aliases(), redis=redis
            )
            stack.push_async_callback(stop_gateway, gateway)
            checks = {
                **database_checks(engine),
                "models": model_gateway_check(gateway),
                "inference_records": inference_recorder_check(gateway),
            }
            if redis is not None:
                checks["redis"] = redis_check(redis)
            resources = AppResources(
                settings=settings,
                engine=engine,
                sessionmaker=sessionmaker,
                gateway=gateway,
                readiness_checks=checks,
            )
            audit = AuditTrail(sessionmaker)
            try:
                await audit.record(
                    actor="service",
                    action="config.loaded",
                    target=str(settings.models_file),
                    details={"models_sha256": gateway.config_hash, "version": __version__},
                )
            except Exception:  # The database may be down at start; readiness reports it.
                log.error("audit_event_not_written", action="config.loaded", exc_info=True)
            database = make_url(settings.database_url.get_secret_value())
            log.info(
                "service_started",
                service=settings.service_name,
                version=__version__,
                env=settings.env.value,
                database=database.render_as_string(hide_password=True),
            )
            yield {"resources": resources, "auth": authenticator, "audit": audit}
        log.info("service_stopped")

    return lifespan
