"""Every Prometheus instrument of the service, and the functions other packages call to feed them.

Labels are route templates, configured names (alias, deployment, suite, limit) and fixed
sets (outcome, status class): never a raw path or anything a client chooses, so a scan of
random URLs cannot grow the series count. In multiprocess mode (several uvicorn workers,
see exposition.py) each gauge says how the workers' values combine.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Protocol

from prometheus_client import Counter, Gauge, Histogram

from . import genai_conventions as semconv

HTTP_SECONDS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
MODEL_SECONDS = (0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0)
FIRST_CHUNK_SECONDS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
# The GenAI conventions' advised token buckets (powers of 4).
TOKEN_BUCKETS = tuple(float(4**power) for power in range(13))
CIRCUIT_STATE_VALUES = {"closed": 0, "half_open": 1, "open": 2}

http_duration = Histogram(
    semconv.prometheus_name("http.server.request.duration", "seconds"),
    "Time to serve an HTTP request, until its last body byte was sent; its _count is the "
    "number of requests (no separate counter: one instrument less per request).",
    ["method", "route", "status_class"],
    buckets=HTTP_SECONDS,
)
# The route is known only once routing ran, so requests in flight are counted per method.
http_in_flight = Gauge(
    "http_server_active_requests",
    "HTTP requests being served now.",
    ["method"],
    multiprocess_mode="livesum",
)

model_duration = Histogram(
    semconv.prometheus_name(semconv.OPERATION_DURATION, "seconds"),
    "Duration of one model attempt (GenAI client operation), by outcome.",
    ["alias", "deployment", "outcome"],
    buckets=MODEL_SECONDS,
)
token_usage = Histogram(
    semconv.prometheus_name(semconv.TOKEN_USAGE),
    "Tokens used per model attempt, by token type.",
    ["alias", "deployment", semconv.prometheus_label(semconv.TOKEN_TYPE)],
    buckets=TOKEN_BUCKETS,
)
first_chunk = Histogram(
    semconv.prometheus_name(semconv.TIME_TO_FIRST_CHUNK, "seconds"),
    "Time from the start of a streamed model attempt to its first text.",
    ["alias", "deployment"],
    buckets=FIRST_CHUNK_SECONDS,
)
model_cost = Counter(
    "model_cost_usd", "Model spend in US dollars, from the price table.", ["alias", "deployment"]
)
model_fallbacks = Counter(
    "model_fallbacks",
    "Calls handed from a deployment to the next one of its alias, by the error that did it.",
    ["alias", "deployment", "error_type"],
)
circuit_state = Gauge(
    "model_circuit_state",
    "Circuit breaker per deployment: 0 closed, 1 half-open, 2 open (the worst worker's).",
    ["deployment"],
    multiprocess_mode="livemax",
)
budget_remaining = Gauge(
    "model_budget_remaining_usd",
    "Daily model budget left, per alias or `all` (the lowest any worker sees).",
    ["scope"],
    multiprocess_mode="livemin",
)
budget_limit = Gauge(
    "model_budget_limit_usd",
    "Daily model budget, per alias or `all`.",
    ["scope"],
    multiprocess_mode="livemax",
)
rate_limit_rejections = Counter(
    "rate_limit_rejections", "Requests refused by a rate limit, by the limit's name.", ["limit"]
)
recorder_queue_depth = Gauge(
    "inference_recorder_queue_depth",
    "Inference records waiting to be written to the database.",
    multiprocess_mode="livesum",
)
recorder_set_aside = Gauge(
    "inference_recorder_set_aside_rows",
    "Inference records the recorder could not write and set aside for a later retry.",
    multiprocess_mode="livesum",
)
eval_pass_rate = Gauge(
    "eval_pass_rate",
    "Pass rate of the latest eval run of each suite for the active model config.",
    ["suite"],
    multiprocess_mode="livemax",
)


class AttemptView(Protocol):
    """What a recorded model attempt tells (llm.accounting.Attempt has these fields)."""

    @property
    def alias(self) -> str: ...
    @property
    def deployment(self) -> str: ...
    @property
    def served_model(self) -> str: ...
    @property
    def outcome(self) -> str: ...
    @property
    def input_tokens(self) -> int: ...
    @property
    def output_tokens(self) -> int: ...
    @property
    def cost_usd(self) -> Decimal: ...
    @property
    def latency_ms(self) -> float: ...


def count_model_attempt(attempt: AttemptView) -> None:
    alias, deployment = attempt.alias, attempt.deployment
    model_duration.labels(alias, deployment, attempt.outcome).observe(attempt.latency_ms / 1000)
    if attempt.input_tokens:
        token_usage.labels(alias, deployment, semconv.TOKEN_TYPE_INPUT).observe(
            attempt.input_tokens
        )
    if attempt.output_tokens:
        token_usage.labels(alias, deployment, semconv.TOKEN_TYPE_OUTPUT).observe(
            attempt.output_tokens
        )
    if attempt.cost_usd:
        model_cost.labels(alias, deployment).inc(float(attempt.cost_usd))


def count_first_chunk(alias: str, deployment: str, seconds: float) -> None:
    first_chunk.labels(alias, deployment).observe(seconds)


def count_fallback(alias: str, deployment: str, error_type: str) -> None:
    model_fallbacks.labels(alias, deployment, error_type).inc()


def count_rate_limit_rejection(limit: str) -> None:
    """`limit` is the configured limit's name (e.g. `per_key`), never the caller's key."""
    rate_limit_rejections.labels(limit).inc()


def set_circuit_states(states: Mapping[str, str]) -> None:
    for deployment, state in states.items():
        circuit_state.labels(deployment).set(CIRCUIT_STATE_VALUES[str(state)])


def set_budget(scope: str, limit_usd: Decimal, remaining_usd: Decimal) -> None:
    budget_limit.labels(scope).set(float(limit_usd))
    budget_remaining.labels(scope).set(float(max(remaining_usd, Decimal(0))))


def set_recorder_queue_depth(rows: int) -> None:
    recorder_queue_depth.set(rows)


def set_recorder_set_aside_rows(rows: int) -> None:
    recorder_set_aside.set(rows)


def set_eval_pass_rate(suite: str, rate: float) -> None:
    eval_pass_rate.labels(suite).set(rate)
