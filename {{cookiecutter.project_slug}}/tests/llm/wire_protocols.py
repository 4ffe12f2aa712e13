"""The two wire formats the test servers speak: response bodies, SSE streams and error bodies.

Shapes follow the providers' API references: OpenAI chat completions (with `stream_options.
include_usage`) and Anthropic Messages (message_start ... message_stop).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

if TYPE_CHECKING:
    from .wire_servers import Reply

Events = list["SseEvent"]


@dataclass(frozen=True)
class SseEvent:
    data: str
    event: str | None = None

    def encode(self) -> bytes:
        name = f"event: {self.event}\n" if self.event else ""
        return f"{name}data: {self.data}\n\n".encode()


def sse(payload: Any, event: str | None = None) -> SseEvent:
    return SseEvent(json.dumps(payload), event)


class WireProtocol(Protocol):
    path: ClassVar[str]

    def completion(self, reply: Reply, model: str) -> dict[str, Any]: ...

    def stream(self, reply: Reply, model: str) -> tuple[Events, Events, Events]:
        """(prologue, one event per text chunk, epilogue)."""
        ...

    def error_body(self, status: int, message: str) -> dict[str, Any]: ...


def openai_error(kind: str, code: str | None, message: str) -> dict[str, Any]:
    return {"error": {"message": message, "type": kind, "param": None, "code": code}}


def anthropic_error(kind: str, message: str) -> dict[str, Any]:
    return {"type": "error", "error": {"type": kind, "message": message}}


OPENAI_ERRORS: dict[int, tuple[str, str | None]] = {
    400: ("invalid_request_error", None),
    401: ("invalid_request_error", "invalid_api_key"),
    403: ("invalid_request_error", "unsupported_country_region_territory"),
    404: ("invalid_request_error", "model_not_found"),
    429: ("requests", "rate_limit_exceeded"),
}
ANTHROPIC_ERRORS = {
    400: "invalid_request_error",
    401: "authentication_error",
    403: "permission_error",
    404: "not_found_error",
    413: "request_too_large",
    429: "rate_limit_error",
    504: "timeout_error",
    529: "overloaded_error",
}


class OpenAIWire:
    path: ClassVar[str] = "/v1/chat/completions"

    def completion(self, reply: Reply, model: str) -> dict[str, Any]:
        message = {"role": "assistant", "content": reply.text}
        return {
            **self._envelope(model, "chat.completion"),
            "choices": [{"index": 0, "message": message, "finish_reason": self._finish(reply)}],
            "usage": self._usage(reply),
        }

    def stream(self, reply: Reply, model: str) -> tuple[Events, Events, Events]:
        def chunk(delta: dict[str, str], finish: str | None = None) -> SseEvent:
            choice = {"index": 0, "delta": delta, "finish_reason": finish}
            return sse({**self._envelope(model, "chat.completion.chunk"), "choices": [choice]})

        prologue = [chunk({"role": "assistant", "content": ""})]
        chunks = [chunk({"content": text}) for text in reply.chunks or (reply.text,)]
        envelope = self._envelope(model, "chat.completion.chunk")
        usage = sse({**envelope, "choices": [], "usage": self._usage(reply)})
        return prologue, chunks, [chunk({}, self._finish(reply)), usage, SseEvent("[DONE]")]

    def error_body(self, status: int, message: str) -> dict[str, Any]:
        kind, code = OPENAI_ERRORS.get(status, ("server_error", None))
        return openai_error(kind, code, message)

    @staticmethod
    def _envelope(model: str, kind: str) -> dict[str, Any]:
        return {"id": "chatcmpl-test", "object": kind, "created": 1767225600, "model": model}

    @staticmethod
    def _finish(reply: Reply) -> str:
        return reply.finish or "stop"

    @staticmethod
    def _usage(reply: Reply) -> dict[str, int]:
        prompt, completion = reply.usage
        return {
            "prompt_tokens": prompt,
            "completion_tokens": completion,
            "total_tokens": prompt + completion,
        }


class AnthropicWire:
    path: ClassVar[str] = "/v1/messages"

    def completion(self, reply: Reply, model: str) -> dict[str, Any]:
        return {
            **self._message(reply, model),
            "content": [{"type": "text", "text": reply.text}],
            "stop_reason": reply.finish or "end_turn",
            "usage": {"input_tokens": reply.usage[0], "output_tokens": reply.usage[1]},
        }

    def stream(self, reply: Reply, model: str) -> tuple[Events, Events, Events]:
        start = self._message(reply, model) | {
            "content": [],
            "stop_reason": None,
            "usage": {"input_tokens": reply.usage[0], "output_tokens": 1},
        }
        block = {"type": "text", "text": ""}
        prologue = [
            sse({"type": "message_start", "message": start}, "message_start"),
            sse(
                {"type": "content_block_start", "index": 0, "content_block": block},
                "content_block_start",
            ),
            sse({"type": "ping"}, "ping"),
        ]
        chunks = [
            sse(
                {
                    "type": "content_block_delta",
                    "index": 0,
                    "delta": {"type": "text_delta", "text": text},
                },
                "content_block_delta",
            )
            for text in reply.chunks or (reply.text,)
        ]
        delta = {"stop_reason": reply.finish or "end_turn", "stop_sequence": None}
        epilogue = [
            sse({"type": "content_block_stop", "index": 0}, "content_block_stop"),
            sse(
                {
                    "type": "message_delta",
                    "delta": delta,
                    "usage": {"output_tokens": reply.usage[1]},
                },
                "message_delta",
            ),
            sse({"type": "message_stop"}, "message_stop"),
        ]
        return prologue, chunks, epilogue

    def error_body(self, status: int, message: str) -> dict[str, Any]:
        kind = ANTHROPIC_ERRORS.get(status, "api_error")
        return anthropic_error(kind, message)

    @staticmethod
    def _message(reply: Reply, model: str) -> dict[str, Any]:
        return {"id": "msg_test", "type": "message", "role": "assistant", "model": model}
