"""The model configuration file: aliases pinned to deployments, with their call policies.

`config/models.toml` is versioned with the code, so rolling a model back is reverting that file.
Its SHA-256 is logged at start-up and shown by `/health/ready`.
"""

from __future__ import annotations

import hashlib
import tomllib
from pathlib import Path
from typing import Literal, Self

from pydantic import Field, ValidationError, model_validator

from ..core.frozen_model import FrozenModel
from ..core.validation_errors import describe_errors
from .errors import ErrorKind
from .types import GenerationParameters

ProviderName = Literal["fake", "openai", "anthropic"]
NO_KEY = "none"


class ModelConfigError(Exception):
    """The models or prices file is missing or invalid; the message names the file and field."""


class TimeoutPolicy(FrozenModel):
    connect_seconds: float = Field(default=5.0, gt=0)
    first_token_seconds: float = Field(default=30.0, gt=0)
    total_seconds: float = Field(default=60.0, gt=0)


class RetryPolicy(FrozenModel):
    max_attempts: int = Field(default=3, ge=1, le=10)
    base_delay_seconds: float = Field(default=0.5, ge=0)
    max_delay_seconds: float = Field(default=8.0, ge=0)
    # A Retry-After longer than this is not waited for: the gateway falls back instead.
    max_retry_after_seconds: float = Field(default=20.0, ge=0)


class CircuitBreakerPolicy(FrozenModel):
    failure_rate: float = Field(default=0.5, gt=0, le=1)
    window_seconds: float = Field(default=60.0, gt=0)
    minimum_calls: int = Field(default=10, ge=1)
    open_seconds: float = Field(default=30.0, gt=0)


class DeploymentConfig(FrozenModel):
    provider: ProviderName
    model: str = Field(min_length=1, description="The exact, pinned model id.")
    base_url: str | None = None
    # The setting that holds this deployment's key (llm/keys.py): unset, the provider's
    # APP_<PROVIDER>_API_KEY; "none" for a server that takes no key (a local vLLM, Ollama).
    api_key_setting: str | None = Field(default=None, pattern=rf"^({NO_KEY}|APP_[A-Z][A-Z0-9_]*)$")
    parameters: GenerationParameters = GenerationParameters()
    timeouts: TimeoutPolicy = TimeoutPolicy()
    retry: RetryPolicy = RetryPolicy()
    circuit_breaker: CircuitBreakerPolicy = CircuitBreakerPolicy()
    max_connections: int = Field(default=512, ge=1)
    # Why production may use a model id that can change (`-latest`, `preview`, undated).
    allow_moving_model: str | None = Field(default=None, min_length=1)
    # Provider-specific knobs, e.g. the fake provider's `latency_ms`.
    options: dict[str, str | int | float | bool] = Field(default_factory=dict)


DEFAULT_FALLBACK_ON = frozenset(
    {
        ErrorKind.RATE_LIMITED,
        ErrorKind.TIMEOUT,
        ErrorKind.UNAVAILABLE,
        ErrorKind.CIRCUIT_OPEN,
        ErrorKind.INVALID_OUTPUT,
    }
)


class AliasConfig(FrozenModel):
    # Who answers for this alias's models (a CODEOWNERS owner: @user, @org/team or an e-mail).
    owner: str | None = Field(default=None, min_length=1)
    deployments: tuple[str, ...] = Field(min_length=1, description="Tried in this order.")
    fallback_on: frozenset[ErrorKind] = DEFAULT_FALLBACK_ON
    repair_attempts: int = Field(default=1, ge=0, le=5)
    daily_budget_usd: float | None = Field(default=None, ge=0)
    # When the daily budget is spent: the alias to use instead, or None to reject calls.
    over_budget_alias: str | None = None


class ModelsConfig(FrozenModel):
    version: str = Field(min_length=1)
    daily_budget_usd: float | None = Field(default=None, ge=0)
    deployments: dict[str, DeploymentConfig]
    aliases: dict[str, AliasConfig] = Field(min_length=1)

    @model_validator(mode="after")
    def _references_resolve(self) -> Self:
        for name, alias in self.aliases.items():
            for deployment in alias.deployments:
                if deployment not in self.deployments:
                    msg = f"alias {name!r} names unknown deployment {deployment!r}"
                    raise ValueError(msg)
            if alias.over_budget_alias is not None:
                if alias.over_budget_alias not in self.aliases:
                    msg = f"alias {name!r}: unknown over_budget_alias {alias.over_budget_alias!r}"
                    raise ValueError(msg)
                if alias.over_budget_alias == name:
                    msg = f"alias {name!r}: over_budget_alias cannot be the alias itself"
                    raise ValueError(msg)
        return self

    def providers(self) -> dict[str, list[str]]:
        """Which providers each alias uses, in fallback order: for the start-up log."""
        return {
            name: [self.deployments[d].provider for d in alias.deployments]
            for name, alias in self.aliases.items()
        }


class LoadedModelsConfig(FrozenModel):
    config: ModelsConfig
    path: str
    sha256: str


def read_toml(path: Path) -> tuple[dict[str, object], bytes]:
    try:
        raw = path.read_bytes()
        return tomllib.loads(raw.decode()), raw
    except FileNotFoundError:
        msg = f"{path}: file not found"
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        msg = f"{path}: not valid TOML: {exc}"
    raise ModelConfigError(msg)


def describe_validation_error(path: Path, error: ValidationError) -> str:
    return f"{path}: " + "; ".join(describe_errors(error, top="(file)"))


def load_models_config(path: Path) -> LoadedModelsConfig:
    data, raw = read_toml(path)
    try:
        config = ModelsConfig.model_validate(data)
    except ValidationError as exc:
        raise ModelConfigError(describe_validation_error(path, exc)) from None
    return LoadedModelsConfig(config=config, path=str(path), sha256=hashlib.sha256(raw).hexdigest())
