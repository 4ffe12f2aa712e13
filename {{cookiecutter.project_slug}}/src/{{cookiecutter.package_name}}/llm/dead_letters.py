"""Inference records the database would not take: logged, counted and kept in a JSONL file.

A row is set aside when the database rejects it for its values, or when the pending queue is
full during a long outage. Each one is logged with its call id (the log is the record of last
resort) and appended to the dead-letter file, from which it can be loaded once fixed.
"""

from __future__ import annotations

import asyncio
import json
from typing import TYPE_CHECKING, Any, Protocol

import structlog
from sqlalchemy.exc import DBAPIError, DisconnectionError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError

if TYPE_CHECKING:
    from pathlib import Path


class Row(Protocol):
    @property
    def call_id(self) -> str: ...

    def fields(self) -> dict[str, Any]: ...


def database_unavailable(exc: BaseException) -> bool:
    """True when the database could not be reached, as opposed to refusing a row's values."""
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    unreachable = (
        OperationalError,
        InterfaceError,
        DisconnectionError,
        PoolTimeoutError,
        OSError,
        TimeoutError,
        asyncio.TimeoutError,
    )
    return isinstance(exc, unreachable)


class DeadLetters:
    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.count = 0
        self._log = structlog.get_logger("llm")

    def set_aside(self, row: Row, reason: str) -> None:
        self.count += 1
        fields = row.fields()
        self._log.error(
            "inference_record_set_aside", call_id=row.call_id, reason=reason, record=fields
        )
        if self.path is None:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("ab") as file:
                # json, not orjson: a rejected row may hold an integer past 64 bits.
                line = json.dumps({"reason": reason, **fields}, default=str)
                file.write(line.encode() + b"\n")
        except OSError:
            self._log.exception("inference_dead_letter_not_written", call_id=row.call_id)
