"""A fake OpenAI-compatible upstream with a fixed latency, for the task benchmarks.

`python scripts/fake_upstream.py --port 8100 --latency-ms 100` answers
`POST /v1/chat/completions` after exactly that delay with one fixed, valid chat completion:
its message content is a valid `triage_ticket` output and its `usage` is set. A raw asyncio
protocol (uvloop when importable), HTTP/1.1 keep-alive, parsing only the request line, the
headers and a Content-Length body: no framework, so that it is never the bottleneck.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import signal
import sys
from collections import deque
from collections.abc import Callable
from typing import cast

COMPLETIONS_PATH = b"/v1/chat/completions"
DEFAULT_MODEL = "gpt-4.1-mini-2025-04-14"
TRIAGE_OUTPUT = {
    "category": "technical",
    "urgency": "urgent",
    "summary": "The customer cannot log in since the last update and is blocked at work.",
}
MAX_HEAD_BYTES = 65536


def http_response(status: str, body: bytes) -> bytes:
    head = (
        f"HTTP/1.1 {status}\r\ncontent-type: application/json\r\n"
        f"content-length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


def completion_response(model: str) -> bytes:
    body = {
        "id": "chatcmpl-bench",
        "object": "chat.completion",
        "created": 1_790_000_000,
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": json.dumps(TRIAGE_OUTPUT)},
                "finish_reason": "stop",
            }
        ],
        "usage": {"prompt_tokens": 312, "completion_tokens": 38, "total_tokens": 350},
    }
    return http_response("200 OK", json.dumps(body, separators=(",", ":")).encode())


NOT_FOUND = http_response("404 Not Found", b'{"error":{"type":"not_found","code":"404"}}')
BAD_REQUEST = http_response("400 Bad Request", b'{"error":{"type":"invalid_request_error"}}')


class Upstream(asyncio.Protocol):
    """One connection. Responses leave in request order, even when requests are pipelined."""

    served = 0

    def __init__(self, answer: bytes, latency: float) -> None:
        self._answer, self._latency = answer, latency
        self._buffer = b""
        self._queue: deque[list[bytes | None]] = deque()  # [response or None while waiting]
        self._transport: asyncio.Transport | None = None
        self._close_after = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self._transport = cast(asyncio.Transport, transport)

    def connection_lost(self, exc: Exception | None) -> None:
        self._transport = None

    def data_received(self, data: bytes) -> None:
        self._buffer += data
        while self._buffer and not self._close_after:
            end = self._buffer.find(b"\r\n\r\n")
            if end < 0:
                if len(self._buffer) > MAX_HEAD_BYTES:
                    self._reply_now(BAD_REQUEST, close=True)
                return
            head = self._buffer[:end].split(b"\r\n")
            length, close = 0, False
            for line in head[1:]:
                name, _, value = line.partition(b":")
                name = name.strip().lower()
                if name == b"content-length" and value.strip().isdigit():
                    length = int(value)
                elif name == b"connection":
                    close = value.strip().lower() == b"close"
            if len(self._buffer) < end + 4 + length:
                return  # The body is not all here yet.
            self._buffer = self._buffer[end + 4 + length :]
            parts = head[0].split(b" ")
            if len(parts) != 3 or parts[0] != b"POST" or parts[1] != COMPLETIONS_PATH:
                self._reply_now(NOT_FOUND, close=close)
                continue
            slot: list[bytes | None] = [None]
            self._queue.append(slot)
            self._close_after = close
            loop = asyncio.get_running_loop()
            loop.call_later(self._latency, self._ready(slot, self._answer))

    def _ready(self, slot: list[bytes | None], response: bytes) -> Callable[[], None]:
        def fire() -> None:
            slot[0] = response
            self._flush()

        return fire

    def _reply_now(self, response: bytes, *, close: bool) -> None:
        self._queue.append([response])
        self._close_after = close
        self._flush()

    def _flush(self) -> None:
        while self._queue and self._queue[0][0] is not None:
            response = self._queue.popleft()[0]
            if self._transport is None or self._transport.is_closing():
                continue
            assert response is not None  # noqa: S101 - checked by the loop condition
            self._transport.write(response)
            Upstream.served += 1
        if self._close_after and not self._queue and self._transport is not None:
            self._transport.close()


async def serve(port: int, latency: float, model: str) -> None:
    loop = asyncio.get_running_loop()
    answer = completion_response(model)
    server = await loop.create_server(
        lambda: Upstream(answer, latency), "127.0.0.1", port, backlog=4096, reuse_address=True
    )
    stop = asyncio.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    print(f"upstream listening on http://127.0.0.1:{port} (latency {latency * 1000:g} ms)")
    sys.stdout.flush()
    async with server:
        await stop.wait()
    print(f"upstream served {Upstream.served} responses")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--latency-ms", type=float, default=100.0, help="fixed latency (100)")
    parser.add_argument("--model", default=DEFAULT_MODEL, help="the model the answers name")
    parser.add_argument("--no-uvloop", action="store_true", help="use asyncio's own loop")
    args = parser.parse_args()
    coroutine = serve(args.port, args.latency_ms / 1000, args.model)
    try:
        if args.no_uvloop:
            raise ImportError
        import uvloop
    except ImportError:
        asyncio.run(coroutine)
    else:
        with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
            runner.run(coroutine)


if __name__ == "__main__":
    main()
