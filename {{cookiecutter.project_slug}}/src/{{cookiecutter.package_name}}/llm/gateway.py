"""The model gateway: the one place where model calls are retried, failed over and paid for.

A call names an alias; the alias lists deployments in fallback order. On each deployment the
gateway makes attempts (bounded, with backoff, only for retryable errors), validates the output
when the caller declared an output model (bounded repairs), and records every attempt.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import AsyncGenerator, AsyncIterator, Callable, Mapping, Sequence
from contextlib import aclosing
from decimal import Decimal

from .accounting import InferenceRecorder
from .backoff import Sleep, wait_to_retry
from .budget import BudgetGuard
from .call import Call
from .circuit_breaker import CircuitBreaker, CircuitState
from .client import ModelClient
from .config import LoadedModelsConfig
from .errors import CircuitOpenError, InvalidOutputError, ModelError, PassThroughError
from .failures import model_error_from
from .fallback import over_fallbacks
from .ledger import MemorySpendLedger, SpendLedger, SpendLimit
from .output_validation import parse_output, repair_request
from .pricing import PriceTable
from .streaming import StreamAttempt
from .trace import attempted_deployments
from .types import (
    ModelRequest,
    ModelResponse,
    OutputT,
    StreamDone,
    StreamError,
    StreamEvent,
    Usage,
)


class UnknownAliasError(LookupError):
    pass


class ModelGateway:
    def __init__(
        self,
        models: LoadedModelsConfig,
        prices: PriceTable,
        clients: Mapping[str, ModelClient],
        recorder: InferenceRecorder,
        *,
        sleep: Sleep = asyncio.sleep,
        clock: Callable[[], float] = time.monotonic,
        uniform: Callable[[], float] = random.random,
        ledger: SpendLedger | None = None,
    ) -> None:
        prices.check_covers(models.config)
        self.config = models.config
        self.config_hash = models.sha256
        self.clients = clients
        self.recorder = recorder
        self._prices = {
            name: prices.price_of(d.provider, d.model)
            for name, d in self.config.deployments.items()
        }
        self.budget = BudgetGuard(self.config, self._prices, ledger or MemorySpendLedger())
        self._breakers = {
            name: CircuitBreaker(d.circuit_breaker, clock)
            for name, d in self.config.deployments.items()
        }
        self._sleep, self._clock, self._uniform = sleep, clock, uniform

    def circuit_states(self) -> dict[str, CircuitState]:
        return {name: breaker.state for name, breaker in self._breakers.items()}

    async def generate(
        self,
        alias: str,
        request: ModelRequest,
        *,
        output_model: type[OutputT] | None = None,
        task: str | None = None,
        spend_limits: Sequence[SpendLimit] = (),
    ) -> ModelResponse[OutputT]:
        call = await self._start(alias, request, task, spend_limits)
        responses = over_fallbacks(
            call.alias,
            self.config.aliases[call.alias],
            lambda index, name: self._generate_on(call, index, name, output_model),
        )
        async with aclosing(responses):
            async for response in responses:
                return response
        raise AssertionError("unreachable: the last deployment answers or raises")

    async def stream(
        self,
        alias: str,
        request: ModelRequest,
        *,
        output_model: type[OutputT] | None = None,
        task: str | None = None,
        spend_limits: Sequence[SpendLimit] = (),
    ) -> AsyncIterator[StreamEvent[OutputT]]:
        """Text deltas, then exactly one `StreamDone` or `StreamError`.

        Falls back only while no text has reached the caller; after that a failure ends the
        stream with an error event and the attempt is recorded as incomplete.
        """
        try:
            call = await self._start(alias, request, task, spend_limits)
            events = over_fallbacks(
                call.alias,
                self.config.aliases[call.alias],
                lambda index, name: self._stream_on(call, index, name, output_model),
            )
            async with aclosing(events):
                async for event in events:
                    yield event
        except ModelError as error:  # Raised only before any text was yielded.
            yield StreamError(kind=error.kind, message=error.message, incomplete=False)

    async def aclose(self) -> None:
        await asyncio.gather(*(client.aclose() for client in self.clients.values()))
        await self.budget.drain()

    async def _start(
        self,
        alias: str,
        request: ModelRequest,
        task: str | None,
        spend_limits: Sequence[SpendLimit],
    ) -> Call:
        if alias not in self.config.aliases:
            msg = f"unknown model alias {alias!r}"
            raise UnknownAliasError(msg)
        alias = await self.budget.resolve_alias(alias)
        return Call(
            alias=alias,
            request=request,
            task=task,
            started=self._clock(),
            spend_limits=tuple(spend_limits),
        )

    async def _admit(self, call: Call, name: str, request: ModelRequest) -> CircuitBreaker:
        """Reserve the attempt's upper cost, then pass the circuit breaker, or raise."""
        call.reservation = await self.budget.reserve(call.alias, name, request, call.spend_limits)
        breaker = self._breakers[name]
        if not breaker.allow():
            self._release(call)
            msg = f"circuit open for deployment {name!r}"
            raise CircuitOpenError(msg)
        return breaker

    def _release(self, call: Call, cost: Decimal = Decimal(0)) -> None:
        self.budget.settle(call.reservation, cost)
        call.reservation = None

    async def _retry_or_raise(self, error: ModelError, name: str, retries: int) -> None:
        policy = self.config.deployments[name].retry
        await wait_to_retry(error, name, policy, retries, sleep=self._sleep, uniform=self._uniform)

    async def _generate_on(
        self, call: Call, index: int, name: str, output_model: type[OutputT] | None
    ) -> AsyncGenerator[ModelResponse[OutputT]]:
        """One deployment's attempts for `generate`: yields the one response, or raises."""
        deployment = self.config.deployments[name]
        request, retries = call.request, 0
        repairs_left = self.config.aliases[call.alias].repair_attempts
        while True:
            breaker = await self._admit(call, name, request)
            started = self._clock()
            try:
                async with asyncio.timeout(deployment.timeouts.total_seconds):
                    completion = await self.clients[name].generate(request)
            except PassThroughError:
                breaker.release()
                raise
            except Exception as raised:  # Any failure of the client becomes a ModelError.
                error = model_error_from(raised, name, deployment.timeouts.total_seconds)
                breaker.record(failed=error.retryable)
                self._account(call, name, deployment.model, error.kind, None, started)
                retries += 1
                await self._retry_or_raise(error, name, retries)
                continue
            except BaseException:
                breaker.release()
                self._release(call)
                raise
            breaker.record(failed=False)
            try:
                parsed = parse_output(completion.text, output_model) if output_model else None
            except InvalidOutputError as invalid:
                self._account(call, name, completion.model, invalid.kind, completion.usage, started)
                if repairs_left == 0:
                    raise
                repairs_left -= 1
                request = repair_request(request, completion.text, invalid)
                continue
            self._account(call, name, completion.model, "ok", completion.usage, started)
            yield call.response(name, index, completion, parsed, self._clock())
            return

    async def _stream_on(
        self, call: Call, index: int, name: str, output_model: type[OutputT] | None
    ) -> AsyncGenerator[StreamEvent[OutputT]]:
        deployment = self.config.deployments[name]
        retries = 0
        while True:
            breaker = await self._admit(call, name, call.request)
            started = self._clock()
            attempt = StreamAttempt(
                self.clients[name], call.request, deployment.timeouts, self._clock
            )
            try:
                async with aclosing(aiter(attempt)) as deltas:
                    async for delta in deltas:
                        yield delta
            except PassThroughError:
                breaker.release()
                raise
            except Exception as raised:  # Any failure of the client becomes a ModelError.
                error = model_error_from(raised, name, deployment.timeouts.total_seconds)
                breaker.record(failed=error.retryable)
                usage = attempt.estimated_usage() if attempt.sent_text else None
                outcome = "incomplete" if attempt.sent_text else error.kind
                self._account(call, name, deployment.model, outcome, usage, started)
                if attempt.sent_text:
                    yield StreamError(kind=error.kind, message=error.message, incomplete=True)
                    return
                retries += 1
                await self._retry_or_raise(error, name, retries)
                continue
            except BaseException:  # The client went away or the task was cancelled.
                breaker.release()
                usage = attempt.estimated_usage()
                self._account(call, name, deployment.model, "incomplete", usage, started)
                raise
            breaker.record(failed=False)
            completion = attempt.completion
            try:
                parsed = parse_output(completion.text, output_model) if output_model else None
            except InvalidOutputError as invalid:
                self._account(call, name, completion.model, invalid.kind, completion.usage, started)
                yield StreamError(kind=invalid.kind, message=invalid.message, incomplete=True)
                return
            self._account(call, name, completion.model, "ok", completion.usage, started)
            response = call.response(
                name, index, completion, parsed, self._clock(), attempt.first_token_ms
            )
            yield StreamDone(response=response)
            return

    def _account(
        self,
        call: Call,
        name: str,
        served_model: str,
        outcome: str,
        usage: Usage | None,
        started: float,
    ) -> None:
        usage = usage or Usage()
        if (tried := attempted_deployments.get()) is not None:
            tried.append(name)
        latency_ms = round((self._clock() - started) * 1000, 3)
        cost = self._prices[name].cost(usage)
        self._release(call, cost)
        self.recorder.record(
            call.count_attempt(name, served_model, outcome, usage, cost, latency_ms)
        )
