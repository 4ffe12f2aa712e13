"""What start-up checks besides the gateway: nfr.toml, and that an eval run approved the models
file (production refuses one that none did, unless APP_MODELS_UNAPPROVED_REASON says why)."""

from __future__ import annotations

from collections.abc import Iterable

import structlog

from ..core.settings import AppEnv, Settings
from ..llm.config import load_models_config
from .approval import NotApprovedError, approval_of
from .nfr import load_nfr


def check_governance(settings: Settings, task_names: Iterable[str]) -> None:
    log = structlog.get_logger("governance")
    load_nfr(settings.nfr_file).check_covers(settings.nfr_file, task_names)
    sha256 = load_models_config(settings.models_file).sha256
    approval = approval_of(sha256, settings.approvals_file)
    if approval is not None:
        log.info("models_config_approved", sha256=sha256, runs=list(approval.runs))
        return
    reason = settings.models_unapproved_reason
    if settings.env is AppEnv.PRODUCTION and reason is None:
        msg = (
            f"{settings.models_file} (SHA-256 {sha256[:12]}) was approved by no eval run in "
            f"{settings.approvals_file}: run `make eval`, `make eval-bless` and `python -m "
            "<package> models approve`, or set APP_MODELS_UNAPPROVED_REASON "
            "(refused because APP_ENV=production)"
        )
        raise NotApprovedError(msg)
    log.warning("models_config_not_approved", sha256=sha256, reason=reason)
