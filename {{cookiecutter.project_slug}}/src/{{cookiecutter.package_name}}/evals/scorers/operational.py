"""Scorers of how the answer was obtained rather than what it says: validity, time and cost."""

from __future__ import annotations

from pydantic import Field

from .scorer import NoOptions, Observation, Score, scorer


@scorer("output_valid")
def output_valid(observation: Observation, _options: NoOptions) -> Score:
    """1 when the answer validated against the task's output model (after the gateway's repairs)."""
    return Score.of(observation.output is not None, observation.invalid_output or "")


class LatencyOptions(NoOptions):
    max_ms: float = Field(gt=0)


@scorer("latency", options=LatencyOptions)
def latency(observation: Observation, options: LatencyOptions) -> Score:
    """1 when the case took at most `max_ms` milliseconds."""
    return Score.of(observation.latency_ms <= options.max_ms, f"{observation.latency_ms:.1f} ms")


class CostOptions(NoOptions):
    max_usd: float = Field(gt=0)


@scorer("cost", options=CostOptions)
def cost(observation: Observation, options: CostOptions) -> Score:
    """1 when the case cost at most `max_usd`, every attempt and repair included."""
    return Score.of(observation.cost_usd <= options.max_usd, f"${observation.cost_usd:.6f}")
