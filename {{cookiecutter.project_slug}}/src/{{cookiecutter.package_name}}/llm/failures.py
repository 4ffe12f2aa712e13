"""Any exception a model client raises becomes a typed `ModelError`, in one place.

A client is code we do not fully control (an adapter, an SDK, a scripted test double): a bug in
it, or an upstream answer it was not written for, must still end as a typed, recorded outcome
that the circuit breaker counts, never as a 500 or a stream cut without an error event.
"""

from __future__ import annotations

import structlog

from .errors import ModelError, ModelTimeoutError, UnavailableError


def model_error_from(raised: Exception, deployment: str, total_seconds: float) -> ModelError:
    """The typed error for what a client raised; an unexpected exception is logged in full."""
    if isinstance(raised, ModelError):
        return raised
    if isinstance(raised, TimeoutError):
        return ModelTimeoutError(f"no answer within the total timeout of {total_seconds}s")
    # Its text may hold anything an upstream sent: only the class name leaves the process.
    structlog.get_logger("llm").error("model_client_failed", deployment=deployment, exc_info=raised)
    return UnavailableError(f"model client failed ({type(raised).__name__})")
