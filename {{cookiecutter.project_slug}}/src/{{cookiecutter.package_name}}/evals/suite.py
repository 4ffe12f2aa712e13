"""A suite file, `evals/suites/<suite>.toml`: the task it exercises, its dataset, its scorers
and the gates a run must pass."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any, Self

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from .errors import EvalConfigError, describe_problems


class ScorerSpec(BaseModel):
    """One `[[scorers]]` table: which scorer, how it counts, and its own options."""

    # The scorer's options sit beside these keys; each scorer validates its own.
    model_config = ConfigDict(frozen=True, extra="allow")

    scorer: str = Field(min_length=1)
    name: str | None = Field(default=None, min_length=1, description="Label; default: scorer.")
    threshold: float = Field(default=1.0, ge=0, le=1, description="A case passes at or above.")
    weight: float = Field(default=1.0, ge=0, description="Share of the case's weighted score.")

    @property
    def label(self) -> str:
        return self.name or self.scorer

    def options(self) -> dict[str, Any]:
        return dict(self.model_extra or {})


class Gates(BaseModel):
    """What a run must achieve. Errors are never scores: they have their own gate."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    min_pass_rate: float = Field(default=1.0, ge=0, le=1)
    max_regressions: int = Field(default=0, ge=0)
    max_error_rate: float = Field(default=0.0, ge=0, le=1)
    max_flaky_cases: int | None = Field(default=None, ge=0)
    max_latency_p95_ms: float | None = Field(default=None, gt=0)
    max_mean_cost_usd: float | None = Field(default=None, ge=0)


class SuiteConfig(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    description: str = ""
    task: str = Field(min_length=1)
    dataset: str = Field(default="", description="Relative to evals/; default datasets/<suite>.")
    repeats: int = Field(default=1, ge=1, le=20)
    concurrency: int = Field(default=4, ge=1, le=64, description="Live and record modes only.")
    scorers: tuple[ScorerSpec, ...] = Field(min_length=1)
    gates: Gates = Gates()

    @model_validator(mode="after")
    def _scorers_are_distinct_and_weighted(self) -> Self:
        labels = [spec.label for spec in self.scorers]
        duplicates = sorted({label for label in labels if labels.count(label) > 1})
        if duplicates:
            msg = f"two scorers share the name {duplicates[0]!r}: give one a `name`"
            raise ValueError(msg)
        if not any(spec.weight > 0 for spec in self.scorers):
            msg = "every scorer has weight 0: at least one must count"
            raise ValueError(msg)
        return self

    @property
    def dataset_path(self) -> str:
        return self.dataset or f"datasets/{self.name}.jsonl"


def load_suite_config(path: Path) -> SuiteConfig:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        msg = f"{path}: no such suite file"
        raise EvalConfigError(msg) from None
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        msg = f"{path}: not valid TOML: {exc}"
        raise EvalConfigError(msg) from None
    if "name" in data:
        msg = f"{path}: name: not allowed, the suite is named after its file ({path.stem})"
        raise EvalConfigError(msg)
    try:
        return SuiteConfig.model_validate({**data, "name": path.stem})
    except ValidationError as exc:
        raise EvalConfigError(f"{path}: {describe_problems(exc)}") from None
