"""Builders for gateway tests: configs and prices in Python, a fake client per deployment.

Nothing here sleeps for real: `RecordingSleep` keeps the delays the gateway asks for, and
`FakeClock` is a clock that only moves when a test moves it.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from {{ cookiecutter.package_name }}.llm.accounting import Attempt, InferenceRecorder, SpendLedger
from {{ cookiecutter.package_name }}.llm.config import (
    AliasConfig,
    CircuitBreakerPolicy,
    DeploymentConfig,
    LoadedModelsConfig,
    ModelsConfig,
    RetryPolicy,
    TimeoutPolicy,
)
from {{ cookiecutter.package_name }}.llm.gateway import ModelGateway
from {{ cookiecutter.package_name }}.llm.ledger import SpendLedger as BudgetLedger
from {{ cookiecutter.package_name }}.llm.pricing import Price, PriceTable
from {{ cookiecutter.package_name }}.llm.providers.fake import FakeModelClient
from {{ cookiecutter.package_name }}.llm.types import (
    GenerationParameters,
    Message,
    ModelRequest,
    Usage,
)

# USD per million tokens (input, output) for each fake model, chosen so costs differ.
PRICES: dict[str, tuple[str, str]] = {
    "fake-a": ("2.00", "10.00"),
    "fake-b": ("1.00", "4.00"),
    "fake-c": ("0.50", "1.50"),
}
DEPLOYMENT_MODELS = {"primary": "fake-a", "secondary": "fake-b", "tertiary": "fake-c"}
FIXED_UNIFORM = 0.5
MAX_TOKENS = 40


def cost_of(model: str, usage: Usage) -> Decimal:
    """What the price table above charges for `usage` on `model`, computed independently."""
    input_price, output_price = (Decimal(p) for p in PRICES[model])
    return (
        Decimal(usage.input_tokens) * input_price + Decimal(usage.output_tokens) * output_price
    ) / Decimal(1_000_000)


def deployment(
    model: str,
    *,
    retry: RetryPolicy | None = None,
    timeouts: TimeoutPolicy | None = None,
    circuit_breaker: CircuitBreakerPolicy | None = None,
) -> DeploymentConfig:
    return DeploymentConfig(
        provider="fake",
        model=model,
        # Small, so a reservation's upper bound (llm/budget.py) fits the tests' tiny budgets.
        parameters=GenerationParameters(max_tokens=MAX_TOKENS),
        retry=retry or RetryPolicy(),
        timeouts=timeouts or TimeoutPolicy(),
        circuit_breaker=circuit_breaker or CircuitBreakerPolicy(),
    )


def default_deployments(
    *,
    retry: RetryPolicy | None = None,
    timeouts: TimeoutPolicy | None = None,
    circuit_breaker: CircuitBreakerPolicy | None = None,
) -> dict[str, DeploymentConfig]:
    return {
        name: deployment(model, retry=retry, timeouts=timeouts, circuit_breaker=circuit_breaker)
        for name, model in DEPLOYMENT_MODELS.items()
    }


def default_aliases() -> dict[str, AliasConfig]:
    return {
        "chat": AliasConfig(deployments=("primary", "secondary", "tertiary")),
        "cheap": AliasConfig(deployments=("tertiary",)),
    }


def loaded_config(
    deployments: Mapping[str, DeploymentConfig],
    aliases: Mapping[str, AliasConfig],
    *,
    daily_budget_usd: float | None = None,
) -> LoadedModelsConfig:
    config = ModelsConfig(
        version="test",
        daily_budget_usd=daily_budget_usd,
        deployments=dict(deployments),
        aliases=dict(aliases),
    )
    return LoadedModelsConfig(config=config, path="<tests>", sha256="0" * 64)


def price_table() -> PriceTable:
    return PriceTable(
        version="test",
        prices={
            f"fake/{model}": Price(
                input_usd_per_million_tokens=Decimal(input_price),
                output_usd_per_million_tokens=Decimal(output_price),
            )
            for model, (input_price, output_price) in PRICES.items()
        },
    )


def request(text: str = "hello there", output_schema: dict[str, Any] | None = None) -> ModelRequest:
    return ModelRequest(messages=(Message(role="user", content=text),), output_schema=output_schema)


class FakeClock:
    """A monotonic clock that moves only when told to."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@dataclass
class RecordingSleep:
    """Stands in for `asyncio.sleep`: keeps the delays and only yields to the event loop."""

    delays: list[float] = field(default_factory=list)

    async def __call__(self, delay: float) -> None:
        self.delays.append(delay)
        await asyncio.sleep(0)


class CapturingRecorder(InferenceRecorder):
    """An `InferenceRecorder` that also keeps every attempt it was given, in order."""

    def __init__(
        self,
        ledger: SpendLedger | None = None,
        sessionmaker: async_sessionmaker[AsyncSession] | None = None,
    ) -> None:
        super().__init__(sessionmaker, ledger or SpendLedger())
        self.attempts: list[Attempt] = []

    def record(self, attempt: Attempt) -> None:
        self.attempts.append(attempt)
        super().record(attempt)


@dataclass
class Harness:
    gateway: ModelGateway
    clients: dict[str, FakeModelClient]
    recorder: InferenceRecorder
    sleep: RecordingSleep

    @property
    def attempts(self) -> list[Attempt]:
        assert isinstance(self.recorder, CapturingRecorder)
        return self.recorder.attempts

    def outcomes(self) -> list[tuple[str, int, str]]:
        return [(a.deployment, a.attempt, a.outcome) for a in self.attempts]


def make_gateway(
    *,
    deployments: Mapping[str, DeploymentConfig] | None = None,
    aliases: Mapping[str, AliasConfig] | None = None,
    daily_budget_usd: float | None = None,
    recorder: InferenceRecorder | None = None,
    clock: Callable[[], float] | None = None,
    uniform: Callable[[], float] = lambda: FIXED_UNIFORM,
    ledger: BudgetLedger | None = None,
) -> Harness:
    deployments = default_deployments() if deployments is None else deployments
    aliases = default_aliases() if aliases is None else aliases
    clients = {name: FakeModelClient(model=d.model) for name, d in deployments.items()}
    recorder = CapturingRecorder() if recorder is None else recorder
    sleep = RecordingSleep()
    gateway = ModelGateway(
        loaded_config(deployments, aliases, daily_budget_usd=daily_budget_usd),
        price_table(),
        clients,
        recorder,
        sleep=sleep,
        clock=clock or time.monotonic,
        uniform=uniform,
        ledger=ledger,
    )
    return Harness(gateway=gateway, clients=clients, recorder=recorder, sleep=sleep)
