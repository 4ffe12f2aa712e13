"""The model configuration checks that `serve` and `check-config` share, so they agree."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..core.settings import AppEnv, Settings
from .config import LoadedModelsConfig, ModelConfigError, load_models_config
from .pricing import PriceTable, load_price_table

KEYED_PROVIDERS = {"openai", "anthropic"}


@dataclass(frozen=True)
class CheckedModels:
    models: LoadedModelsConfig
    prices: PriceTable
    missing_keys: list[str]  # Variables unset outside production (refused in production).


def check_model_setup(settings: Settings, required_aliases: Iterable[str] = ()) -> CheckedModels:
    """Load and check the models and prices files against the settings and the tasks' aliases;
    raises `ModelConfigError` naming the file, field or variable."""
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
    return CheckedModels(models=models, prices=prices, missing_keys=missing)
