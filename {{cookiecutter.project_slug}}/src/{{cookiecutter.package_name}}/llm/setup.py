"""Build the model gateway from settings, refusing a configuration that cannot work.

The one builder for the service (`start_gateway`, at start-up) and the evals (which swap the
clients by mode): both read, check and price the same files the same way.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import structlog
from pydantic import SecretStr

from ..core.settings import AppEnv, Settings
from .accounting import InferenceRecorder
from .accounting import SpendLedger as RecordedSpend
from .client import ModelClient
from .config import LoadedModelsConfig, ModelConfigError, load_models_config
from .gateway import ModelGateway
from .keys import deployment_keys
from .ledger import MemorySpendLedger, SpendLedger
from .ledger_database import DatabaseSpendLedger
from .ledger_redis import RedisSpendLedger
from .model_policy import policy_problems
from .pricing import PriceTable, load_price_table
from .providers import build_client

if TYPE_CHECKING:
    from redis.asyncio import Redis
    from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker


@dataclass(frozen=True)
class ModelSetup:
    """The checked models and prices files, each deployment's key (llm/keys.py), and the key
    settings the deployments name but that are unset."""

    models: LoadedModelsConfig
    prices: PriceTable
    api_keys: Mapping[str, SecretStr | None]
    missing_keys: list[str]

    def provider_clients(self) -> dict[str, ModelClient]:
        """One client per deployment, for the provider it names."""
        return {
            name: build_client(deployment, self.api_keys[name])
            for name, deployment in self.models.config.deployments.items()
        }

    def gateway(
        self,
        clients: Mapping[str, ModelClient],
        recorder: InferenceRecorder,
        ledger: SpendLedger | None = None,
    ) -> ModelGateway:
        return ModelGateway(self.models, self.prices, clients, recorder, ledger=ledger)


def load_model_setup(
    settings: Settings, required_aliases: Iterable[str] = (), needed_by: str = "tasks use"
) -> ModelSetup:
    """Raises `ModelConfigError` naming the file and field; `required_aliases` are the aliases
    the code calls (the tasks', a suite's), and each must be configured."""
    models = load_models_config(settings.models_file)
    prices = load_price_table(settings.prices_file)
    prices.check_covers(models.config)
    unknown = sorted(set(required_aliases) - set(models.config.aliases))
    if unknown:
        msg = f"{settings.models_file}: no alias {', '.join(unknown)}, which {needed_by}"
        raise ModelConfigError(msg)
    api_keys, missing = deployment_keys(settings, models.config.deployments)
    return ModelSetup(models, prices, api_keys, missing)


def check_model_setup(settings: Settings, required_aliases: Iterable[str] = ()) -> ModelSetup:
    """What `serve` checks before it starts: the files, the tasks' aliases, and in production
    every key the configured providers need (elsewhere a missing key is only logged)."""
    setup = load_model_setup(settings, required_aliases)
    # The offline fake, or a model id that can change under us: never in production.
    refused = policy_problems(setup.models.config)
    if refused and settings.env is AppEnv.PRODUCTION:
        reasons = "; ".join(refused)
        msg = f"{settings.models_file}: {reasons} (refused because APP_ENV=production)"
        raise ModelConfigError(msg)
    if setup.missing_keys and settings.env is AppEnv.PRODUCTION:
        msg = f"{', '.join(setup.missing_keys)} missing: {settings.models_file} uses that provider"
        raise ModelConfigError(msg)
    return setup


async def start_gateway(
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession] | None,
    required_aliases: Iterable[str] = (),
    *,
    redis: Redis | None = None,
) -> ModelGateway:
    """The service's gateway, recording every attempt; `stop_gateway` closes it at shutdown."""
    log = structlog.get_logger("llm")
    setup = check_model_setup(settings, required_aliases)
    if setup.missing_keys:
        log.warning("model_api_key_missing", variables=setup.missing_keys)
    if problems := policy_problems(setup.models.config):
        log.warning("model_config_not_for_production", problems=problems)
    recorder = InferenceRecorder(
        sessionmaker, RecordedSpend(), dead_letter_file=settings.inference_dead_letter_file
    )
    await recorder.start()
    ledger: SpendLedger = MemorySpendLedger()
    if redis is not None:
        scopes = ["global", *(f"alias:{alias}" for alias in setup.models.config.aliases)]
        ledger = RedisSpendLedger(redis, settings.redis_key_prefix, sessionmaker, scopes)
        ledger.start()
    elif sessionmaker is not None:
        ledger = DatabaseSpendLedger(sessionmaker)
    log.info(
        "model_config_loaded",
        path=setup.models.path,
        version=setup.models.config.version,
        sha256=setup.models.sha256,
        prices_version=setup.prices.version,
        providers_by_alias=setup.models.config.providers(),
    )
    return setup.gateway(setup.provider_clients(), recorder, ledger)


async def stop_gateway(gateway: ModelGateway) -> None:
    await gateway.aclose()
    await gateway.recorder.aclose()
    if isinstance(gateway.budget.ledger, RedisSpendLedger):
        await gateway.budget.ledger.aclose()
