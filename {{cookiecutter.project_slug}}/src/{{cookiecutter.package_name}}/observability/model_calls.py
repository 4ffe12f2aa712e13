"""The one function the model gateway calls per attempt: metrics, then the span."""

from __future__ import annotations

from collections.abc import Sequence

from .metrics import AttemptView, count_model_attempt
from .model_spans import MessageView, record_attempt_span


def observe_model_attempt(
    attempt: AttemptView, messages: Sequence[MessageView] | None = None
) -> None:
    """`messages` reach the span only when APP_TRACE_CONTENT opts in (prompts may hold PII)."""
    count_model_attempt(attempt)
    record_attempt_span(attempt, messages)
