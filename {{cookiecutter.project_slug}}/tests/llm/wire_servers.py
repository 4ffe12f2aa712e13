"""Real HTTP servers on 127.0.0.1 that speak the OpenAI and Anthropic wire protocols.

Each is a bare ASGI app served by uvicorn (h11) in a background thread with its own event
loop, so the adapters go through real sockets, HTTP/1.1 framing and SSE. Tests queue replies
and read back what was received; a reply is rendered as JSON or as an SSE stream, whichever
the request asked for. A stream is cut by returning before the response is complete, which
makes uvicorn close the connection mid-body, as a dropped upstream would.
"""

from __future__ import annotations

import asyncio
import json
import logging
import socket
import threading
import time
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from starlette.types import Receive, Scope, Send

from .wire_protocols import Events, SseEvent, WireProtocol

STARTUP_TIMEOUT_SECONDS = 5.0
CUT_MESSAGE = "ASGI callable returned without completing response."


@dataclass(frozen=True)
class Reply:
    """One scripted answer, rendered in the protocol's format unless `body` says otherwise."""

    text: str = "ok"
    chunks: tuple[str, ...] | None = None  # How the text is streamed; default: one chunk.
    usage: tuple[int, int] = (5, 2)  # (input tokens, output tokens)
    finish: str | None = None  # The wire's finish/stop reason; default: the normal stop.
    model: str | None = None  # The served model id; default: the requested one.
    status: int = 200
    body: Any = None  # Sent instead: JSON, or bytes as text/html (a proxy's error page).
    headers: Mapping[str, str] = field(default_factory=dict)
    delay_seconds: float = 0.0  # Before the first byte (status line included).
    cut_after: int | None = None  # Stream: close the connection after this many text chunks.
    events: tuple[SseEvent, ...] | None = None  # Stream: send exactly these, then end cleanly.


@dataclass(frozen=True)
class Received:
    path: str
    headers: Mapping[str, str]  # Lower-case names.
    json: Any


class _DropExpectedCuts(logging.Filter):
    """uvicorn logs every scripted stream cut as an error; those are expected, not news."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.getMessage() != CUT_MESSAGE


class WireServer:
    def __init__(self, protocol: WireProtocol) -> None:
        self.protocol = protocol
        self.url = ""
        self._lock = threading.Lock()
        self._replies: deque[Reply] = deque()
        self._received: list[Received] = []
        self._filter = _DropExpectedCuts()
        self._socket: socket.socket | None = None
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    # --- scripting, from the test's thread -------------------------------------------------

    def queue(self, *replies: Reply) -> None:
        with self._lock:
            self._replies.extend(replies)

    @property
    def received(self) -> list[Received]:
        with self._lock:
            return list(self._received)

    def last_json(self) -> Any:
        return self.received[-1].json

    def reset(self) -> None:
        with self._lock:
            self._replies.clear()
            self._received.clear()

    # --- lifecycle --------------------------------------------------------------------------

    def start(self) -> None:
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._socket.getsockname()[1]}"
        config = uvicorn.Config(
            self._app,
            interface="asgi3",  # A bound method would be taken for ASGI 2.
            http="h11",
            loop="asyncio",
            lifespan="off",
            log_config=None,  # Leave the process's logging alone.
            access_log=False,
            timeout_graceful_shutdown=1,
        )
        self._server = uvicorn.Server(config)
        logging.getLogger("uvicorn.error").addFilter(self._filter)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [self._socket]}, daemon=True
        )
        self._thread.start()
        deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                msg = f"{type(self.protocol).__name__} server did not start"
                raise RuntimeError(msg)
            time.sleep(0.01)

    def stop(self) -> None:
        if self._server is not None and self._thread is not None:
            self._server.should_exit = True
            self._thread.join(timeout=STARTUP_TIMEOUT_SECONDS)
        if self._socket is not None:
            self._socket.close()
        logging.getLogger("uvicorn.error").removeFilter(self._filter)

    # --- the ASGI app, on the server's thread ----------------------------------------------

    async def _app(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        payload = json.loads(body) if body else None
        with self._lock:
            self._received.append(Received(scope["path"], headers, payload))
            reply = self._replies.popleft() if self._replies else Reply()
        if reply.delay_seconds:
            await asyncio.sleep(reply.delay_seconds)
        if scope["path"] != self.protocol.path:
            reply = Reply(status=404, body=self.protocol.error_body(404, "no such route"))
        streamed = isinstance(payload, dict) and payload.get("stream") is True
        if reply.status >= 400 or reply.body is not None or not streamed:
            await self._send_json(send, reply, payload)
        else:
            await self._send_stream(send, reply, payload)

    async def _send_json(self, send: Send, reply: Reply, request: Any) -> None:
        if isinstance(reply.body, bytes):
            await _start(send, reply, "text/html")
            await send({"type": "http.response.body", "body": reply.body})
            return
        if reply.body is not None:
            document = reply.body
        elif reply.status >= 400:
            document = self.protocol.error_body(reply.status, "scripted")
        else:
            document = self.protocol.completion(reply, _model(reply, request))
        await _start(send, reply, "application/json")
        await send({"type": "http.response.body", "body": json.dumps(document).encode()})

    async def _send_stream(self, send: Send, reply: Reply, request: Any) -> None:
        await _start(send, reply, "text/event-stream")
        prologue: Events
        epilogue: Events
        if reply.events is not None:
            prologue, chunks, epilogue = [], list(reply.events), []
        else:
            prologue, chunks, epilogue = self.protocol.stream(reply, _model(reply, request))
        if reply.cut_after is not None:
            chunks, epilogue = chunks[: reply.cut_after], []
        for event in [*prologue, *chunks, *epilogue]:
            await send({"type": "http.response.body", "body": event.encode(), "more_body": True})
        if reply.cut_after is None:
            await send({"type": "http.response.body", "body": b""})


async def _start(send: Send, reply: Reply, content_type: str) -> None:
    headers = [(b"content-type", content_type.encode())]
    headers += [(k.encode(), v.encode()) for k, v in reply.headers.items()]
    await send({"type": "http.response.start", "status": reply.status, "headers": headers})


def _model(reply: Reply, request: Any) -> str:
    requested = request.get("model") if isinstance(request, dict) else None
    return reply.model or str(requested or "unknown")
