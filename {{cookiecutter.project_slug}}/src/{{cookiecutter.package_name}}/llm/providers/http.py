"""What the HTTP adapters share: the connection pool, error mapping, Retry-After and SSE reading.

Every message built here is safe to log: the provider name, the HTTP status and a sanitized
upstream error type or code, never a key, a prompt or an upstream response body.
"""

from __future__ import annotations

import json
import math
from collections.abc import AsyncGenerator, AsyncIterator, Callable, Iterator, Mapping
from contextlib import aclosing, asynccontextmanager, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import aiohttp
import httpx
import orjson

# httpx-sse over a hand-written parser: it follows the SSE spec (CR/LF variants, multi-line
# data, keep-alive comments, events split across reads) and is small, typed and maintained.
from httpx_aiohttp import AiohttpTransport
from httpx_sse import EventSource, ServerSentEvent

from ...observability.model_spans import inject_trace_context, trace_headers
from ..config import DeploymentConfig
from ..errors import (
    AuthError,
    BadRequestError,
    ContextTooLongError,
    ModelError,
    ModelTimeoutError,
    RateLimitedError,
    UnavailableError,
)
from ..types import GenerationParameters

# Idle connections are kept as long as the pool allows: re-opening TLS per call is slow.
KEEPALIVE_EXPIRY_SECONDS = 30.0
OTHER_CODE = "other"
# The error types and codes OpenAI, Anthropic and the common compatible servers document.
KNOWN_ERROR_CODES = frozenset(
    {
        "api_error",
        "authentication_error",
        "billing_error",
        "content_filter",
        "content_policy_violation",
        "context_length_exceeded",
        "insufficient_quota",
        "invalid_api_key",
        "invalid_request_error",
        "model_not_found",
        "not_found_error",
        "overloaded_error",
        "permission_error",
        "rate_limit_error",
        "rate_limit_exceeded",
        "request_too_large",
        "server_error",
        "service_unavailable",
        "string_above_max_length",
        "timeout_error",
    }
)
# Bounds on what an upstream can make this process hold: an answer, a whole stream, an error.
MAX_RESPONSE_BYTES = 16 * 1024 * 1024
MAX_STREAM_BYTES = 16 * 1024 * 1024
MAX_ERROR_BODY_BYTES = 64 * 1024
MAX_RETRY_AFTER_SECONDS = 86_400.0


@dataclass(frozen=True)
class ProviderHTTP:
    """One deployment's connection pool, and the two ways the adapters use it.

    Plain calls go straight to aiohttp: through httpx's API they cost about four times the CPU
    (300 against 75 us a call, measured; see docs/performance.md). Streams keep httpx's API on
    the same pool, for httpx-sse. aiohttp's pool rather than httpcore's: httpcore rescans every
    connection on each request, which collapsed one worker to 40 requests/s at 500 concurrent
    calls (see docs/decisions.md).
    """

    session: aiohttp.ClientSession | None  # None: plain calls through `streams` too (tests).
    streams: httpx.AsyncClient
    base_url: str
    timeout: aiohttp.ClientTimeout

    async def aclose(self) -> None:
        await self.streams.aclose()  # Closes the shared aiohttp session too.


def build_http_client(
    deployment: DeploymentConfig, *, base_url: str, headers: Mapping[str, str]
) -> ProviderHTTP:
    """One pooled client per deployment; the read timeout bounds the wait for the first (and
    each) byte."""
    timeouts = deployment.timeouts
    connector = aiohttp.TCPConnector(
        limit=deployment.max_connections, keepalive_timeout=KEEPALIVE_EXPIRY_SECONDS
    )
    # Bodies are encoded with orjson (`content=`), a third of the cost of httpx's `json=`.
    all_headers = {"content-type": "application/json", **headers}
    session = aiohttp.ClientSession(
        connector=connector, headers=all_headers, timeout=aiohttp.ClientTimeout(total=None)
    )
    streams = httpx.AsyncClient(
        base_url=base_url,
        headers=all_headers,
        timeout=httpx.Timeout(
            connect=timeouts.connect_seconds,
            read=timeouts.first_token_seconds,
            write=timeouts.connect_seconds,
            pool=timeouts.connect_seconds,
        ),
        transport=AiohttpTransport(client=session),
        # Redirects from a model API are unexpected; following one could leak the key.
        follow_redirects=False,
        # W3C traceparent on every provider call while tracing is on (a no-op when off).
        event_hooks={"request": [inject_trace_context]},
    )
    timeout = aiohttp.ClientTimeout(
        total=None,
        connect=timeouts.connect_seconds,  # A connection from the pool, or a new one.
        sock_connect=timeouts.connect_seconds,
        sock_read=timeouts.first_token_seconds,
    )
    return ProviderHTTP(session, streams, base_url.rstrip("/"), timeout)


def merge_parameters(
    base: GenerationParameters, override: GenerationParameters
) -> GenerationParameters:
    """The deployment's defaults with the request's values on top (the request wins)."""
    return GenerationParameters(
        max_tokens=override.max_tokens if override.max_tokens is not None else base.max_tokens,
        temperature=override.temperature if override.temperature is not None else base.temperature,
        top_p=override.top_p if override.top_p is not None else base.top_p,
        stop=override.stop or base.stop,
    )


def safe_code(code: object) -> str | None:
    """An upstream error type or code as one of the known codes, `other`, or None.

    Only names from a fixed list leave the process: an upstream's own text can carry anything,
    a key it echoed included, and this label reaches logs, API problems and eval reports.
    """
    if code is None or isinstance(code, bool) or code == "":
        return None
    text = str(code)
    if text in KNOWN_ERROR_CODES or (text.isascii() and text.isdigit() and len(text) == 3):
        return text
    return OTHER_CODE


def describe(provider: str, status: int | None, code: object = None) -> str:
    parts = [provider, str(status) if status is not None else "stream error", safe_code(code)]
    return " ".join(part for part in parts if part)


def error_for_status(
    provider: str, status: int, code: object = None, *, retry_after: float | None = None
) -> ModelError:
    """The error an HTTP status means; adapters special-case provider codes before this."""
    message = describe(provider, status, code)
    error_type: type[ModelError]
    if status == 429:
        return RateLimitedError(message, retry_after=retry_after)
    if status in (401, 403):
        error_type = AuthError
    elif status in (408, 504):
        error_type = ModelTimeoutError
    elif status == 413:
        error_type = ContextTooLongError
    elif status >= 500:
        error_type = UnavailableError
    else:
        error_type = BadRequestError
    return error_type(message, retry_after=retry_after if error_type.retryable else None)


def parse_retry_after(headers: Mapping[str, str], now: datetime | None = None) -> float | None:
    """Seconds to wait, from `retry-after-ms`, or `Retry-After` as seconds or an HTTP-date.

    Total: any header text gives a number in [0, MAX_RETRY_AFTER_SECONDS] or None.
    """
    milliseconds = _bounded_seconds(headers.get("retry-after-ms"), scale=1000.0)
    if milliseconds is not None:
        return milliseconds
    value = headers.get("retry-after")
    if value is None:
        return None
    seconds = _bounded_seconds(value, scale=1.0)
    if seconds is not None:
        return seconds
    try:
        moment = parsedate_to_datetime(value)
        if moment.tzinfo is None:  # An HTTP-date is GMT by definition.
            moment = moment.replace(tzinfo=UTC)
        delta = (moment - (now or datetime.now(UTC))).total_seconds()
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return _bounded_seconds(str(delta), scale=1.0)


def _bounded_seconds(value: str | None, *, scale: float) -> float | None:
    if value is None:
        return None
    try:
        seconds = float(value) / scale
    except (ValueError, OverflowError):
        return None
    if not math.isfinite(seconds):
        return None
    return min(max(seconds, 0.0), MAX_RETRY_AFTER_SECONDS)


@contextmanager
def transport_errors(provider: str) -> Iterator[None]:
    """Turn httpx's and aiohttp's failures into model errors; only the exception's class name
    is kept."""
    try:
        yield
    # Timed out, refused, reset, cut mid-stream, not SSE, ... The gateway's own total timeout
    # is a cancellation in here, never a TimeoutError.
    except (httpx.HTTPError, aiohttp.ClientError, TimeoutError) as exc:
        if is_timeout(exc):
            msg = f"{provider} timed out ({type(exc).__name__})"
            raise ModelTimeoutError(msg) from None
        msg = f"{provider} unreachable ({type(exc).__name__})"
        raise UnavailableError(msg) from None


def is_timeout(exc: httpx.HTTPError | aiohttp.ClientError | TimeoutError) -> bool:
    if not isinstance(exc, httpx.HTTPError):
        return isinstance(exc, TimeoutError)
    # httpx-aiohttp reports every aiohttp connection error as httpx.ConnectTimeout, a refused
    # connection included, so aiohttp's own exception decides when there is one.
    cause = exc.__cause__
    if isinstance(cause, aiohttp.ClientError):
        return isinstance(cause, TimeoutError)
    return isinstance(exc, httpx.TimeoutException)


@dataclass(frozen=True)
class UpstreamError:
    """What an upstream error body says, for classifying it; `detail` is never put in a message."""

    type: str | None = None
    code: str | None = None
    detail: str = ""


def parse_error_payload(payload: object) -> UpstreamError:
    """Reads `{"error": {"type", "code", "message"}}` (OpenAI, Anthropic) and common variants."""
    if not isinstance(payload, dict):
        return UpstreamError()
    error = payload.get("error", payload)
    if isinstance(error, str):  # Ollama and some proxies: {"error": "model not found"}
        return UpstreamError(detail=error.lower())
    if not isinstance(error, dict):
        return UpstreamError()
    kind, code, detail = error.get("type"), error.get("code"), error.get("message")
    return UpstreamError(
        type=kind if isinstance(kind, str) else None,
        code=str(code) if isinstance(code, str | int) and not isinstance(code, bool) else None,
        detail=detail.lower() if isinstance(detail, str) else "",
    )


def upstream_error(body: bytes) -> UpstreamError:
    """The error body of a failed call; one that is not JSON classifies by status alone."""
    try:
        return parse_error_payload(json.loads(body))
    except (ValueError, RecursionError):
        return UpstreamError()


async def read_error(response: httpx.Response) -> UpstreamError:
    """The error body of a failed stream; one too long classifies by status alone."""
    try:
        return upstream_error(await read_capped(response, MAX_ERROR_BODY_BYTES, "error"))
    except ModelError:
        return UpstreamError()


async def read_capped(response: httpx.Response, limit: int, what: str = "response") -> bytes:
    """The (decoded) body, or an `UnavailableError` as soon as it passes `limit` bytes."""
    chunks: list[bytes] = []
    total = 0
    async for chunk in response.aiter_bytes():
        total += len(chunk)
        if total > limit:
            raise too_large(what, limit)
        chunks.append(chunk)
    return b"".join(chunks)


async def read_body(response: aiohttp.ClientResponse, limit: int, what: str = "response") -> bytes:
    """`read_capped` for a plain call's (decoded) aiohttp response."""
    chunks: list[bytes] = []
    total = 0
    async for chunk in response.content.iter_any():
        total += len(chunk)
        if total > limit:
            raise too_large(what, limit)
        chunks.append(chunk)
    return b"".join(chunks)


def too_large(what: str, limit: int) -> UnavailableError:
    return UnavailableError(f"upstream {what} larger than {limit} bytes")


class CappedStream(httpx.AsyncByteStream):
    """A response's byte stream that fails once it has delivered more than `limit` bytes."""

    def __init__(self, stream: httpx.AsyncByteStream, limit: int) -> None:
        self._stream = stream
        self._limit = limit

    async def __aiter__(self) -> AsyncIterator[bytes]:
        total = 0
        async for chunk in self._stream:
            total += len(chunk)
            if total > self._limit:
                raise too_large("stream", self._limit)
            yield chunk

    async def aclose(self) -> None:
        await self._stream.aclose()


def unexpected_response(provider: str) -> UnavailableError:
    """A 2xx answer the adapter cannot read: a broken proxy or server, worth another try."""
    return UnavailableError(f"{provider} sent an unreadable response")


def aiter_sse(response: httpx.Response) -> AsyncGenerator[ServerSentEvent]:
    """The events of a streamed response; raises a TransportError when it is not SSE."""
    return EventSource(response).aiter_sse()


Classify = Callable[[UpstreamError, int | None, float | None], ModelError]
SSE_HEADERS = {"accept": "text/event-stream"}


async def post_json(
    http: ProviderHTTP, path: str, body: dict[str, Any], classify: Classify
) -> bytes:
    """POST a JSON body and read the answer (bounded); an error status raises the error the
    adapter's `classify` maps it to."""
    if http.session is None:
        async with http.streams.stream("POST", path, content=orjson.dumps(body)) as reply:
            if reply.is_error:
                retry_after = parse_retry_after(reply.headers)
                raise classify(await read_error(reply), reply.status_code, retry_after)
            return await read_capped(reply, MAX_RESPONSE_BYTES)
    async with http.session.post(
        http.base_url + path,
        data=orjson.dumps(body),
        headers=trace_headers(),
        timeout=http.timeout,
        allow_redirects=False,  # Following one could leak the key.
    ) as response:
        if response.status >= 400:
            retry_after = parse_retry_after(response.headers)
            try:
                error = upstream_error(await read_body(response, MAX_ERROR_BODY_BYTES, "error"))
            except ModelError:
                error = UpstreamError()
            raise classify(error, response.status, retry_after)
        return await read_body(response, MAX_RESPONSE_BYTES)


@asynccontextmanager
async def open_sse(
    http: ProviderHTTP, path: str, body: dict[str, Any], classify: Classify
) -> AsyncIterator[AsyncGenerator[ServerSentEvent]]:
    """POST a JSON body and iterate the answer's server-sent events; closed on exit."""
    async with http.streams.stream(
        "POST", path, content=orjson.dumps(body), headers=SSE_HEADERS
    ) as response:
        if response.is_error:
            retry_after = parse_retry_after(response.headers)
            raise classify(await read_error(response), response.status_code, retry_after)
        if isinstance(response.stream, httpx.AsyncByteStream):
            response.stream = CappedStream(response.stream, MAX_STREAM_BYTES)
        async with aclosing(aiter_sse(response)) as events:
            yield events
