"""Every case of a suite, through `Task.run` and the gateway exactly as the task's route runs
it, then through the suite's scorers. An attempt that could not be measured is an error, never
a score."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..llm.errors import InvalidOutputError, ModelError
from ..llm.gateway import ModelGateway
from .dataset import EvalCase
from .recordings import MissingRecordingError
from .results import AttemptResult, CaseError, CaseResult, ScoreResult
from .scorers import Observation
from .suite import Suite
from .trace import CaseTrace, tracing
from .verdict import summarise_case


class AttemptError(Exception):
    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.error = CaseError(kind=kind, message=message)


@dataclass(frozen=True)
class CaseRunner:
    suite: Suite
    gateway: ModelGateway
    rubrics_dir: Path
    replayed: bool  # Replay answers at once: the recorded latency is the one that counts.
    concurrency: int = 1

    async def run_all(self) -> tuple[CaseResult, ...]:
        # Each case runs in its own task, so its trace (a context variable) stays its own.
        limit = asyncio.Semaphore(self.concurrency)

        async def run_case(case: EvalCase) -> CaseResult:
            async with limit:
                repeats = range(self.suite.config.repeats)
                attempts = [await self.attempt(case, repeat) for repeat in repeats]
            return summarise_case(case, attempts)

        return tuple(await asyncio.gather(*(run_case(case) for case in self.suite.cases)))

    async def attempt(self, case: EvalCase, repeat: int) -> AttemptResult:
        with tracing(case.id) as trace:
            try:
                observation = await self.observe(case, trace)
                scores = await self.score(observation)
            except AttemptError as failure:
                return AttemptResult(repeat=repeat, passed=None, error=failure.error)
        weights = {b.label: b.weight for b in self.suite.scorers}
        total_weight = sum(weights.values())
        return AttemptResult(
            repeat=repeat,
            passed=all(score.passed for score in scores.values()),
            score=sum(weights[label] * s.value for label, s in scores.items()) / total_weight,
            scores=scores,
            output=observation.output,
            latency_ms=round(observation.latency_ms, 3),
            cost_usd=float(observation.cost_usd),
        )

    async def observe(self, case: EvalCase, trace: CaseTrace) -> Observation:
        task = self.suite.task
        task_input = task.input_model.model_validate(case.input)
        output: dict[str, Any] | None = None
        invalid: str | None = None
        started = time.perf_counter()
        try:
            response = await task.run(self.gateway, task_input)
            output = response.parsed.model_dump(mode="json") if response.parsed else None
        except InvalidOutputError as error:  # The model answered, badly: measured, and failed.
            invalid = error.message
        except ModelError as error:
            raise AttemptError(error.kind.value, error.message) from None
        except MissingRecordingError as missing:
            raise stale(self.suite.name, case, missing) from None
        elapsed_ms = (time.perf_counter() - started) * 1000
        return Observation(
            case=case,
            task=task,
            output=output,
            invalid_output=invalid,
            latency_ms=trace.replayed_latency_ms if self.replayed else elapsed_ms,
            cost_usd=trace.cost(),  # Before the scorers run: a judge's cost is not the task's.
            gateway=self.gateway,
            rubrics_dir=self.rubrics_dir,
        )

    async def score(self, observation: Observation) -> dict[str, ScoreResult]:
        scores: dict[str, ScoreResult] = {}
        for bound in self.suite.scorers:
            try:
                score = await bound.score(observation)
            except ModelError as error:
                raise AttemptError(f"scorer_{error.kind.value}", error.message) from None
            except MissingRecordingError as missing:
                raise stale(self.suite.name, observation.case, missing) from None
            except Exception as exc:  # A scorer that cannot score leaves the case unmeasured.
                message = f"scorer {bound.label!r}: {type(exc).__name__}: {exc}"
                raise AttemptError("scorer_failed", message) from None
            passed = score.value >= bound.threshold
            scores[bound.label] = ScoreResult(value=score.value, passed=passed, detail=score.detail)
        return scores


def stale(suite: str, case: EvalCase, missing: MissingRecordingError) -> AttemptError:
    message = (
        f"stale or missing recording for case {case.id}: {missing}; "
        f"run `make eval-record SUITE={suite}`"
    )
    return AttemptError("stale_recording", message)
