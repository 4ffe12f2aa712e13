"""The gateway's readiness check reports the live model configuration and any open circuit."""

from __future__ import annotations

from {{ cookiecutter.package_name }}.health.model_gateway import model_gateway_check
from {{ cookiecutter.package_name }}.llm.circuit_breaker import CircuitState
from {{ cookiecutter.package_name }}.llm.config import CircuitBreakerPolicy, RetryPolicy
from {{ cookiecutter.package_name }}.llm.errors import UnavailableError

from ..llm.gateway_factories import FakeClock, default_deployments, make_gateway, request


async def test_names_the_config_and_says_all_circuits_are_closed() -> None:
    harness = make_gateway()

    detail = await model_gateway_check(harness.gateway)()

    config = harness.gateway.config
    assert detail == (
        f"config {config.version} sha256:{harness.gateway.config_hash}; all circuits closed"
    )


async def test_an_open_circuit_is_reported_not_failed() -> None:
    policy = CircuitBreakerPolicy(minimum_calls=1, failure_rate=1.0, open_seconds=10.0)
    deployments = default_deployments(retry=RetryPolicy(max_attempts=1), circuit_breaker=policy)
    harness = make_gateway(deployments=deployments, clock=FakeClock())
    harness.clients["primary"].queue(UnavailableError("503"))
    await harness.gateway.generate("chat", request())  # Falls back; primary's circuit opens.
    assert harness.gateway.circuit_states()["primary"] is CircuitState.OPEN

    detail = await model_gateway_check(harness.gateway)()

    assert detail is not None
    assert detail.endswith("; open circuits: primary")
