"""Any OpenAI-compatible chat completions server: OpenAI, vLLM, Ollama, llama.cpp, LiteLLM.

One HTTP attempt per call; every failure becomes a `ModelError`, classified by status and the
upstream error code. Only the fields this adapter reads are modelled, so extra fields from the
many compatible servers never break parsing.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError

from ..config import DeploymentConfig
from ..errors import ContentFilteredError, ContextTooLongError, ModelError, UnavailableError
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

PROVIDER = "openai"
DEFAULT_BASE_URL = "https://api.openai.com/v1"
PATH = "/chat/completions"
DONE = "[DONE]"

FINISH_REASONS = {
    "stop": FinishReason.STOP,
    "length": FinishReason.LENGTH,
    "content_filter": FinishReason.CONTENT_FILTER,
    "tool_calls": FinishReason.TOOL_CALLS,
    "function_call": FinishReason.TOOL_CALLS,
}
CONTEXT_TOO_LONG_CODES = frozenset({"context_length_exceeded", "string_above_max_length"})
CONTENT_FILTER_CODES = frozenset({"content_filter", "content_policy_violation"})
# An error event inside a stream carries no status: infer one from its type or code.
STREAM_ERROR_STATUS = {
    "invalid_request_error": 400,
    "authentication_error": 401,
    "permission_error": 403,
    "not_found_error": 404,
    "rate_limit_exceeded": 429,
    "rate_limit_error": 429,
    "insufficient_quota": 429,
}


class _Wire(BaseModel):
    model_config = ConfigDict(extra="ignore")


class _Usage(_Wire):
    prompt_tokens: TokenCount = None
    completion_tokens: TokenCount = None

    def usage(self) -> Usage:
        return Usage(
            input_tokens=self.prompt_tokens or 0, output_tokens=self.completion_tokens or 0
        )


class _Message(_Wire):
    content: str | None = None  # None when the model only called tools.


class _Choice(_Wire):
    message: _Message
    finish_reason: str | None = None


class _Response(_Wire):
    model: ModelId = None
    choices: list[_Choice] = Field(min_length=1)
    usage: _Usage | None = None


class _Delta(_Wire):
    content: str | None = None


class _ChunkChoice(_Wire):
    delta: _Delta = Field(default_factory=_Delta)
    finish_reason: str | None = None


class _Chunk(_Wire):
    model: ModelId = None
    choices: list[_ChunkChoice] = Field(default_factory=list)
    usage: _Usage | None = None


def finish_reason(value: str | None) -> FinishReason:
    return FINISH_REASONS.get(value or "", FinishReason.OTHER)


def classify(
    upstream: UpstreamError, status: int | None, retry_after: float | None = None
) -> ModelError:
    """The error for a failed call (`status` set) or an error event in a stream (`status` None)."""
    codes = {upstream.code, upstream.type}
    numeric = upstream.code is not None and upstream.code.isdigit()
    label = upstream.type if numeric else upstream.code or upstream.type
    if status in (400, None):
        too_long = "maximum context length" in upstream.detail  # vLLM and proxies: no code.
        if codes & CONTEXT_TOO_LONG_CODES or too_long:
            return ContextTooLongError(describe(PROVIDER, status, label))
        if codes & CONTENT_FILTER_CODES:
            return ContentFilteredError(describe(PROVIDER, status, label))
    if status is None:
        status = stream_error_status(upstream)
    return error_for_status(PROVIDER, status, label, retry_after=retry_after)


def stream_error_status(upstream: UpstreamError) -> int:
    if upstream.code is not None and upstream.code.isdigit():  # vLLM puts the status there.
        return int(upstream.code)
    for key in (upstream.code, upstream.type):
        if key in STREAM_ERROR_STATUS:
            return STREAM_ERROR_STATUS[key]
    return 500  # A stream that broke upstream: most likely transient.


class OpenAIClient:
    def __init__(self, deployment: DeploymentConfig, api_key: SecretStr | None) -> None:
        self._deployment = deployment
        headers = {"accept": "application/json"}
        if api_key is not None:
            headers["authorization"] = f"Bearer {api_key.get_secret_value()}"
        self._http = build_http_client(
            deployment, base_url=deployment.base_url or DEFAULT_BASE_URL, headers=headers
        )

    async def generate(self, request: ModelRequest) -> Completion:
        with transport_errors(PROVIDER):
            content = await post_json(self._http, PATH, self._body(request, stream=False), classify)
        try:
            payload = _Response.model_validate_json(content)
        except ValidationError:
            raise unexpected_response(PROVIDER) from None
        choice = payload.choices[0]
        return Completion(
            text=choice.message.content or "",
            finish_reason=finish_reason(choice.finish_reason),
            usage=payload.usage.usage() if payload.usage else Usage(),
            model=payload.model or self._deployment.model,
        )

    async def stream(self, request: ModelRequest) -> AsyncIterator[ProviderStreamEvent]:
        text: list[str] = []
        model, finish, usage, done = self._deployment.model, None, Usage(), False
        body = self._body(request, stream=True)
        with transport_errors(PROVIDER):
            async with open_sse(self._http, PATH, body, classify) as events:
                async for event in events:
                    if event.data == DONE:
                        done = True
                        break
                    chunk = self._chunk(event.data)
                    model = chunk.model or model
                    usage = chunk.usage.usage() if chunk.usage else usage
                    for choice in chunk.choices[:1]:
                        finish = choice.finish_reason or finish
                        if choice.delta.content:
                            text.append(choice.delta.content)
                            yield TextDelta(text=choice.delta.content)
        if not done or finish is None:
            raise UnavailableError(f"{PROVIDER} stream ended before it finished")
        yield Completion(
            text="".join(text), finish_reason=finish_reason(finish), usage=usage, model=model
        )

    async def aclose(self) -> None:
        await self._http.aclose()

    def _chunk(self, data: str) -> _Chunk:
        try:
            payload: Any = json.loads(data)
        except (ValueError, RecursionError):
            raise unexpected_response(PROVIDER) from None
        if isinstance(payload, dict) and "error" in payload:
            raise classify(parse_error_payload(payload), None)
        try:
            return _Chunk.model_validate(payload)
        except ValidationError:
            raise unexpected_response(PROVIDER) from None

    def _body(self, request: ModelRequest, *, stream: bool) -> dict[str, Any]:
        params = merge_parameters(self._deployment.parameters, request.parameters)
        body: dict[str, Any] = {
            "model": self._deployment.model,
            "messages": [{"role": m.role, "content": m.content} for m in request.messages],
        }
        optional = {
            "max_tokens": params.max_tokens,
            "temperature": params.temperature,
            "top_p": params.top_p,
            "stop": list(params.stop) or None,
        }
        body.update({key: value for key, value in optional.items() if value is not None})
        # Some compatible servers reject `response_format`; options.response_format = false.
        if (
            request.output_schema is not None
            and self._deployment.options.get("response_format") is not False
        ):
            body["response_format"] = {
                "type": "json_schema",
                "json_schema": {"name": "output", "schema": request.output_schema},
            }
        if stream:
            body["stream"] = True
            body["stream_options"] = {"include_usage": True}
        return body
