"""The provider-neutral error taxonomy: every failed model call raises one of these.

Messages are safe to log and to show to API clients: they never hold a key, a prompt or an
upstream response body.
"""

from __future__ import annotations

from enum import StrEnum
from typing import ClassVar


class ErrorKind(StrEnum):
    RATE_LIMITED = "rate_limited"
    TIMEOUT = "timeout"
    UNAVAILABLE = "unavailable"
    CONTEXT_TOO_LONG = "context_too_long"
    CONTENT_FILTERED = "content_filtered"
    AUTH = "auth"
    BAD_REQUEST = "bad_request"
    INVALID_OUTPUT = "invalid_output"
    BUDGET_EXCEEDED = "budget_exceeded"
    BUDGET_UNAVAILABLE = "budget_unavailable"
    CIRCUIT_OPEN = "circuit_open"


class ModelError(Exception):
    kind: ClassVar[ErrorKind]
    retryable: ClassVar[bool] = False
    # The HTTP status an API returns when this is the final outcome of a call.
    http_status: ClassVar[int] = 502

    def __init__(self, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.retry_after = retry_after


class PassThroughError(Exception):
    """Raised by a client for the gateway's caller, not as a model failure (e.g. an eval
    replay's missing recording): the gateway lets it through, unrecorded and not retried."""


class RateLimitedError(ModelError):
    kind = ErrorKind.RATE_LIMITED
    retryable = True
    http_status = 503


class ModelTimeoutError(ModelError):
    kind = ErrorKind.TIMEOUT
    retryable = True
    http_status = 504


class UnavailableError(ModelError):
    kind = ErrorKind.UNAVAILABLE
    retryable = True
    http_status = 503


class ContextTooLongError(ModelError):
    kind = ErrorKind.CONTEXT_TOO_LONG


class ContentFilteredError(ModelError):
    kind = ErrorKind.CONTENT_FILTERED


class AuthError(ModelError):
    kind = ErrorKind.AUTH


class BadRequestError(ModelError):
    kind = ErrorKind.BAD_REQUEST


class InvalidOutputError(ModelError):
    kind = ErrorKind.INVALID_OUTPUT


class BudgetExceededError(ModelError):
    kind = ErrorKind.BUDGET_EXCEEDED
    http_status = 503


class BudgetUnavailableError(ModelError):
    """The shared spend ledger cannot be read or written: paid calls fail closed."""

    kind = ErrorKind.BUDGET_UNAVAILABLE
    http_status = 503


class CircuitOpenError(ModelError):
    kind = ErrorKind.CIRCUIT_OPEN
    http_status = 503


ERROR_BY_KIND: dict[ErrorKind, type[ModelError]] = {
    error.kind: error
    for error in (
        RateLimitedError,
        ModelTimeoutError,
        UnavailableError,
        ContextTooLongError,
        ContentFilteredError,
        AuthError,
        BadRequestError,
        InvalidOutputError,
        BudgetExceededError,
        BudgetUnavailableError,
        CircuitOpenError,
    )
}
