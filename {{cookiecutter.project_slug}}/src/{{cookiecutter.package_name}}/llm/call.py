"""One gateway call: what it asked for, and what its attempts have used and cost so far."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from decimal import Decimal

from ..core.logging import current_request_id, current_server_request_id
from .accounting import Attempt
from .ledger import Reservation, SpendLimit
from .types import Completion, ModelRequest, ModelResponse, OutputT, Usage


@dataclass
class Call:
    alias: str
    request: ModelRequest
    task: str | None
    started: float
    call_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    request_id: str | None = field(default_factory=current_request_id)
    server_request_id: str | None = field(default_factory=current_server_request_id)
    attempts: int = 0
    usage: Usage = field(default_factory=Usage)
    cost: Decimal = Decimal(0)
    spend_limits: tuple[SpendLimit, ...] = ()  # The caller's, e.g. an API key's daily budget.
    reservation: Reservation | None = None  # Held for the attempt in flight.

    def count_attempt(
        self,
        deployment: str,
        served_model: str,
        outcome: str,
        usage: Usage,
        cost: Decimal,
        latency_ms: float,
    ) -> Attempt:
        """Add an attempt to the call's totals; usage and cost are totals over all attempts."""
        self.attempts += 1
        self.usage += usage
        self.cost += cost
        prompt = self.request.prompt
        return Attempt(
            call_id=self.call_id,
            request_id=self.request_id,
            server_request_id=self.server_request_id,
            task=self.task,
            alias=self.alias,
            deployment=deployment,
            served_model=served_model,
            prompt_version=f"{prompt.name}@{prompt.version}" if prompt else None,
            attempt=self.attempts,
            outcome=outcome,
            input_tokens=usage.input_tokens,
            output_tokens=usage.output_tokens,
            cost_usd=cost,
            latency_ms=latency_ms,
        )

    def response(
        self,
        deployment: str,
        fallback_index: int,
        completion: Completion,
        parsed: OutputT | None,
        now: float,
        first_token_ms: float | None = None,
    ) -> ModelResponse[OutputT]:
        """The call's answer, with usage and cost totalled over every attempt it made."""
        return ModelResponse(
            text=completion.text,
            parsed=parsed,
            finish_reason=completion.finish_reason,
            usage=self.usage,
            cost_usd=self.cost,
            model=completion.model,
            alias=self.alias,
            deployment=deployment,
            attempts=self.attempts,
            fallback_index=fallback_index,
            latency_ms=round((now - self.started) * 1000, 3),
            time_to_first_token_ms=first_token_ms,
        )
