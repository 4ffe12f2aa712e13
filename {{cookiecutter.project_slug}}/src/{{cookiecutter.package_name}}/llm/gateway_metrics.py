"""The gateway's state as gauges: circuit per deployment, budget left, recorder backlog."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from ..observability.metrics import (
    set_budget,
    set_circuit_states,
    set_recorder_queue_depth,
    set_recorder_set_aside_rows,
)
from .gateway import ModelGateway

ALL_ALIASES = "all"


def gateway_sampler(gateway: ModelGateway) -> Callable[[], None]:
    """What the lifespan samples every few seconds (cheap: no I/O, a few dict reads)."""

    def sample() -> None:
        set_circuit_states(gateway.circuit_states())
        ledger = gateway.recorder.ledger
        if gateway.config.daily_budget_usd is not None:
            limit = Decimal(str(gateway.config.daily_budget_usd))
            set_budget(ALL_ALIASES, limit, limit - ledger.spent())
        for alias, config in gateway.config.aliases.items():
            if config.daily_budget_usd is not None:
                limit = Decimal(str(config.daily_budget_usd))
                set_budget(alias, limit, limit - ledger.spent(alias))
        set_recorder_queue_depth(gateway.recorder.pending)
        set_recorder_set_aside_rows(gateway.recorder.dead_letters.count)

    return sample
