"""What observability runs while the app runs: the metrics port, model spans, gauge sampling."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING

import structlog

from .exposition import multiprocess_mode, serve_metrics, worker_exited
from .model_spans import start_model_spans, stop_model_spans

if TYPE_CHECKING:
    from opentelemetry.sdk.trace import TracerProvider

    from ..core.settings import Settings

Sample = Callable[[], None]


@asynccontextmanager
async def observed(
    settings: Settings, provider: TracerProvider | None, sample: Sample | None = None
) -> AsyncIterator[None]:
    """Serve metrics (one process; the supervisor serves several workers' sums), start model
    spans, and refresh the state gauges (circuits, budgets, queues) every few seconds."""
    log = structlog.get_logger("observability")
    server = None
    if settings.metrics_port is not None and not multiprocess_mode():
        server = serve_metrics(settings.host, settings.metrics_port)
        log.info("metrics_serving", host=settings.host, port=server.port)
    if provider is not None:
        start_model_spans(provider, capture_content=settings.trace_content)
    sampler = None
    if sample is not None:
        sampler = asyncio.create_task(
            sample_forever(sample, settings.metrics_sample_seconds), name="metrics-sampler"
        )
    try:
        yield
    finally:
        if sampler is not None:
            sampler.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await sampler
        if provider is not None:
            stop_model_spans()
            # Flushes the batch of spans not yet exported, bounded by the exporter's timeout.
            await asyncio.to_thread(provider.shutdown)
        if server is not None:
            server.close()
        worker_exited()


async def sample_forever(sample: Sample, interval_seconds: float) -> None:
    log = structlog.get_logger("observability")
    while True:
        try:
            sample()
        except Exception:  # A broken sampler must not end the service; it says so instead.
            log.exception("metrics_sample_failed")
        await asyncio.sleep(interval_seconds)
