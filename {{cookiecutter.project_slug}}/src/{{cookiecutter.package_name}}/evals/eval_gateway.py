"""The gateway an eval runs through: the production `ModelGateway`, with clients chosen by mode.

- replay: every deployment answers from the suite's recordings; no network, no keys.
- record: the configured providers answer, and every answer is written down.
- live: the configured providers answer; nothing is written.

Only the clients differ, so retries, repairs, fallbacks and pricing are the production ones.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ..core.settings import Settings
from ..llm.accounting import SpendLedger
from ..llm.client import ModelClient
from ..llm.config import LoadedModelsConfig, ModelConfigError, load_models_config
from ..llm.gateway import ModelGateway
from ..llm.keys import deployment_keys
from ..llm.pricing import load_price_table
from ..llm.providers import build_client
from .errors import EvalConfigError
from .mode import EvalMode
from .recorder import RecordingBook, RecordingModelClient
from .recordings import Recordings
from .replay import ReplayModelClient
from .trace import TracingRecorder


def load_models(settings: Settings, aliases: Iterable[str]) -> LoadedModelsConfig:
    try:
        models = load_models_config(settings.models_file)
    except ModelConfigError as error:
        raise EvalConfigError(str(error)) from None
    unknown = sorted(set(aliases) - set(models.config.aliases))
    if unknown:
        msg = f"{settings.models_file}: no alias {', '.join(unknown)}, which the suite calls"
        raise EvalConfigError(msg)
    return models


def build_eval_gateway(
    settings: Settings,
    models: LoadedModelsConfig,
    mode: EvalMode,
    *,
    recordings: Recordings | None = None,
    recordings_path: Path = Path(),
    book: RecordingBook | None = None,
) -> ModelGateway:
    try:
        prices = load_price_table(settings.prices_file)
        prices.check_covers(models.config)
    except ModelConfigError as error:
        raise EvalConfigError(str(error)) from None
    deployments = models.config.deployments
    clients: dict[str, ModelClient]
    if mode is EvalMode.REPLAY:
        replay = ReplayModelClient(recordings, recordings_path)
        clients = dict.fromkeys(deployments, replay)
    else:
        api_keys, missing = deployment_keys(settings, deployments)
        if missing:
            msg = f"{mode} mode calls providers that need {', '.join(missing)} ({models.path})"
            raise EvalConfigError(msg)
        clients = {name: build_client(d, api_keys[name]) for name, d in deployments.items()}
        if mode is EvalMode.RECORD:
            assert book is not None  # noqa: S101 - record mode always passes one
            clients = {
                name: RecordingModelClient(client, book, deployments[name].provider)
                for name, client in clients.items()
            }
    # No database: eval calls are accounted per case in the results, not as service traffic.
    return ModelGateway(models, prices, clients, TracingRecorder(None, SpendLedger()))
