"""Token prices from the versioned `config/prices.toml`: cost is computed, never fetched."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from pydantic import Field, ValidationError

from ..core.frozen_model import FrozenModel
from .config import ModelConfigError, ModelsConfig, describe_validation_error, read_toml
from .types import Usage

PER_MILLION = Decimal(1_000_000)


class Price(FrozenModel):
    input_usd_per_million_tokens: Decimal = Field(ge=0)
    output_usd_per_million_tokens: Decimal = Field(ge=0)

    def cost(self, usage: Usage) -> Decimal:
        return (
            usage.input_tokens * self.input_usd_per_million_tokens
            + usage.output_tokens * self.output_usd_per_million_tokens
        ) / PER_MILLION


class PriceTable(FrozenModel):
    """Prices keyed by `provider/model`, the model id exactly as pinned in the models file."""

    version: str = Field(min_length=1)
    prices: dict[str, Price]

    def price_of(self, provider: str, model: str) -> Price:
        return self.prices[f"{provider}/{model}"]

    def check_covers(self, config: ModelsConfig) -> None:
        """Start-up refuses a deployment without a price: its spend would go uncounted."""
        missing = sorted(
            f"{name} ({deployment.provider}/{deployment.model})"
            for name, deployment in config.deployments.items()
            if f"{deployment.provider}/{deployment.model}" not in self.prices
        )
        if missing:
            msg = f"no price for deployment(s): {', '.join(missing)}"
            raise ModelConfigError(msg)


def load_price_table(path: Path) -> PriceTable:
    data, _raw = read_toml(path)
    try:
        return PriceTable.model_validate(data)
    except ValidationError as exc:
        raise ModelConfigError(describe_validation_error(path, exc)) from None
