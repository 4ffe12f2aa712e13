"""`nfr.toml`: the non-functional requirements, checked at start-up and by `make readiness`.

Per task a p95 latency budget, a cost ceiling per call and an eval pass-rate floor; for the
service an owner, an availability target over a window (its error budget follows) and the
retention of inference records and audit events.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

DEFAULT_NFR_FILE = Path("nfr.toml")


class NfrError(Exception):
    """`nfr.toml` is missing or invalid; the message names the file and the key."""


class Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class TaskNfr(Strict):
    latency_p95_ms: float = Field(gt=0)
    cost_per_call_usd: float = Field(gt=0)
    eval_pass_rate_floor: float = Field(ge=0, le=1)


class ServiceNfr(Strict):
    owner: str = Field(min_length=1, description="Owns the plumbing: CODEOWNERS' default.")
    availability_target: float = Field(gt=0, lt=1)
    error_budget_window_days: int = Field(ge=1, le=366)

    @property
    def error_budget_minutes(self) -> float:
        """Minutes of failure the target allows per window."""
        return (1 - self.availability_target) * self.error_budget_window_days * 24 * 60


class RetentionNfr(Strict):
    inference_records_days: int = Field(ge=1)
    audit_events_days: int = Field(ge=1)


class Nfr(Strict):
    service: ServiceNfr
    retention: RetentionNfr
    tasks: dict[str, TaskNfr]
    # What the service does not promise, in a sentence each: the model card quotes them.
    known_limits: tuple[str, ...] = ()

    def check_covers(self, path: Path, task_names: Iterable[str]) -> None:
        """Every task has its NFRs, and every NFR a task: a typo must not silently drop one."""
        names = set(task_names)
        missing = sorted(names - set(self.tasks))
        unknown = sorted(set(self.tasks) - names)
        if missing:
            msg = f"{path}: tasks.{missing[0]}: missing (every task needs its NFRs)"
            raise NfrError(msg)
        if unknown:
            msg = f"{path}: tasks.{unknown[0]}: no such task"
            raise NfrError(msg)


def load_nfr(path: Path = DEFAULT_NFR_FILE) -> Nfr:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        msg = f"{path}: file not found"
        raise NfrError(msg) from None
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        msg = f"{path}: not valid TOML: {exc}"
        raise NfrError(msg) from None
    try:
        return Nfr.model_validate(data)
    except ValidationError as exc:
        problems = [
            f"{'.'.join(str(part) for part in item['loc']) or '(file)'}: {item['msg']}"
            for item in exc.errors(include_input=False)
        ]
        raise NfrError(f"{path}: " + "; ".join(problems)) from None
