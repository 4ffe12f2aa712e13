"""Two real uvicorn workers report one set of totals on the metrics port (multiprocess mode)."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from {{ cookiecutter.package_name }}.core import migrations

from ..factories import (
    OFFLINE_MODELS_FILE,
    PRICES_FILE,
    PROJECT_DIR,
    TEST_SECRET_KEY,
    make_settings,
)
from .scraping import scrape, value

REQUESTS = 40
START_SECONDS = 60.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until_up(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        assert process.poll() is None, "the server exited during start-up"
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    pytest.fail(f"{url} did not answer within {START_SECONDS}s")


@pytest.fixture
def two_workers(tmp_path: Path) -> Iterator[tuple[str, str, Path]]:
    database_url = f"sqlite+aiosqlite:///{tmp_path / 'workers.db'}"
    migrations.upgrade(make_settings(database_url=database_url))
    multiproc_dir = tmp_path / "prometheus"
    multiproc_dir.mkdir()
    (multiproc_dir / "left-by-an-earlier-run.db").write_bytes(b"stale")
    port, metrics_port = free_port(), free_port()
    environment = {
        **{k: v for k, v in os.environ.items() if not k.startswith("APP_")},
        "PYTHONPATH": os.pathsep.join([str(PROJECT_DIR / "src"), os.environ.get("PYTHONPATH", "")]),
        "APP_ENV": "test",
        "APP_SECRET_KEY": TEST_SECRET_KEY,
        "APP_DATABASE_URL": database_url,
        "APP_MODELS_FILE": str(OFFLINE_MODELS_FILE),
        "APP_PRICES_FILE": str(PRICES_FILE),
        "APP_NFR_FILE": str(PROJECT_DIR / "nfr.toml"),
        "APP_METRICS_PORT": str(metrics_port),
        "APP_METRICS_MULTIPROC_DIR": str(multiproc_dir),
        "APP_LOG_LEVEL": "WARNING",
    }
    environment.pop("PROMETHEUS_MULTIPROC_DIR", None)
    command = [sys.executable, "-m", "{{ cookiecutter.package_name }}", "serve"]
    process = subprocess.Popen(  # noqa: S603 - our own CLI
        [*command, "--workers", "2", "--port", str(port)],
        env=environment,
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
    )
    try:
        wait_until_up(f"http://127.0.0.1:{port}/health/ready", process)
        yield f"http://127.0.0.1:{port}", f"http://127.0.0.1:{metrics_port}/metrics", multiproc_dir
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


async def test_two_workers_report_correct_totals(two_workers: tuple[str, str, Path]) -> None:
    base_url, metrics_url, multiproc_dir = two_workers

    async def probe() -> int:
        # A connection per request, so the kernel spreads them over both workers.
        async with httpx.AsyncClient(base_url=base_url) as client:
            return (await client.get("/health/live")).status_code

    statuses = await asyncio.gather(*(probe() for _ in range(REQUESTS)))
    samples = await asyncio.to_thread(scrape, metrics_url)

    assert statuses == [200] * REQUESTS
    live = {"route": "/health/live", "status_class": "2xx"}
    assert value(samples, "http_server_request_duration_seconds_count", **live) == REQUESTS
    assert value(samples, "http_server_request_duration_seconds_count", **live) == REQUESTS
    assert not (multiproc_dir / "left-by-an-earlier-run.db").exists()
    worker_pids = {path.stem.rsplit("_", 1)[-1] for path in multiproc_dir.glob("gauge_live*.db")}
    assert len(worker_pids) == 2
