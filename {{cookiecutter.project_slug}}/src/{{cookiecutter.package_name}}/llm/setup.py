"""Build the model gateway from settings at start-up, refusing a configuration that cannot work."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import structlog

from ..core.settings import AppEnv, Settings
from .accounting import InferenceRecorder, SpendLedger
from .config import ModelConfigError, load_models_config
from .gateway import ModelGateway
from .keys import deployment_keys
from .pricing import load_price_table
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
    models = load_models_config(settings.models_file)
    prices = load_price_table(settings.prices_file)
    prices.check_covers(models.config)
    unknown = sorted(set(required_aliases) - set(models.config.aliases))
    if unknown:
        msg = f"{settings.models_file}: no alias {', '.join(unknown)}, which tasks use"
        raise ModelConfigError(msg)
    api_keys, missing = deployment_keys(settings, models.config.deployments)
    if missing and settings.env is AppEnv.PRODUCTION:
        msg = f"{', '.join(missing)} missing: {settings.models_file} uses that provider"
        raise ModelConfigError(msg)
    if missing:
        log.warning("model_api_key_missing", variables=missing)
    clients = {
        name: build_client(deployment, api_keys[name])
        for name, deployment in models.config.deployments.items()
    }
    recorder = InferenceRecorder(sessionmaker, SpendLedger())
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
