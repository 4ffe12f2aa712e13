"""Build the model gateway from settings at start-up, refusing a configuration that cannot work."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import structlog

from ..core.settings import AppEnv, Settings
from .accounting import InferenceRecorder
from .accounting import SpendLedger as RecordedSpend
from .config import ModelConfigError, load_models_config
from .gateway import ModelGateway
from .ledger import MemorySpendLedger, SpendLedger
from .ledger_database import DatabaseSpendLedger
from .ledger_redis import RedisSpendLedger
from .pricing import load_price_table
from .providers import build_client

if TYPE_CHECKING:
    from redis.asyncio import Redis
    from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

KEYED_PROVIDERS = {"openai", "anthropic"}


async def start_gateway(
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession] | None,
    required_aliases: Iterable[str] = (),
    *,
    redis: Redis | None = None,
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
    api_keys = {"openai": settings.openai_api_key, "anthropic": settings.anthropic_api_key}
    used = {d.provider for d in models.config.deployments.values()} & KEYED_PROVIDERS
    missing = sorted(f"APP_{p.upper()}_API_KEY" for p in used if api_keys[p] is None)
    if missing and settings.env is AppEnv.PRODUCTION:
        msg = f"{', '.join(missing)} missing: {settings.models_file} uses that provider"
        raise ModelConfigError(msg)
    if missing:
        log.warning("model_api_key_missing", variables=missing)
    clients = {
        name: build_client(deployment, api_keys)
        for name, deployment in models.config.deployments.items()
    }
    recorder = InferenceRecorder(sessionmaker, RecordedSpend())
    await recorder.start()
    ledger: SpendLedger = MemorySpendLedger()
    if redis is not None:
        scopes = ["global", *(f"alias:{alias}" for alias in models.config.aliases)]
        ledger = RedisSpendLedger(redis, settings.redis_key_prefix, sessionmaker, scopes)
        ledger.start()
    elif sessionmaker is not None:
        ledger = DatabaseSpendLedger(sessionmaker)
    log.info(
        "model_config_loaded",
        path=models.path,
        version=models.config.version,
        sha256=models.sha256,
        prices_version=prices.version,
        providers_by_alias=models.config.providers(),
    )
    return ModelGateway(models, prices, clients, recorder, ledger=ledger)


async def stop_gateway(gateway: ModelGateway) -> None:
    await gateway.aclose()
    await gateway.recorder.aclose()
    if isinstance(gateway.budget.ledger, RedisSpendLedger):
        await gateway.budget.ledger.aclose()
