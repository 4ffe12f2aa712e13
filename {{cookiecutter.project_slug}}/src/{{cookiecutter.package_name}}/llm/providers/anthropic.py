"""Anthropic's Messages API: one HTTP attempt per call, every failure a `ModelError`.

Only the fields this adapter reads are modelled. `output_schema` is not sent: the gateway
validates the output, and the Messages API's own structured output is still a beta.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError

from ..config import DeploymentConfig
from ..errors import ContextTooLongError, ModelError, UnavailableError
from ..types import Completion, FinishReason, ModelRequest, ProviderStreamEvent, TextDelta, Usage
from .http import (
    UpstreamError,
    build_http_client,
    describe,
    error_for_status,
    merge_parameters,
    open_sse,
    parse_error_payload,
    post_json,
    transport_errors,
    unexpected_response,
)
from .wire import ModelId, TokenCount

PROVIDER = "anthropic"
DEFAULT_BASE_URL = "https://api.anthropic.com"
PATH = "/v1/messages"
API_VERSION = "2023-06-01"
DEFAULT_MAX_TOKENS = 1024  # The API requires max_tokens; this applies when nothing sets it.

STOP_REASONS = {
    "end_turn": FinishReason.STOP,
    "stop_sequence": FinishReason.STOP,
    "max_tokens": FinishReason.LENGTH,
    "refusal": FinishReason.CONTENT_FILTER,
    "tool_use": FinishReason.TOOL_CALLS,
}
# The status each documented error type comes with, for error events inside a stream.
ERROR_STATUS = {
    "invalid_request_error": 400,
    "authentication_error": 401,
    "permission_error": 403,
    "not_found_error": 404,
    "request_too_large": 413,
    "rate_limit_error": 429,
    "api_error": 500,
    "timeout_error": 504,
    "overloaded_error": 529,
}
CONTEXT_TOO_LONG_DETAILS = ("prompt is too long", "exceed context limit")


class _Wire(BaseModel):
    model_config = ConfigDict(extra="ignore")


class _Usage(_Wire):
    input_tokens: TokenCount = None
    output_tokens: TokenCount = None


class _Block(_Wire):
    type: str
    text: str | None = None


class _Message(_Wire):
    model: ModelId = None
    content: list[_Block] = Field(default_factory=list)
    stop_reason: str | None = None
    usage: _Usage = Field(default_factory=_Usage)


class _Delta(_Wire):
    type: str | None = None
    text: str | None = None
    stop_reason: str | None = None


class _Event(_Wire):
    type: str
    message: _Message | None = None
    delta: _Delta | None = None
    usage: _Usage | None = None


def stop_reason(value: str | None) -> FinishReason:
    return STOP_REASONS.get(value or "", FinishReason.OTHER)


def classify(
    upstream: UpstreamError, status: int | None, retry_after: float | None = None
) -> ModelError:
    """The error for a failed call (`status` set) or an error event in a stream (`status` None)."""
    if status is None:
        status = ERROR_STATUS.get(upstream.type or "", 500)
    too_long = upstream.type == "invalid_request_error" and any(
        detail in upstream.detail for detail in CONTEXT_TOO_LONG_DETAILS
    )
    if too_long or status == 413:
        return ContextTooLongError(describe(PROVIDER, status, upstream.type))
    return error_for_status(PROVIDER, status, upstream.type, retry_after=retry_after)


class AnthropicClient:
    def __init__(self, deployment: DeploymentConfig, api_key: SecretStr | None) -> None:
        self._deployment = deployment
        headers = {"accept": "application/json", "anthropic-version": API_VERSION}
        if api_key is not None:
            headers["x-api-key"] = api_key.get_secret_value()
        self._http = build_http_client(
            deployment, base_url=deployment.base_url or DEFAULT_BASE_URL, headers=headers
        )

    async def generate(self, request: ModelRequest) -> Completion:
        with transport_errors(PROVIDER):
            content = await post_json(self._http, PATH, self._body(request, stream=False), classify)
        try:
            message = _Message.model_validate_json(content)
        except ValidationError:
            raise unexpected_response(PROVIDER) from None
        return Completion(
            text="".join(block.text or "" for block in message.content if block.type == "text"),
            finish_reason=stop_reason(message.stop_reason),
            usage=Usage(
                input_tokens=message.usage.input_tokens or 0,
                output_tokens=message.usage.output_tokens or 0,
            ),
            model=message.model or self._deployment.model,
        )

    async def stream(self, request: ModelRequest) -> AsyncIterator[ProviderStreamEvent]:
        text: list[str] = []
        model, finish, stopped = self._deployment.model, None, False
        input_tokens = output_tokens = 0
        body = self._body(request, stream=True)
        with transport_errors(PROVIDER):
            async with open_sse(self._http, PATH, body, classify) as events:
                async for sse in events:
                    event = self._event(sse.data)
                    if event.type == "message_stop":
                        stopped = True
                        break
                    if event.message is not None:  # message_start
                        model = event.message.model or model
                        input_tokens = event.message.usage.input_tokens or input_tokens
                        output_tokens = event.message.usage.output_tokens or output_tokens
                    if event.usage is not None:  # message_delta: running totals
                        input_tokens = event.usage.input_tokens or input_tokens
                        output_tokens = event.usage.output_tokens or output_tokens
                    delta = event.delta
                    if delta is not None and delta.stop_reason is not None:
                        finish = delta.stop_reason
                    if delta is not None and delta.type == "text_delta" and delta.text:
                        text.append(delta.text)
                        yield TextDelta(text=delta.text)
        if not stopped:
            raise UnavailableError(f"{PROVIDER} stream ended before message_stop")
        yield Completion(
            text="".join(text),
            finish_reason=stop_reason(finish),
            usage=Usage(input_tokens=input_tokens, output_tokens=output_tokens),
            model=model,
        )

    async def aclose(self) -> None:
        await self._http.aclose()

    def _event(self, data: str) -> _Event:
        try:
            payload: Any = json.loads(data)
        except (ValueError, RecursionError):
            raise unexpected_response(PROVIDER) from None
        if isinstance(payload, dict) and payload.get("type") == "error":
            raise classify(parse_error_payload(payload), None)
        try:
            return _Event.model_validate(payload)
        except ValidationError:
            raise unexpected_response(PROVIDER) from None

    def _body(self, request: ModelRequest, *, stream: bool) -> dict[str, Any]:
        params = merge_parameters(self._deployment.parameters, request.parameters)
        system = "\n\n".join(m.content for m in request.messages if m.role == "system")
        body: dict[str, Any] = {
            "model": self._deployment.model,
            "max_tokens": params.max_tokens or DEFAULT_MAX_TOKENS,
            "messages": [
                {"role": m.role, "content": m.content}
                for m in request.messages
                if m.role != "system"
            ],
        }
        optional = {
            "system": system or None,
            "temperature": params.temperature,
            "top_p": params.top_p,
            "stop_sequences": list(params.stop) or None,
            "stream": True if stream else None,
        }
        body.update({key: value for key, value in optional.items() if value is not None})
        return body
