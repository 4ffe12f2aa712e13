"""The model gateway's readiness check: which model configuration is live, which circuits open."""

from __future__ import annotations

from ..llm.circuit_breaker import CircuitState
from ..llm.gateway import ModelGateway
from .checks import DegradedError, ReadinessCheck


def model_gateway_check(gateway: ModelGateway) -> ReadinessCheck:
    async def models() -> str | None:
        # An open circuit is reported, not failed: the gateway falls back, and taking every
        # replica out of rotation because one upstream is down would turn a degradation into
        # an outage.
        opened = sorted(
            name
            for name, state in gateway.circuit_states().items()
            if state is not CircuitState.CLOSED
        )
        circuits = f"open circuits: {', '.join(opened)}" if opened else "all circuits closed"
        return f"config {gateway.config.version} sha256:{gateway.config_hash}; {circuits}"

    return models


def inference_recorder_check(gateway: ModelGateway) -> ReadinessCheck:
    """Rows waiting for the database and rows set aside: degraded, never failing, when any
    were set aside or the queue is past half full, so an operator sees it before data is lost.
    """
    recorder = gateway.recorder

    async def inference_records() -> str | None:
        detail = f"{recorder.pending} pending, {recorder.dead_letters.count} set aside"
        if recorder.dead_letters.count or recorder.pending > recorder.max_pending // 2:
            raise DegradedError(detail)
        return detail

    return inference_records
