"""Liveness under a flood of worst-case request bodies: `make bench` (or run it alone).

Serves the full service (one uvicorn worker, production-like settings, migrated SQLite), then
measures `GET /health/live` latency twice in one run: while idle, and while `--senders`
clients keep posting the most expensive body a caller can send within the body limit (about
1 MB of unknown fields, each one a validation error). Prints p50/p99 of both, the flood's
answer size, and whether the liveness p99 under flood stays under its target. Exits 0 whatever
the figures; non-zero only when something could not run.
"""

from __future__ import annotations

import argparse
import asyncio
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import harness
import httpx
import orjson

PACKAGE = "{{ cookiecutter.package_name }}"
PROJECT = Path(__file__).resolve().parent.parent
TASK_PATH = "/v1/tasks/triage_ticket"
LIVE_PATH = "/health/live"
P99_TARGET_MS = 100.0
BODY_LIMIT_BYTES = 1_048_576  # The service's default APP_MAX_REQUEST_BODY_BYTES.
READY_TIMEOUT_SECONDS = 30.0
PROBE_INTERVAL_SECONDS = 0.02
PROBE_TIMEOUT_SECONDS = 10.0


def worst_case_body(limit: int = BODY_LIMIT_BYTES) -> bytes:
    """As many unknown keys as fit under the body limit: each one is a validation error."""
    fields: dict[str, object] = {"subject": "s", "body": "b"}
    size = len(orjson.dumps(fields))
    index = 0
    while True:
        key = f"k{index}"
        size += len(key) + 5  # ,"kN":0
        if size > limit:
            return orjson.dumps(fields)
        fields[key] = 0
        index += 1


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=10.0, help="seconds of flood (10)")
    parser.add_argument("--idle", type=float, default=3.0, help="seconds of idle probing (3)")
    parser.add_argument("--senders", type=int, default=24, help="concurrent flooders (24)")
    # Internal: the flood runs in its own process, so its clients do not slow the probe.
    parser.add_argument("--flood-url", help=argparse.SUPPRESS)
    return parser.parse_args()


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def service_environment(workdir: Path) -> dict[str, str]:
    # Staging: production refuses the offline models file this benchmark serves.
    return harness.service_environment(workdir, APP_ENV="staging", APP_LOG_LEVEL="WARNING")


@contextmanager
def serve(workdir: Path) -> Iterator[str]:
    env = service_environment(workdir)
    subprocess.run([sys.executable, "-m", PACKAGE, "migrate"], env=env, cwd=workdir, check=True)
    port = free_port()
    log = (workdir / "service.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", PACKAGE, "serve", "--port", str(port)],
        env=env,
        cwd=workdir,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + READY_TIMEOUT_SECONDS
        while True:
            if process.poll() is not None:
                raise SystemExit(f"the service exited with {process.returncode}; see {log.name}")
            try:
                if httpx.get(url + LIVE_PATH, timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                if time.monotonic() > deadline:
                    raise SystemExit("the service did not start") from None
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


async def probe(url: str, seconds: float) -> list[float]:
    """Liveness latencies (ms), one probe at a time; a probe that times out counts as its wait."""
    latencies: list[float] = []
    async with httpx.AsyncClient(timeout=PROBE_TIMEOUT_SECONDS) as client:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            started = time.perf_counter()
            with suppress(httpx.HTTPError):
                await client.get(url + LIVE_PATH)
            latencies.append((time.perf_counter() - started) * 1000)
            await asyncio.sleep(PROBE_INTERVAL_SECONDS)
    return latencies


async def flood(url: str, body: bytes, senders: int, stop: asyncio.Event) -> tuple[int, int]:
    """Post `body` from `senders` clients until `stop`; returns (answers, largest answer)."""
    answers = largest = 0
    headers = {"content-type": "application/json"}

    async def sender() -> None:
        nonlocal answers, largest
        async with httpx.AsyncClient(timeout=60) as client:
            while not stop.is_set():
                try:
                    response = await client.post(url + TASK_PATH, content=body, headers=headers)
                except httpx.HTTPError:
                    continue
                answers += 1
                largest = max(largest, len(response.content))

    await asyncio.gather(*(sender() for _ in range(senders)))
    return answers, largest


async def flood_for(url: str, seconds: float, senders: int) -> None:
    """The flood process: posts for `seconds`, then prints `answers largest`."""
    stop = asyncio.Event()
    asyncio.get_running_loop().call_later(seconds, stop.set)
    answers, largest = await flood(url, worst_case_body(), senders, stop)
    print(answers, largest)


async def measure(url: str, args: argparse.Namespace) -> None:
    body = worst_case_body()
    idle = await probe(url, args.idle)
    flooder = await asyncio.create_subprocess_exec(
        sys.executable,
        __file__,
        "--flood-url",
        url,
        "--duration",
        str(args.duration + 1.0),
        "--senders",
        str(args.senders),
        stdout=asyncio.subprocess.PIPE,
    )
    await asyncio.sleep(0.5)  # Let the flood build up before measuring.
    loaded = await probe(url, args.duration)
    output, _ = await flooder.communicate()
    answers, largest = (int(word) for word in output.split())
    idle_p50, idle_p99 = percentiles(idle)
    p50, p99 = percentiles(loaded)
    print(f"worst-case body: {len(body)} bytes; {args.senders} senders for {args.duration:.0f} s")
    print(f"flood answers:   {answers} ({answers / args.duration:.1f}/s), largest {largest} bytes")
    print(f"liveness idle:   p50 {idle_p50:.1f} ms, p99 {idle_p99:.1f} ms ({len(idle)} probes)")
    print(f"liveness flood:  p50 {p50:.1f} ms, p99 {p99:.1f} ms ({len(loaded)} probes)")
    print(f"flood/idle p99:  {p99 / max(idle_p99, 0.001):.1f}x")
    verdict = "met" if p99 < P99_TARGET_MS else "NOT met"
    print(f"target: liveness p99 under flood < {P99_TARGET_MS:.0f} ms: {verdict}")


def percentiles(samples: list[float]) -> tuple[float, float]:
    if len(samples) < 2:
        value = samples[0] if samples else float("nan")
        return value, value
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return statistics.median(samples), cuts[98]


def main() -> None:
    args = parse_args()
    if args.flood_url:
        asyncio.run(flood_for(args.flood_url, args.duration, args.senders))
        return
    with (
        tempfile.TemporaryDirectory(prefix="bench-flood-") as directory,
        serve(Path(directory)) as url,
    ):
        asyncio.run(measure(url, args))


if __name__ == "__main__":
    main()
