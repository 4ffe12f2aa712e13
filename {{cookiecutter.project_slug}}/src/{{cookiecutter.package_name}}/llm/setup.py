"""Build the model gateway from settings at start-up, refusing a configuration that cannot work."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import structlog

from ..core.settings import Settings
from .accounting import InferenceRecorder, SpendLedger
from .gateway import ModelGateway
from .preflight import check_model_setup
from .providers import build_client

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker


async def start_gateway(
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession] | None,
    required_aliases: Iterable[str] = (),
) -> ModelGateway:
    """Load and check the models and prices files, build one client per deployment, start
    recording; `stop_gateway` closes it all at shutdown.

    `required_aliases` are the aliases the code calls (the tasks'): each must be configured.
    """
    log = structlog.get_logger("llm")
    checked = check_model_setup(settings, required_aliases)
    models, prices = checked.models, checked.prices
    if checked.missing_keys:
        log.warning("model_api_key_missing", variables=checked.missing_keys)
    api_keys = {"openai": settings.openai_api_key, "anthropic": settings.anthropic_api_key}
    clients = {
        name: build_client(deployment, api_keys)
        for name, deployment in models.config.deployments.items()
    }
    recorder = InferenceRecorder(
        sessionmaker, SpendLedger(), dead_letter_file=settings.inference_dead_letter_file
    )
    await recorder.start()
    log.info(
        "model_config_loaded",
        path=models.path,
        version=models.config.version,
        sha256=models.sha256,
        prices_version=prices.version,
        providers_by_alias=models.config.providers(),
    )
    return ModelGateway(models, prices, clients, recorder)


async def stop_gateway(gateway: ModelGateway) -> None:
    await gateway.aclose()
    await gateway.recorder.aclose()
