"""Where a run's answers come from."""

from __future__ import annotations

from enum import StrEnum


class EvalMode(StrEnum):
    REPLAY = "replay"  # The suite's recordings: no network, no key. CI's mode.
    LIVE = "live"  # The configured providers.
    RECORD = "record"  # The configured providers, and their answers become the recordings.
