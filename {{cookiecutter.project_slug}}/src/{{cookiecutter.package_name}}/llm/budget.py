"""Daily spend limits as hard caps: global, per alias, and any the caller adds (per API key).

Before each attempt (retries, repairs and fallbacks are attempts too) the gateway reserves an
upper bound of its cost in a shared ledger: the input's UTF-8 bytes (no tokeniser makes more
tokens than bytes) at the input price, plus the deployment's `max_tokens` at the output price.
In-flight reservations count against the limits, so concurrent calls cannot overrun them; the
attempt's real cost replaces the reservation when it ends. An alias over its budget hands its
calls to its `over_budget_alias` (a cheaper one), or they are refused.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal

import orjson
import structlog

from .config import ModelsConfig
from .errors import BudgetExceededError, BudgetUnavailableError
from .ledger import Reservation, SpendLedger, SpendLimit
from .pricing import Price
from .types import ModelRequest, Usage

# Used only when neither the request nor the deployment sets max_tokens; set it per deployment.
DEFAULT_MAX_OUTPUT_TOKENS = 4096


def utc_today() -> date:
    return datetime.now(UTC).date()


def decimal_or_none(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(str(value))


class BudgetGuard:
    def __init__(
        self,
        config: ModelsConfig,
        prices: Mapping[str, Price],
        ledger: SpendLedger,
        today: Callable[[], date] = utc_today,
    ) -> None:
        self._config = config
        self._prices = prices
        self.ledger = ledger
        self._today = today
        self._log = structlog.get_logger("llm")
        self._settling: set[asyncio.Task[None]] = set()

    async def resolve_alias(self, alias: str) -> str:
        """The alias to call: `alias`, or the cheaper alias it hands over to when over budget."""
        seen = {alias}
        await self._settled()
        while await self.over_budget(alias):
            cheaper = self._config.aliases[alias].over_budget_alias
            if cheaper is None or cheaper in seen:
                break
            self._log.warning("model_budget_fallback", alias=alias, to=cheaper)
            alias = cheaper
            seen.add(alias)
        return alias

    async def over_budget(self, alias: str) -> bool:
        limit = decimal_or_none(self._config.aliases[alias].daily_budget_usd)
        if limit is None:
            return False
        return await self.ledger.spent(self._today(), f"alias:{alias}") >= limit

    def limits(self, alias: str, extra: Sequence[SpendLimit]) -> list[SpendLimit]:
        alias_limit = self._config.aliases[alias].daily_budget_usd
        return [
            SpendLimit("global", decimal_or_none(self._config.daily_budget_usd)),
            SpendLimit(f"alias:{alias}", decimal_or_none(alias_limit)),
            *extra,
        ]

    def upper_bound(self, deployment: str, request: ModelRequest) -> Decimal:
        input_bytes = sum(len(message.content.encode()) for message in request.messages)
        if request.output_schema is not None:
            input_bytes += len(orjson.dumps(request.output_schema))
        configured = self._config.deployments[deployment].parameters.max_tokens
        output_tokens = request.parameters.max_tokens or configured or DEFAULT_MAX_OUTPUT_TOKENS
        usage = Usage(input_tokens=input_bytes, output_tokens=output_tokens)
        return self._prices[deployment].cost(usage)

    async def reserve(
        self, alias: str, deployment: str, request: ModelRequest, extra: Sequence[SpendLimit]
    ) -> Reservation | None:
        """Hold the attempt's upper bound, or raise; None for a free deployment."""
        amount = self.upper_bound(deployment, request)
        if amount <= 0:
            return None
        await self._settled()
        limits = self.limits(alias, extra)
        day = self._today()
        over = await self.ledger.reserve(day, amount, limits)
        if over == "global":
            msg = f"the daily model budget of ${self._config.daily_budget_usd} is spent"
            raise BudgetExceededError(msg)
        if over is not None:
            kind, _, name = over.partition(":")
            owner = f"alias {name!r}" if kind == "alias" else f"API key {name!r}"
            msg = f"the daily budget of {owner} is spent"
            raise BudgetExceededError(msg)
        return Reservation(day=day, scopes=tuple(limit.scope for limit in limits), amount=amount)

    def settle(self, reservation: Reservation | None, actual: Decimal) -> None:
        """Replace the reservation with the real cost, off the caller's path."""
        if reservation is None:
            return
        task = asyncio.create_task(self._settle(reservation, actual))
        self._settling.add(task)
        task.add_done_callback(self._settling.discard)

    async def _settle(self, reservation: Reservation, actual: Decimal) -> None:
        try:
            await self.ledger.settle(reservation, actual)
        except Exception:  # Left held: the budget errs on the safe side until the day ends.
            self._log.exception("spend_not_settled", amount=str(reservation.amount))

    async def _settled(self) -> None:
        """This process's finished attempts count before a new one is judged."""
        if self._settling:
            await asyncio.gather(*list(self._settling), return_exceptions=True)

    async def drain(self) -> None:
        """Wait for every pending settlement (at shutdown, and in tests)."""
        while self._settling:
            await asyncio.gather(*self._settling, return_exceptions=True)


__all__ = ["BudgetExceededError", "BudgetGuard", "BudgetUnavailableError", "SpendLimit"]
