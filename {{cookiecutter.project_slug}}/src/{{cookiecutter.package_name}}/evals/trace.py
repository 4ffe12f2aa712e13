"""What happened inside the gateway during one attempt of one case.

The gateway reports attempts to its recorder and asks its clients for completions; neither
knows about eval cases. A context variable, set by the runner around each attempt of a case,
lets the recorder and the replay and recording clients attribute what they see to that case.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from decimal import Decimal

from ..llm.accounting import Attempt, InferenceRecorder


@dataclass
class CaseTrace:
    case_id: str
    attempts: list[Attempt] = field(default_factory=list)
    # Replay answers in microseconds; the latency that counts is the one recorded with the answer.
    replayed_latency_ms: float = 0.0

    def cost(self) -> Decimal:
        return sum((attempt.cost_usd for attempt in self.attempts), Decimal(0))


_current_trace: ContextVar[CaseTrace | None] = ContextVar("eval_case_trace", default=None)


@contextmanager
def tracing(case_id: str) -> Iterator[CaseTrace]:
    trace = CaseTrace(case_id)
    token = _current_trace.set(trace)
    try:
        yield trace
    finally:
        _current_trace.reset(token)


def current_trace() -> CaseTrace | None:
    return _current_trace.get()


class TracingRecorder(InferenceRecorder):
    """Accounts like the service's recorder (without a database) and adds each attempt to the
    trace of the case that made it, so a case's cost includes failed and repaired attempts."""

    def record(self, attempt: Attempt) -> None:
        super().record(attempt)
        trace = current_trace()
        if trace is not None:
            trace.attempts.append(attempt)
