"""The gateway an eval runs through: the production `ModelGateway`, with clients chosen by mode.

- replay: every deployment answers from the suite's recordings; no network, no keys.
- record: the configured providers answer, and every answer is written down.
- live: the configured providers answer; nothing is written.

Only the clients differ, so retries, repairs, fallbacks and pricing are the production ones,
and the files are read and checked by the service's own builder (`llm/setup.py`).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ..core.settings import Settings
from ..llm.accounting import SpendLedger
from ..llm.client import ModelClient
from ..llm.config import ModelConfigError
from ..llm.gateway import ModelGateway
from ..llm.setup import ModelSetup, load_model_setup
from .errors import EvalConfigError
from .mode import EvalMode
from .recorder import RecordingBook, RecordingModelClient
from .recordings import Recordings
from .replay import ReplayModelClient
from .trace import TracingRecorder


def load_models(settings: Settings, aliases: Iterable[str]) -> ModelSetup:
    try:
        return load_model_setup(settings, aliases, needed_by="the suite calls")
    except ModelConfigError as error:
        raise EvalConfigError(str(error)) from None


def build_eval_gateway(
    setup: ModelSetup,
    mode: EvalMode,
    *,
    recordings: Recordings | None = None,
    recordings_path: Path = Path(),
    book: RecordingBook | None = None,
) -> ModelGateway:
    deployments = setup.models.config.deployments
    clients: dict[str, ModelClient]
    if mode is EvalMode.REPLAY:
        replay = ReplayModelClient(recordings, recordings_path)
        clients = dict.fromkeys(deployments, replay)
    else:
        if setup.missing_keys:
            needed = ", ".join(setup.missing_keys)
            msg = f"{mode} mode calls providers that need {needed} ({setup.models.path})"
            raise EvalConfigError(msg)
        clients = setup.provider_clients()
        if mode is EvalMode.RECORD:
            assert book is not None  # noqa: S101 - record mode always passes one
            clients = {
                name: RecordingModelClient(client, book, deployments[name].provider)
                for name, client in clients.items()
            }
    # No database: eval calls are accounted per case in the results, not as service traffic.
    return setup.gateway(clients, TracingRecorder(None, SpendLedger()))
