"""Serve the metrics on their own port, for one process or several uvicorn workers.

One process: the lifespan serves this process's registry. Several workers: prometheus-client's
multiprocess mode. Each worker writes its values to files in PROMETHEUS_MULTIPROC_DIR, which
must be set before a worker imports prometheus-client; the supervisor (the `serve` command)
empties the directory at start, so totals never include an earlier run, and serves the sum
of the files on the metrics port.
"""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path
from wsgiref.simple_server import WSGIServer

from prometheus_client import REGISTRY, CollectorRegistry, multiprocess, start_http_server

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"


class MetricsServer:
    def __init__(self, server: WSGIServer, thread: threading.Thread) -> None:
        self._server, self._thread = server, thread

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


def multiprocess_mode() -> bool:
    return bool(os.environ.get(MULTIPROC_ENV))


def prepare_multiprocess(directory: Path) -> Path:
    """Empty `directory` and point the workers at it; call in the supervisor, before them.

    A directory named in PROMETHEUS_MULTIPROC_DIR already wins over the setting.
    """
    directory = Path(os.environ.get(MULTIPROC_ENV) or directory).resolve()
    if directory.exists():
        shutil.rmtree(directory)
    directory.mkdir(parents=True)
    os.environ[MULTIPROC_ENV] = str(directory)
    return directory


def serve_metrics(host: str, port: int) -> MetricsServer:
    """Serve /metrics from a daemon thread; in multiprocess mode, the sum of every worker's."""
    registry = REGISTRY
    if multiprocess_mode():
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    server, thread = start_http_server(port, addr=host, registry=registry)
    return MetricsServer(server, thread)


def worker_exited() -> None:
    """Drop this worker's live gauges (in flight, queue depth) from the multiprocess sums."""
    if multiprocess_mode():
        multiprocess.mark_process_dead(os.getpid())  # type: ignore[no-untyped-call]
