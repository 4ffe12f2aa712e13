"""One suite, end to end: load it, run its cases through the production gateway in a mode,
compare with the baseline and apply the gates. Writing reports and storing the run are the
caller's (`cli.py`).

The modes differ only in the gateway's clients, so retries, repairs, fallbacks and prices are
the production ones:
- replay: every deployment answers from the suite's recordings; no network, no keys.
- record: the configured providers answer, and every answer is written down.
- live: the configured providers answer; nothing is written.
"""

from __future__ import annotations

import shutil
import subprocess
import uuid
from collections.abc import Iterable
from datetime import UTC, datetime
from enum import StrEnum

from ..core.settings import Settings
from ..llm.accounting import SpendLedger
from ..llm.client import ModelClient
from ..llm.config import ModelConfigError
from ..llm.gateway import ModelGateway
from ..llm.setup import load_model_setup, stop_gateway
from .baseline import load_baseline
from .cases import CaseRunner
from .layout import EvalConfigError, EvalLayout
from .recordings import RecordingBook, ReplayModelClient, load_recordings
from .results import ModelConfigInfo, RecordingsInfo, ScorerInfo, SuiteResults
from .suite import Suite, load_suite
from .trace import TracingRecorder
from .verdict import aggregate, apply_gates


class EvalMode(StrEnum):
    REPLAY = "replay"  # The suite's recordings: no network, no key. CI's mode.
    LIVE = "live"  # The configured providers.
    RECORD = "record"  # The configured providers, and their answers become the recordings.


async def run_suite(
    settings: Settings, layout: EvalLayout, name: str, mode: EvalMode
) -> SuiteResults:
    """Raises `EvalConfigError` (exit code 3) before any model call when the suite is unusable."""
    suite = load_suite(layout, name)
    baseline = load_baseline(layout.baseline_file(name), name)
    recordings_path = layout.recordings_file(name)
    recordings = load_recordings(recordings_path) if mode is EvalMode.REPLAY else None
    replay = ReplayModelClient(recordings, recordings_path) if mode is EvalMode.REPLAY else None
    book = RecordingBook() if mode is EvalMode.RECORD else None
    gateway = build_eval_gateway(settings, suite.model_aliases(), mode, replay=replay, book=book)
    concurrency = 1 if mode is EvalMode.REPLAY else suite.config.concurrency
    runner = CaseRunner(suite, gateway, layout.rubrics_dir, mode is EvalMode.REPLAY, concurrency)
    started_at = datetime.now(UTC)
    try:
        cases = await runner.run_all()
    finally:
        await stop_gateway(gateway)
    recorded_with: tuple[str, ...] = recordings.header.recorded_with if recordings else ()
    if book is not None:
        header = book.save(recordings_path, suite=name, models_file=str(settings.models_file))
        recorded_with = header.recorded_with
    results = SuiteResults(
        run_id=uuid.uuid4().hex,
        suite=name,
        task=suite.task.name,
        mode=mode.value,
        started_at=started_at,
        finished_at=datetime.now(UTC),
        git_sha=git_sha(),
        models=ModelConfigInfo(
            path=str(settings.models_file),
            version=gateway.config.version,
            sha256=gateway.config_hash,
        ),
        prompt_versions={suite.task.prompt.name: suite.task.prompt.version},
        recordings=RecordingsInfo(path=str(recordings_path), recorded_with=recorded_with)
        if mode is not EvalMode.LIVE
        else None,
        repeats=suite.config.repeats,
        scorers=scorer_infos(suite),
        gate_limits=suite.config.gates,
        cases=cases,
        aggregate=aggregate(cases, [bound.label for bound in suite.scorers]),
        # Decided by apply_gates, next.
        comparison=None,
        gates=(),
        gate_passed=False,
        exit_code=0,
    )
    return apply_gates(results, baseline)


def build_eval_gateway(
    settings: Settings,
    aliases: Iterable[str],
    mode: EvalMode,
    *,
    replay: ReplayModelClient | None = None,
    book: RecordingBook | None = None,
) -> ModelGateway:
    """The production gateway over the configured models and prices, with the mode's clients:
    `replay` answers for every deployment (no provider client, so no key), or each provider's
    client answers, written into `book` in record mode."""
    try:  # The service's own builder: the same files, checked the same way.
        setup = load_model_setup(settings, aliases, needed_by="the suite calls")
    except ModelConfigError as error:
        raise EvalConfigError(str(error)) from None
    deployments = setup.models.config.deployments
    clients: dict[str, ModelClient]
    if replay is not None:
        clients = dict.fromkeys(deployments, replay)
    else:
        if setup.missing_keys:
            needed = ", ".join(setup.missing_keys)
            msg = f"{mode} mode calls providers that need {needed} ({setup.models.path})"
            raise EvalConfigError(msg)
        clients = setup.provider_clients()
        if book is not None:
            clients = {
                name: book.client(c, deployments[name].provider) for name, c in clients.items()
            }
    # No database: eval calls are accounted per case in the results, not as service traffic.
    return setup.gateway(clients, TracingRecorder(None, SpendLedger()))


def scorer_infos(suite: Suite) -> tuple[ScorerInfo, ...]:
    return tuple(
        ScorerInfo(name=b.label, scorer=b.scorer.name, threshold=b.threshold, weight=b.weight)
        for b in suite.scorers
    )


def git_sha() -> str | None:
    """The checked-out commit, or None outside a git work tree (an sdist, a bare container)."""
    git = shutil.which("git")
    if git is None:
        return None
    try:
        completed = subprocess.run(  # noqa: S603 - a fixed command, no user input
            [git, "rev-parse", "HEAD"], capture_output=True, text=True, check=True, timeout=10
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return completed.stdout.strip() or None
