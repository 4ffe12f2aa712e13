from __future__ import annotations

import asyncio
import random
from collections import Counter
from decimal import Decimal
from typing import Literal

import pytest
from pydantic import BaseModel, Field

from {{ cookiecutter.package_name }}.llm.budget import utc_today
from {{ cookiecutter.package_name }}.llm.circuit_breaker import CircuitState
from {{ cookiecutter.package_name }}.llm.config import (
    AliasConfig,
    CircuitBreakerPolicy,
    RetryPolicy,
    TimeoutPolicy,
)
from {{ cookiecutter.package_name }}.llm.errors import (
    AuthError,
    BadRequestError,
    BudgetExceededError,
    CircuitOpenError,
    ContentFilteredError,
    ContextTooLongError,
    ErrorKind,
    InvalidOutputError,
    ModelError,
    ModelTimeoutError,
    RateLimitedError,
    UnavailableError,
)
from {{ cookiecutter.package_name }}.llm.gateway import UnknownAliasError
from {{ cookiecutter.package_name }}.llm.ledger import MemorySpendLedger, SpendLimit
from {{ cookiecutter.package_name }}.llm.providers.fake import FakeReply
from {{ cookiecutter.package_name }}.llm.types import FinishReason, Message, ModelRequest, PromptRef, Usage

from .gateway_factories import (
    FakeClock,
    cost_of,
    default_deployments,
    make_gateway,
    request,
)

VALID = '{"label": "spam", "confidence": 0.9}'


class Verdict(BaseModel):
    label: Literal["spam", "ham"]
    confidence: float = Field(ge=0, le=1)


def usage(input_tokens: int, output_tokens: int) -> Usage:
    return Usage(input_tokens=input_tokens, output_tokens=output_tokens)


async def test_first_deployment_answers_on_the_first_attempt() -> None:
    h = make_gateway()
    h.clients["primary"].queue(FakeReply(text="hi!", usage=usage(120, 30)))

    response = await h.gateway.generate("chat", request(), task="greet")

    assert response.text == "hi!"
    assert response.finish_reason is FinishReason.STOP
    assert (response.alias, response.deployment, response.model) == ("chat", "primary", "fake-a")
    assert (response.attempts, response.fallback_index) == (1, 0)
    assert response.usage == usage(120, 30)
    assert response.cost_usd == Decimal("0.00054")  # (120 * 2 + 30 * 10) / 1e6
    assert response.parsed is None
    assert h.sleep.delays == []
    assert [len(c.requests) for c in h.clients.values()] == [1, 0, 0]
    assert h.outcomes() == [("primary", 1, "ok")]
    assert h.attempts[0].task == "greet"


@pytest.mark.parametrize(
    "error",
    [RateLimitedError("429"), UnavailableError("503"), ModelTimeoutError("slow")],
    ids=lambda e: type(e).__name__,
)
async def test_retryable_errors_are_retried_up_to_max_attempts_then_raised(
    error: ModelError,
) -> None:
    h = make_gateway()
    h.clients["tertiary"].queue(error, error, error, "never reached")

    with pytest.raises(type(error)):
        await h.gateway.generate("cheap", request())

    assert len(h.clients["tertiary"].requests) == 3
    assert h.outcomes() == [("tertiary", n, error.kind.value) for n in (1, 2, 3)]
    assert h.sleep.delays == [0.375, 0.75]  # Two waits between three attempts.


async def test_a_retry_that_succeeds_returns_the_answer() -> None:
    h = make_gateway()
    h.clients["primary"].queue(UnavailableError("503"), RateLimitedError("429"), "third time")

    response = await h.gateway.generate("chat", request())

    assert (response.text, response.attempts, response.fallback_index) == ("third time", 3, 0)
    assert h.outcomes() == [
        ("primary", 1, "unavailable"),
        ("primary", 2, "rate_limited"),
        ("primary", 3, "ok"),
    ]
    assert len(h.clients["secondary"].requests) == 0


@pytest.mark.parametrize(
    "error",
    [
        BadRequestError("bad"),
        AuthError("key"),
        ContextTooLongError("long"),
        ContentFilteredError("filtered"),
    ],
    ids=lambda e: type(e).__name__,
)
async def test_non_retryable_errors_are_neither_retried_nor_failed_over(error: ModelError) -> None:
    h = make_gateway()
    h.clients["primary"].queue(error)

    with pytest.raises(type(error)) as caught:
        await h.gateway.generate("chat", request())

    assert caught.value is error
    assert [len(c.requests) for c in h.clients.values()] == [1, 0, 0]
    assert h.sleep.delays == []
    assert h.outcomes() == [("primary", 1, error.kind.value)]


async def test_backoff_delays_grow_and_stay_within_jitter_bounds() -> None:
    retry = RetryPolicy(max_attempts=5, base_delay_seconds=1.0, max_delay_seconds=3.0)
    h = make_gateway(deployments=default_deployments(retry=retry), uniform=random.random)
    h.clients["primary"].queue(*[UnavailableError("503")] * 4, "ok")

    response = await h.gateway.generate("chat", request())

    assert response.attempts == 5
    steps = [1.0, 2.0, 3.0, 3.0]  # Doubling, capped at max_delay_seconds.
    assert len(h.sleep.delays) == 4
    for delay, step in zip(h.sleep.delays, steps, strict=True):
        assert step / 2 <= delay <= step


async def test_backoff_uses_the_injected_uniform_exactly() -> None:
    retry = RetryPolicy(max_attempts=4, base_delay_seconds=1.0, max_delay_seconds=3.0)
    h = make_gateway(deployments=default_deployments(retry=retry), uniform=lambda: 0.0)
    h.clients["primary"].queue(*[UnavailableError("503")] * 3, "ok")

    await h.gateway.generate("chat", request())

    assert h.sleep.delays == [0.5, 1.0, 1.5]


async def test_retry_after_is_honoured_as_a_floor() -> None:
    h = make_gateway()
    h.clients["primary"].queue(
        RateLimitedError("429", retry_after=5.0), RateLimitedError("429", retry_after=0.1), "ok"
    )

    response = await h.gateway.generate("chat", request())

    assert response.attempts == 3
    assert h.sleep.delays == [5.0, 0.75]


async def test_retry_after_too_long_falls_back_without_waiting() -> None:
    h = make_gateway()
    h.clients["primary"].queue(RateLimitedError("429", retry_after=21.0))
    h.clients["secondary"].queue("from secondary")

    response = await h.gateway.generate("chat", request())

    assert (response.text, response.deployment, response.fallback_index) == (
        "from secondary",
        "secondary",
        1,
    )
    assert h.sleep.delays == []
    assert [len(c.requests) for c in h.clients.values()] == [1, 1, 0]
    assert h.outcomes() == [("primary", 1, "rate_limited"), ("secondary", 2, "ok")]


async def test_falls_back_across_three_deployments_in_order() -> None:
    h = make_gateway()
    h.clients["primary"].queue(*[UnavailableError("503")] * 3)
    h.clients["secondary"].queue(*[ModelTimeoutError("slow")] * 3)
    h.clients["tertiary"].queue("last resort")

    response = await h.gateway.generate("chat", request())

    assert (response.text, response.deployment, response.model) == (
        "last resort",
        "tertiary",
        "fake-c",
    )
    assert (response.fallback_index, response.attempts) == (2, 7)
    assert h.outcomes() == [
        ("primary", 1, "unavailable"),
        ("primary", 2, "unavailable"),
        ("primary", 3, "unavailable"),
        ("secondary", 4, "timeout"),
        ("secondary", 5, "timeout"),
        ("secondary", 6, "timeout"),
        ("tertiary", 7, "ok"),
    ]
    # Retries restart per deployment: each gets its own backoff sequence.
    assert h.sleep.delays == [0.375, 0.75, 0.375, 0.75]


async def test_fallback_follows_the_alias_order_not_the_config_order() -> None:
    aliases = {"reverse": AliasConfig(deployments=("tertiary", "primary"))}
    h = make_gateway(aliases=aliases)
    h.clients["tertiary"].queue(RateLimitedError("429", retry_after=60.0))

    response = await h.gateway.generate("reverse", request("yo"))

    assert (response.text, response.deployment, response.fallback_index) == (
        "echo: yo",
        "primary",
        1,
    )
    assert len(h.clients["secondary"].requests) == 0


async def test_the_last_deployments_error_is_raised_when_all_fail() -> None:
    h = make_gateway()
    for name in ("primary", "secondary"):
        h.clients[name].queue(*[UnavailableError(name)] * 3)
    h.clients["tertiary"].queue(*[RateLimitedError("tertiary")] * 3)

    with pytest.raises(RateLimitedError, match="tertiary"):
        await h.gateway.generate("chat", request())

    assert [len(c.requests) for c in h.clients.values()] == [3, 3, 3]
    assert len(h.attempts) == 9


async def test_errors_not_in_fallback_on_raise_without_fallback() -> None:
    aliases = {
        "chat": AliasConfig(
            deployments=("primary", "secondary"), fallback_on=frozenset({ErrorKind.TIMEOUT})
        )
    }
    h = make_gateway(aliases=aliases)
    h.clients["primary"].queue(*[UnavailableError("503")] * 3)

    with pytest.raises(UnavailableError):
        await h.gateway.generate("chat", request())

    assert [len(c.requests) for c in h.clients.values()] == [3, 0, 0]


async def test_timeouts_in_fallback_on_do_fall_back() -> None:
    aliases = {
        "chat": AliasConfig(
            deployments=("primary", "secondary"), fallback_on=frozenset({ErrorKind.TIMEOUT})
        )
    }
    h = make_gateway(aliases=aliases)
    h.clients["primary"].queue(*[ModelTimeoutError("slow")] * 3)

    response = await h.gateway.generate("chat", request())

    assert (response.deployment, response.attempts) == ("secondary", 4)


async def test_circuit_opens_skips_the_deployment_then_probes_and_closes() -> None:
    clock = FakeClock()
    policy = CircuitBreakerPolicy(
        failure_rate=0.5, window_seconds=60.0, minimum_calls=2, open_seconds=30.0
    )
    deployments = default_deployments(retry=RetryPolicy(max_attempts=1), circuit_breaker=policy)
    h = make_gateway(deployments=deployments, clock=clock)
    primary = h.clients["primary"]
    primary.queue(UnavailableError("503"), UnavailableError("503"))

    for _ in range(2):
        assert (await h.gateway.generate("chat", request())).fallback_index == 1
    assert h.gateway.circuit_states() == {
        "primary": CircuitState.OPEN,
        "secondary": CircuitState.CLOSED,
        "tertiary": CircuitState.CLOSED,
    }

    for _ in range(3):  # Skipped without being called.
        response = await h.gateway.generate("chat", request())
        assert (response.deployment, response.fallback_index, response.attempts) == (
            "secondary",
            1,
            1,
        )
    assert len(primary.requests) == 2
    assert len(h.clients["secondary"].requests) == 5
    assert [a.deployment for a in h.attempts].count("primary") == 2  # Refusals cost nothing.

    clock.advance(29.0)
    assert h.gateway.circuit_states()["primary"] is CircuitState.OPEN
    clock.advance(1.0)
    assert h.gateway.circuit_states()["primary"] is CircuitState.HALF_OPEN

    response = await h.gateway.generate("chat", request())  # The probe succeeds.
    assert (response.deployment, response.fallback_index) == ("primary", 0)
    assert len(primary.requests) == 3
    assert h.gateway.circuit_states()["primary"] is CircuitState.CLOSED


async def test_failed_probe_reopens_the_circuit() -> None:
    clock = FakeClock()
    policy = CircuitBreakerPolicy(minimum_calls=1, failure_rate=1.0, open_seconds=10.0)
    deployments = default_deployments(retry=RetryPolicy(max_attempts=1), circuit_breaker=policy)
    h = make_gateway(deployments=deployments, clock=clock)
    h.clients["primary"].queue(UnavailableError("503"), UnavailableError("503 again"))

    await h.gateway.generate("chat", request())
    assert h.gateway.circuit_states()["primary"] is CircuitState.OPEN
    clock.advance(10.0)
    response = await h.gateway.generate("chat", request())  # Probe fails, falls back.
    assert response.deployment == "secondary"
    assert h.gateway.circuit_states()["primary"] is CircuitState.OPEN
    await h.gateway.generate("chat", request())
    assert len(h.clients["primary"].requests) == 2


async def test_every_circuit_open_raises_circuit_open() -> None:
    policy = CircuitBreakerPolicy(minimum_calls=1, failure_rate=1.0)
    deployments = default_deployments(retry=RetryPolicy(max_attempts=1), circuit_breaker=policy)
    h = make_gateway(deployments=deployments, clock=FakeClock())
    h.clients["tertiary"].queue(UnavailableError("503"))
    with pytest.raises(UnavailableError):
        await h.gateway.generate("cheap", request())

    with pytest.raises(CircuitOpenError, match="'tertiary'"):
        await h.gateway.generate("cheap", request())

    assert len(h.clients["tertiary"].requests) == 1
    assert len(h.attempts) == 1


async def test_non_retryable_errors_do_not_open_the_circuit() -> None:
    policy = CircuitBreakerPolicy(minimum_calls=2, failure_rate=0.5)
    h = make_gateway(deployments=default_deployments(circuit_breaker=policy), clock=FakeClock())
    h.clients["primary"].queue(*[BadRequestError("bad")] * 4)
    for _ in range(4):
        with pytest.raises(BadRequestError):
            await h.gateway.generate("chat", request())
    assert h.gateway.circuit_states()["primary"] is CircuitState.CLOSED


async def test_total_timeout_raises_model_timeout() -> None:
    timeouts = TimeoutPolicy(total_seconds=0.02)
    deployments = default_deployments(retry=RetryPolicy(max_attempts=2), timeouts=timeouts)
    h = make_gateway(deployments=deployments)
    h.clients["tertiary"].queue(
        FakeReply(text="late", latency_seconds=30.0), FakeReply(text="late", latency_seconds=30.0)
    )

    with pytest.raises(ModelTimeoutError, match=r"total timeout of 0\.02s"):
        await h.gateway.generate("cheap", request())

    assert h.outcomes() == [("tertiary", 1, "timeout"), ("tertiary", 2, "timeout")]
    assert h.sleep.delays == [0.375]


async def test_total_timeout_is_retried_then_falls_back() -> None:
    timeouts = TimeoutPolicy(total_seconds=0.02)
    deployments = default_deployments(retry=RetryPolicy(max_attempts=2), timeouts=timeouts)
    h = make_gateway(deployments=deployments)
    h.clients["primary"].queue(FakeReply(latency_seconds=30.0), FakeReply(latency_seconds=30.0))

    response = await h.gateway.generate("chat", request("fast"))

    assert (response.text, response.deployment, response.attempts) == ("echo: fast", "secondary", 3)


async def test_invalid_output_is_repaired_with_the_bad_output_and_the_problem() -> None:
    h = make_gateway()
    original = request("classify this")
    h.clients["primary"].queue(
        UnavailableError("upstream exploded: conn reset"),
        '{"label": "maybe", "confidence": 0.5}',
        UnavailableError("upstream exploded again"),
        VALID,
    )

    response = await h.gateway.generate("chat", original, output_model=Verdict)

    assert response.parsed == Verdict(label="spam", confidence=0.9)
    assert response.text == VALID
    assert (response.attempts, response.fallback_index) == (4, 0)
    assert h.outcomes() == [
        ("primary", 1, "unavailable"),
        ("primary", 2, "invalid_output"),
        ("primary", 3, "unavailable"),
        ("primary", 4, "ok"),
    ]
    sent = h.clients["primary"].requests
    assert sent[0] == original
    assert sent[1] == original  # The transport error is retried with the same request.
    assert sent[2] == sent[3]  # The repair request, sent again after the transport error.
    repair = sent[3].messages
    assert repair[:1] == original.messages
    assert repair[1] == Message(role="assistant", content='{"label": "maybe", "confidence": 0.5}')
    assert repair[2].role == "user"
    assert "label: Input should be 'spam' or 'ham'" in repair[2].content
    assert len(repair) == 3
    for sent_request in sent:
        for message in sent_request.messages:
            assert "exploded" not in message.content
            assert "503" not in message.content


async def test_fenced_output_is_accepted_without_repair() -> None:
    h = make_gateway()
    h.clients["primary"].queue(f"```json\n{VALID}\n```")
    response = await h.gateway.generate("chat", request(), output_model=Verdict)
    assert response.parsed == Verdict(label="spam", confidence=0.9)
    assert response.attempts == 1


async def test_invalid_output_beyond_repair_attempts_falls_back() -> None:
    h = make_gateway()
    original = request("classify this")
    h.clients["primary"].queue("not json", '{"label": "spam"}', VALID)
    h.clients["secondary"].queue('{"label": "ham", "confidence": 0.1}')

    response = await h.gateway.generate("chat", original, output_model=Verdict)

    assert response.parsed == Verdict(label="ham", confidence=0.1)
    assert (response.deployment, response.fallback_index, response.attempts) == ("secondary", 1, 3)
    assert h.outcomes() == [
        ("primary", 1, "invalid_output"),
        ("primary", 2, "invalid_output"),
        ("secondary", 3, "ok"),
    ]
    assert len(h.clients["primary"].requests) == 2  # One repair (repair_attempts=1).
    assert h.clients["secondary"].requests == [original]  # Fresh start, no repair history.
    assert h.sleep.delays == []


async def test_no_repair_when_repair_attempts_is_zero() -> None:
    aliases = {"chat": AliasConfig(deployments=("primary", "secondary"), repair_attempts=0)}
    h = make_gateway(aliases=aliases)
    h.clients["primary"].queue("not json")
    h.clients["secondary"].queue("also not json")

    with pytest.raises(InvalidOutputError, match=r"\(root\): Invalid JSON"):
        await h.gateway.generate("chat", request(), output_model=Verdict)

    assert h.outcomes() == [("primary", 1, "invalid_output"), ("secondary", 2, "invalid_output")]


async def test_global_daily_budget_spent_rejects_before_any_call() -> None:
    h = make_gateway(daily_budget_usd=0.0005)
    h.clients["primary"].queue(FakeReply(text="pricey", usage=usage(100, 50)))  # $0.0007

    assert (await h.gateway.generate("chat", request())).cost_usd == Decimal("0.0007")
    assert h.recorder.ledger.spent() == Decimal("0.0007")

    with pytest.raises(BudgetExceededError, match=r"daily model budget of \$0.0005"):
        await h.gateway.generate("chat", request())
    with pytest.raises(BudgetExceededError):
        await h.gateway.generate("cheap", request())

    assert [len(c.requests) for c in h.clients.values()] == [1, 0, 0]
    assert len(h.attempts) == 1


async def test_spend_already_in_the_shared_ledger_counts_too() -> None:
    """Another worker's spend, in the ledger they share, counts against this one's budget."""
    ledger = MemorySpendLedger()
    scopes = [SpendLimit("global", None), SpendLimit("alias:cheap", None)]
    assert await ledger.reserve(utc_today(), Decimal("1.00"), scopes) is None
    h = make_gateway(daily_budget_usd=1.0, ledger=ledger)

    with pytest.raises(BudgetExceededError):
        await h.gateway.generate("chat", request())

    assert [len(c.requests) for c in h.clients.values()] == [0, 0, 0]
    assert h.attempts == []


async def test_alias_over_budget_hands_over_to_the_cheaper_alias() -> None:
    aliases = {
        "chat": AliasConfig(
            deployments=("primary", "secondary"), daily_budget_usd=0.0005, over_budget_alias="cheap"
        ),
        "cheap": AliasConfig(deployments=("tertiary",)),
    }
    h = make_gateway(aliases=aliases)
    h.clients["primary"].queue(FakeReply(text="pricey", usage=usage(100, 50)))
    h.clients["tertiary"].queue(FakeReply(text="thrifty", usage=usage(100, 50)))

    first = await h.gateway.generate("chat", request())
    second = await h.gateway.generate("chat", request())

    assert (first.alias, first.deployment) == ("chat", "primary")
    assert (second.alias, second.deployment, second.text) == ("cheap", "tertiary", "thrifty")
    assert second.cost_usd == Decimal("0.000125")  # (100 * 0.5 + 50 * 1.5) / 1e6
    assert [a.alias for a in h.attempts] == ["chat", "cheap"]
    assert h.recorder.ledger.spent("chat") == Decimal("0.0007")
    assert h.recorder.ledger.spent("cheap") == Decimal("0.000125")


async def test_alias_over_budget_without_a_cheaper_alias_is_refused() -> None:
    aliases = {
        "chat": AliasConfig(deployments=("primary",), daily_budget_usd=0.0005),
        "cheap": AliasConfig(deployments=("tertiary",)),
    }
    h = make_gateway(aliases=aliases)
    h.clients["primary"].queue(FakeReply(text="pricey", usage=usage(100, 50)))
    await h.gateway.generate("chat", request())

    with pytest.raises(BudgetExceededError, match="alias 'chat'"):
        await h.gateway.generate("chat", request())
    assert (await h.gateway.generate("cheap", request("x"))).text == "echo: x"
    assert len(h.clients["primary"].requests) == 1


async def test_budget_spent_mid_call_stops_the_retries() -> None:
    h = make_gateway(daily_budget_usd=0.0005)
    h.clients["primary"].queue(FakeReply(text="nope", usage=usage(100, 50)), VALID)

    with pytest.raises(BudgetExceededError):  # The repair would go over the budget.
        await h.gateway.generate("chat", request(), output_model=Verdict)

    assert len(h.clients["primary"].requests) == 1
    assert h.outcomes() == [("primary", 1, "invalid_output")]


async def test_every_attempt_is_accounted_once_with_its_tokens_and_cost() -> None:
    h = make_gateway()
    original = ModelRequest(
        messages=(Message(role="user", content="classify"),),
        prompt=PromptRef(name="classify", version="3"),
    )
    h.clients["primary"].queue(
        UnavailableError("503"),
        FakeReply(text="nope", usage=usage(1000, 200)),
        FakeReply(text="still nope", usage=usage(1300, 150)),
    )
    h.clients["secondary"].queue(
        RateLimitedError("429", retry_after=1.0),
        FakeReply(text=VALID, usage=usage(900, 40)),
    )

    response = await h.gateway.generate("chat", original, output_model=Verdict, task="triage")

    expected = [
        ("primary", "fake-a", 1, "unavailable", usage(0, 0)),
        ("primary", "fake-a", 2, "invalid_output", usage(1000, 200)),
        ("primary", "fake-a", 3, "invalid_output", usage(1300, 150)),
        ("secondary", "fake-b", 4, "rate_limited", usage(0, 0)),
        ("secondary", "fake-b", 5, "ok", usage(900, 40)),
    ]
    assert [
        (a.deployment, a.served_model, a.attempt, a.outcome, usage(a.input_tokens, a.output_tokens))
        for a in h.attempts
    ] == expected
    assert [a.cost_usd for a in h.attempts] == [
        Decimal(0),
        Decimal("0.004"),  # (1000 * 2 + 200 * 10) / 1e6
        Decimal("0.0041"),  # (1300 * 2 + 150 * 10) / 1e6
        Decimal(0),
        Decimal("0.00106"),  # (900 * 1 + 40 * 4) / 1e6
    ]
    assert [a.cost_usd for a in h.attempts] == [cost_of(e[1], e[4]) for e in expected]
    assert len({a.call_id for a in h.attempts}) == 1
    assert {(a.alias, a.task, a.prompt_version) for a in h.attempts} == {
        ("chat", "triage", "classify@3")
    }
    assert response.attempts == 5
    assert response.usage == usage(3200, 390)
    assert response.cost_usd == Decimal("0.00916")
    assert h.recorder.ledger.spent("chat") == Decimal("0.00916")
    assert h.sleep.delays == [0.375, 1.0]


async def test_separate_calls_get_separate_call_ids_and_totals() -> None:
    h = make_gateway()
    h.clients["primary"].queue(
        FakeReply(text="a", usage=usage(10, 10)), FakeReply(text="b", usage=usage(20, 20))
    )
    first = await h.gateway.generate("chat", request())
    second = await h.gateway.generate("chat", request())
    assert (first.usage, second.usage) == (usage(10, 10), usage(20, 20))
    assert (first.attempts, second.attempts) == (1, 1)
    assert len({a.call_id for a in h.attempts}) == 2
    assert [a.attempt for a in h.attempts] == [1, 1]


async def test_concurrent_calls_get_independent_results() -> None:
    """50 calls at once, with every kind of path; none sees another's replies or attempts."""
    deployments = default_deployments(circuit_breaker=CircuitBreakerPolicy(minimum_calls=1000))
    h = make_gateway(deployments=deployments)
    seen: Counter[str] = Counter()

    def primary(req: ModelRequest) -> FakeReply:
        text = req.messages[-1].content
        seen[text] += 1
        if text.startswith("bad"):
            return FakeReply(error=BadRequestError(f"rejected {text}"))
        if text.startswith("down"):
            return FakeReply(error=UnavailableError("503"))
        if text.startswith("flaky") and seen[text] == 1:
            return FakeReply(error=RateLimitedError("429"))
        return FakeReply(text=f"primary: {text}", usage=usage(10, len(text)))

    h.clients["primary"].responder = primary
    h.clients["secondary"].responder = lambda req: f"secondary: {req.messages[-1].content}"
    for client in h.clients.values():
        client.latency_seconds = 0.001  # Only so that calls interleave; nothing is timed.

    kinds = ("bad", "down", "flaky", "fine", "fine")
    texts = [f"{kinds[i % 5]}-{i}" for i in range(50)]
    expected_attempts = {"bad": 1, "down": 4, "flaky": 2, "fine": 1}

    results = await asyncio.gather(
        *(h.gateway.generate("chat", request(text)) for text in texts), return_exceptions=True
    )

    for text, result in zip(texts, results, strict=True):
        kind = text.split("-")[0]
        if kind == "bad":
            assert isinstance(result, BadRequestError)
            assert result.message == f"rejected {text}"
            continue
        assert not isinstance(result, BaseException), (text, result)
        assert result.attempts == expected_attempts[kind]
        if kind == "down":
            assert (result.text, result.fallback_index) == (f"secondary: {text}", 1)
        else:
            assert (result.text, result.fallback_index) == (f"primary: {text}", 0)
            assert result.usage == usage(10, len(text))
    assert len(h.attempts) == sum(expected_attempts[t.split("-")[0]] for t in texts) == 90
    for call_id in {a.call_id for a in h.attempts}:
        numbers = [a.attempt for a in h.attempts if a.call_id == call_id]
        assert numbers == list(range(1, len(numbers) + 1))
    assert Counter(a.outcome for a in h.attempts) == Counter(
        {"ok": 40, "unavailable": 30, "bad_request": 10, "rate_limited": 10}
    )


async def test_unknown_alias_is_rejected() -> None:
    h = make_gateway()
    with pytest.raises(UnknownAliasError, match="'nope'"):
        await h.gateway.generate("nope", request())
    assert h.attempts == []
