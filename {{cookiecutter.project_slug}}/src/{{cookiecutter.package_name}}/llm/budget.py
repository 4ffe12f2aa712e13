"""Daily spend limits, global and per alias, counted from the recorded attempts.

Retries, repairs and fallbacks are attempts too, so they count. An alias over its budget
hands its calls to its `over_budget_alias` (a cheaper one), or they are refused.
"""

from __future__ import annotations

from decimal import Decimal

import structlog

from .accounting import SpendLedger
from .config import ModelsConfig
from .errors import BudgetExceededError


class BudgetGuard:
    def __init__(self, config: ModelsConfig, ledger: SpendLedger) -> None:
        self._config = config
        self._log = structlog.get_logger("llm")
        self._ledger = ledger

    def resolve_alias(self, alias: str) -> str:
        """The alias to call: `alias`, or the cheaper alias it hands over to when over budget."""
        seen = {alias}
        while self.over_budget(alias):
            cheaper = self._config.aliases[alias].over_budget_alias
            if cheaper is None or cheaper in seen:
                break
            self._log.warning("model_budget_fallback", alias=alias, to=cheaper)
            alias = cheaper
            seen.add(alias)
        return alias

    def over_budget(self, alias: str) -> bool:
        limit = self._config.aliases[alias].daily_budget_usd
        return limit is not None and self._ledger.spent(alias) >= Decimal(str(limit))

    def check(self, alias: str) -> None:
        """Raise before an attempt that today's spend no longer allows."""
        limit = self._config.daily_budget_usd
        if limit is not None and self._ledger.spent() >= Decimal(str(limit)):
            msg = f"the daily model budget of ${limit} is spent"
            raise BudgetExceededError(msg)
        if self.over_budget(alias):
            msg = f"the daily budget of alias {alias!r} is spent"
            raise BudgetExceededError(msg)
