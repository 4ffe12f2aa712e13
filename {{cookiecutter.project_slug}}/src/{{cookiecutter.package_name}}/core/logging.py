"""One logging pipeline for everything: structlog for our lines, stdlib and uvicorn through it.

JSON (orjson, written as bytes) in staging and production; a readable console in development.
Both paths share the same processors, so redaction applies to every line.
"""

from __future__ import annotations

import logging
import sys
from datetime import UTC, datetime
from typing import TYPE_CHECKING, TextIO

import orjson
import structlog
from structlog.typing import EventDict, Processor

from .redaction import RedactSecrets
from .settings import LogFormat

if TYPE_CHECKING:
    from .settings import Settings

# uvicorn's own access log is replaced by one line per request from our middleware.
SILENCED_LOGGERS = ("uvicorn.access",)
ROUTED_LOGGERS = ("uvicorn", "uvicorn.error", "sqlalchemy", "alembic")


def _drop_formatter_leftovers(_logger: object, _method: str, event_dict: EventDict) -> EventDict:
    """Drop extras that repeat the message: uvicorn's ANSI-coloured copy, formatter caches."""
    for key in ("color_message", "message", "asctime"):
        event_dict.pop(key, None)
    return event_dict


def _add_timestamp(_logger: object, _method: str, event_dict: EventDict) -> EventDict:
    """A UTC datetime, which orjson writes as ISO 8601 with a Z: a quarter of TimeStamper's cost."""
    event_dict["timestamp"] = datetime.now(UTC)
    return event_dict


def _orjson_text(obj: object, **_: object) -> str:
    return orjson.dumps(obj, default=str, option=orjson.OPT_UTC_Z).decode()


def _orjson_bytes(obj: object, **_: object) -> bytes:
    return orjson.dumps(obj, default=str, option=orjson.OPT_UTC_Z)


def current_request_id() -> str | None:
    """The id of the request being served, as bound to its log lines; None outside one."""
    request_id = structlog.contextvars.get_contextvars().get("request_id")
    return str(request_id) if request_id is not None else None


def current_server_request_id() -> str | None:
    """The id this service gave the request being served (never the caller's); None outside one."""
    value = structlog.contextvars.get_contextvars().get("server_request_id")
    return str(value) if value is not None else None


def configure_logging(settings: Settings, stream: TextIO | None = None) -> None:
    """Configure structlog and the stdlib root logger; call once per process or app."""
    stream = stream or sys.stdout
    level = logging.getLevelNamesMapping()[settings.log_level]
    shared: list[Processor] = [
        structlog.contextvars.merge_contextvars,
        structlog.processors.format_exc_info,
        RedactSecrets(
            settings.secret_values(), settings.redact_fields, key_prefixes=[settings.api_key_prefix]
        ),
        # After redaction: the level and the time hold no secret, so they are not scanned.
        structlog.processors.add_log_level,
        _add_timestamp,
    ]
    if settings.effective_log_format is LogFormat.JSON:
        renderer: Processor = structlog.processors.JSONRenderer(serializer=_orjson_text)
        structlog.configure(
            processors=[*shared, structlog.processors.JSONRenderer(serializer=_orjson_bytes)],
            logger_factory=structlog.BytesLoggerFactory(stream.buffer),
            wrapper_class=structlog.make_filtering_bound_logger(level),
            cache_logger_on_first_use=True,
        )
    else:
        renderer = structlog.dev.ConsoleRenderer(colors=False)
        structlog.configure(
            processors=[*shared, renderer],
            logger_factory=structlog.PrintLoggerFactory(stream),
            wrapper_class=structlog.make_filtering_bound_logger(level),
            cache_logger_on_first_use=True,
        )
    _route_stdlib_logging(stream, level, shared, renderer, echo_sql=settings.database_echo)


def _route_stdlib_logging(
    stream: TextIO, level: int, shared: list[Processor], renderer: Processor, *, echo_sql: bool
) -> None:
    handler = logging.StreamHandler(stream)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            foreign_pre_chain=[
                structlog.stdlib.add_logger_name,
                structlog.stdlib.ExtraAdder(),
                _drop_formatter_leftovers,
            ],
            processors=[
                *shared,
                structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                renderer,
            ],
        )
    )
    root = logging.getLogger()
    root.handlers = [handler]
    root.setLevel(level)
    for name in ROUTED_LOGGERS:
        routed = logging.getLogger(name)
        routed.handlers = []
        routed.propagate = True
    for name in SILENCED_LOGGERS:
        logging.getLogger(name).disabled = True
    # SQL statements through our pipeline (SQLAlchemy's own echo would print them unformatted).
    logging.getLogger("sqlalchemy.engine").setLevel(logging.INFO if echo_sql else logging.WARNING)
    # httpx logs every provider request at INFO; the gateway's `model_attempt` line says more.
    logging.getLogger("httpx").setLevel(logging.WARNING)
