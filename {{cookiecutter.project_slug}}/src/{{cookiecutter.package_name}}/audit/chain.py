"""The hash chain: a row's canonical content, its hash, and the check of a run of rows."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import orjson

from .models import AuditEvent

GENESIS = "0" * 64
CHECKPOINT_ACTION = "audit.pruned"


def canonical_time(moment: datetime) -> str:
    # SQLite hands back naive datetimes: every time written is UTC.
    moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def content_of(event: AuditEvent) -> dict[str, Any]:
    return {
        "id": str(event.id),
        "seq": event.seq,
        "occurred_at": canonical_time(event.occurred_at),
        "request_id": event.request_id,
        "actor": event.actor,
        "action": event.action,
        "target": event.target,
        "details": event.details,
    }


def hash_of(event: AuditEvent) -> str:
    canonical = orjson.dumps(content_of(event), option=orjson.OPT_SORT_KEYS)
    return hashlib.sha256(event.prev_hash.encode() + b"\n" + canonical).hexdigest()


@dataclass(frozen=True)
class ChainBreak:
    seq: int
    event_id: str
    reason: str


def first_break(
    events: Iterable[AuditEvent], anchors: set[tuple[int, str]]
) -> tuple[int, ChainBreak | None, str]:
    """Rows checked, the first broken one (None when intact) and the last hash.

    `anchors` are the (first kept seq, its prev_hash) pairs that prune checkpoints recorded:
    the first row links to the genesis or to one of them.
    """
    previous_hash, previous_seq, checked = GENESIS, None, 0
    for event in events:
        if previous_seq is None:
            if event.prev_hash != GENESIS and (event.seq, event.prev_hash) not in anchors:
                reason = "the first row does not start the chain (rows before it were deleted)"
                return checked, ChainBreak(event.seq, str(event.id), reason), previous_hash
        elif event.seq != previous_seq + 1:
            reason = f"rows {previous_seq + 1}..{event.seq - 1} are missing"
            return checked, ChainBreak(event.seq, str(event.id), reason), previous_hash
        elif event.prev_hash != previous_hash:
            reason = "its prev_hash is not the previous row's hash (deleted or reordered)"
            return checked, ChainBreak(event.seq, str(event.id), reason), previous_hash
        if hash_of(event) != event.hash:
            reason = "its content does not match its hash (edited)"
            return checked, ChainBreak(event.seq, str(event.id), reason), previous_hash
        previous_hash, previous_seq, checked = event.hash, event.seq, checked + 1
    return checked, None, previous_hash
