"""What `bench_gateway.py` runs on: the upstream and service processes, wrk, the gateway in-process.

Kept apart so the benchmark itself reads as the list of measurements it makes.
"""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import sqlite3
import statistics
import subprocess
import sys
import time
import urllib.error
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import AbstractContextManager, asynccontextmanager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from bench import (
    PROJECT,
    WRK_SCRIPT,
    BenchError,
    free_port,
    request,
    service_environment,
    wrk_fields,
)

from {{ cookiecutter.package_name }}.core.database import create_engine, create_sessionmaker
from {{ cookiecutter.package_name }}.core.logging import configure_logging
from {{ cookiecutter.package_name }}.core.settings import Settings
from {{ cookiecutter.package_name }}.llm.gateway import ModelGateway
from {{ cookiecutter.package_name }}.llm.providers.openai import OpenAIClient
from {{ cookiecutter.package_name }}.llm.setup import start_gateway, stop_gateway
from {{ cookiecutter.package_name }}.llm.types import ModelRequest
from {{ cookiecutter.package_name }}.tasks.registry import task_registry

UPSTREAM_SCRIPT = PROJECT / "scripts" / "bench_upstream.py"
PRICES_FILE = PROJECT / "config" / "prices.toml"
DEPLOYMENT = "bench-openai"
MODEL = "gpt-4.1-mini-2025-04-14"  # Priced in config/prices.toml, so the costs are real.
TASK = "triage_ticket"
TASK_PATH = f"/v1/tasks/{TASK}"
CHAT_PATH = "/v1/chat/completions"
TICKET = {
    "subject": "Cannot log in since the update",
    "body": "Since this morning's update the login page rejects my password and I cannot work.",
}
READY_TIMEOUT_SECONDS = 30.0
ADDED_LATENCY_TARGET_MS = 1.0
RATIO_TARGET = 0.90
# Only for this machine's fake upstream; long and random so production settings accept it.
API_KEY = "sk-bench-" + secrets.token_urlsafe(32)


@dataclass(frozen=True)
class Load:
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    non_2xx: int
    socket_errors: int
    cpu: dict[str, float]  # Share of one core per process, over the run.

    @property
    def rate(self) -> float:
        return self.requests / self.seconds


@dataclass(frozen=True)
class Process:
    url: str
    pid: int
    log: Path


def models_toml(upstream_url: str, max_connections: int) -> str:
    return f"""version = "bench"

[deployments.{DEPLOYMENT}]
provider = "openai"
model = "{MODEL}"
base_url = "{upstream_url}/v1"
max_connections = {max_connections}

[deployments.{DEPLOYMENT}.timeouts]
connect_seconds = 5.0
first_token_seconds = 30.0
total_seconds = 30.0

[aliases.default]
deployments = ["{DEPLOYMENT}"]
"""


def write_models_file(workdir: Path, name: str, upstream_url: str, connections: int) -> Path:
    path = workdir / f"{name}.models.toml"
    path.write_text(models_toml(upstream_url, connections))
    return path


def database_url(path: Path) -> str:
    return f"sqlite+aiosqlite:///{path}"


def service_env(workdir: Path, models_file: Path, database: Path) -> dict[str, str]:
    """bench.py's production-like environment, with this benchmark's models and database."""
    env = service_environment(workdir)
    env.update(
        APP_ENV="production",
        APP_DATABASE_URL=database_url(database),
        APP_MODELS_FILE=str(models_file),
        APP_PRICES_FILE=str(PRICES_FILE),
        APP_OPENAI_API_KEY=API_KEY,
        APP_MODELS_UNAPPROVED_REASON="benchmark against a local fake upstream",
    )
    return env


def in_process_settings(env: dict[str, str]) -> Settings:
    """The same settings as the served app, for a gateway built in this process."""
    values: dict[str, Any] = {
        name.removeprefix("APP_").lower(): value
        for name, value in env.items()
        if name.startswith("APP_") and name != "APP_SECRETS_DIR"
    }
    return Settings(_env_file=None, **values)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def median(values: list[float]) -> float:
    return statistics.median(values)


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc); 0 where there is none."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wait_until_idle(pid: int, limit_seconds: float = 60.0) -> float:
    """Wait until a server has finished what a closed wrk run left in flight; seconds waited.

    A server that falls behind keeps working on the warm-up's requests after wrk has gone, and
    they would count against the measured run.
    """
    started = time.monotonic()
    while time.monotonic() - started < limit_seconds:
        before = cpu_seconds(pid)
        time.sleep(0.5)
        if cpu_seconds(pid) - before < 0.05:  # Under a tenth of a core.
            break
    return time.monotonic() - started


@contextmanager
def process(
    name: str, command: list[str], env: dict[str, str], workdir: Path, probe: Callable[[str], None]
) -> Iterator[Process]:
    """Start a server process on a free port, wait until `probe(url)` passes, always stop it."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = workdir / f"{name}.log"
    with log.open("wb") as output:
        child = subprocess.Popen(
            [*command, "--port", str(port)],
            env=env,
            cwd=workdir,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + READY_TIMEOUT_SECONDS
        while True:
            if child.poll() is not None:
                tail = log.read_text(errors="replace")[-2000:]
                raise BenchError(f"the {name} exited with {child.returncode}:\n{tail}")
            try:
                probe(url)
                break
            except (OSError, urllib.error.URLError):
                if time.monotonic() > deadline:
                    raise BenchError(f"the {name} did not answer within 30 s") from None
                time.sleep(0.1)
        yield Process(url, child.pid, log)
    finally:
        child.terminate()
        try:
            child.wait(timeout=15)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()


def check_answer(what: str, url: str, body: bytes, expected: Callable[[Any], bool]) -> None:
    status, _, answer = request(url, body)
    if status != 200 or not expected(json.loads(answer)):
        raise BenchError(f"{what}: POST {url} answered {status} {answer[:300]!r}")


def upstream(latency_ms: float, workdir: Path, body: bytes) -> AbstractContextManager[Process]:
    """The fake OpenAI-compatible upstream; ready once it answers a chat completion."""
    command = [sys.executable, str(UPSTREAM_SCRIPT), f"--latency-ms={latency_ms:g}"]

    def probe(url: str) -> None:
        check_answer("the upstream", url + CHAT_PATH, body, lambda a: bool(a["choices"]))

    return process(f"upstream-{latency_ms:g}ms", command, dict(os.environ), workdir, probe)


def service(name: str, env: dict[str, str], workdir: Path) -> AbstractContextManager[Process]:
    """`python -m {{ cookiecutter.package_name }} serve`, one worker; ready once the triage task answers."""
    command = [sys.executable, "-m", "{{ cookiecutter.package_name }}", "serve", "--workers=1"]
    ticket = json.dumps(TICKET).encode()

    def probe(url: str) -> None:
        request(url + "/health/live")
        check_answer(
            name, url + TASK_PATH, ticket, lambda a: a["output"]["category"] == "technical"
        )

    return process(name, command, env, workdir, probe)


def run_wrk(
    wrk: str, script: Path, url: str, options: tuple[int, int, int], pids: dict[str, int]
) -> Load:
    """wrk for `seconds` with `connections` over `threads`; measures the CPU share of `pids`."""
    connections, threads, seconds = options
    command = [wrk, f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout=10s"]
    before = {name: cpu_seconds(pid) for name, pid in pids.items()}
    started = time.perf_counter()
    result = subprocess.run(
        [*command, f"--script={script}", url], capture_output=True, text=True, check=False
    )
    wall = time.perf_counter() - started
    cpu = {name: (cpu_seconds(pid) - before[name]) / wall for name, pid in pids.items()}
    fields = wrk_fields(result.stdout)
    if result.returncode != 0 or "BENCH_RESULT" not in fields:
        raise BenchError(f"wrk failed against {url}:\n{result.stdout}{result.stderr}")
    requests, duration_us, p50_us, p99_us, non_2xx = fields["BENCH_RESULT"]
    socket_errors = fields.get("BENCH_SOCKET_ERRORS", [0])[0]
    return Load(
        requests, duration_us / 1e6, p50_us / 1000, p99_us / 1000, non_2xx, socket_errors, cpu
    )


def wrk_script(workdir: Path, name: str, body: bytes) -> Path:
    path = workdir / f"{name}.lua"
    path.write_text(WRK_SCRIPT.format(body=body.decode()))
    return path


def count_records(database: Path) -> int:
    with sqlite3.connect(database) as connection:
        (count,) = connection.execute("SELECT count(*) FROM inference_records").fetchone()
    return int(count)


def triage_request() -> ModelRequest:
    task = task_registry().get(TASK)
    if task is None:
        raise BenchError(f"no task named {TASK}")
    return task.build_request(task.input_model.model_validate(TICKET))


def chat_body(gateway: ModelGateway, model_request: ModelRequest) -> dict[str, Any]:
    """The JSON body the gateway's OpenAI adapter sends for this request."""
    client = gateway.clients[DEPLOYMENT]
    assert isinstance(client, OpenAIClient)  # noqa: S101 - the models file says so
    return client._body(model_request, stream=False)  # Its own body, not a copy that may drift.


@asynccontextmanager
async def in_process_gateway(settings: Settings, log: Path) -> AsyncIterator[ModelGateway]:
    """A gateway as the app builds it, recording to the migrated database, logging to `log`."""
    with log.open("w", encoding="utf-8") as stream:
        configure_logging(settings, stream)
        engine = create_engine(settings)
        try:
            gateway = await start_gateway(
                settings, create_sessionmaker(engine), [task.alias for task in task_registry()]
            )
            try:
                yield gateway
            finally:
                await stop_gateway(gateway)
        finally:
            await engine.dispose()


def runner() -> asyncio.Runner:
    """The service's event loop (uvloop) for the in-process measurements."""
    try:
        import uvloop
    except ImportError:
        return asyncio.Runner()
    return asyncio.Runner(loop_factory=uvloop.new_event_loop)


async def expect_200(response: Awaitable[httpx.Response]) -> None:
    answer = await response
    if answer.status_code != 200:
        raise BenchError(f"{answer.request.url} answered {answer.status_code}: {answer.text[:300]}")


class Loads(dict[str, Load]):
    """The throughput runs by name, each printed as it is added."""

    def __init__(self, ideal: float) -> None:
        super().__init__()
        self.ideal = ideal
        header = f"{'run':<18}  {'req/s':>6}  {'ratio':>5}  {'p50 ms':>7}  {'p99 ms':>7}"
        print(header + f"  {'non-2xx':>7}  CPU (share of one core)")

    def add(self, name: str, load: Load) -> None:
        self[name] = load
        cpu = ", ".join(f"{who} {share * 100:.0f}%" for who, share in load.cpu.items())
        errors = f", {load.socket_errors} socket errors" if load.socket_errors else ""
        p50, p99 = (f"{load.p50_ms:.1f}", f"{load.p99_ms:.1f}") if load.requests else ("-", "-")
        print(
            f"{name:<18}  {load.rate:>6.0f}  {load.rate / self.ideal:>5.2f}  {p50:>7}  {p99:>7}  "
            f"{load.non_2xx:>7}  {cpu}{errors}"
        )


def summarise(samples: dict[str, list[float]], calls: int, loads: Loads) -> None:
    """Why the throughput target is missed, when it is, then the figures against the targets."""
    ideal, served = loads.ideal, loads["wrk -> service"]
    ratio = served.rate / ideal
    share = served.cpu["service"]
    if ratio < RATIO_TARGET:
        print()
        if served.requests == 0:
            print("No request to the service completed within the run: each took longer.")
        else:
            print(
                f"The worker used {share * 100:.0f}% of a core, "
                f"{share / served.rate * 1000:.2f} ms of CPU per request: one core caps it near "
                f"{served.rate / max(share, 0.01):.0f} req/s; "
                f"{RATIO_TARGET * 100:.0f}% of the ideal needs <= "
                f"{1000 / (RATIO_TARGET * ideal):.2f} ms per request."
            )
        if loads["wrk -> upstream"].rate < RATIO_TARGET * ideal:
            print("wrk straight at the upstream misses the target too: the machine is the limit.")
        elif loads["gateway in-process"].rate < RATIO_TARGET * ideal:
            print(
                "The gateway alone, without the HTTP server, misses it too: its cost is the limit."
            )
    added = {kind: median(times) - median(samples["direct"]) for kind, times in samples.items()}
    rounds = {
        kind: [
            median(times[i : i + calls]) - median(samples["direct"][i : i + calls])
            for i in range(0, len(times), calls)
        ]
        for kind, times in samples.items()
    }
    met = {True: "met", False: "NOT met"}
    gateway_met = met[added["gateway"] < ADDED_LATENCY_TARGET_MS]
    rows = [
        (
            "added median latency, gateway",
            f"{added['gateway']:.3f} ms",
            rounds["gateway"],
            f"target < {ADDED_LATENCY_TARGET_MS:g} ms: {gateway_met}",
        ),
        (
            "added median latency, HTTP path",
            f"{added['http']:.3f} ms",
            rounds["http"],
            "for information",
        ),
    ]
    print("\nsummary")
    for name, figure, spread, verdict in rows:
        low, high = min(spread), max(spread)
        print(f"  {name:<32}  {figure:>11}  {verdict} (rounds {low:.3f} to {high:.3f})")
    for name, load in loads.items():
        verdict = ""
        if name == "wrk -> service":
            verdict = f", target >= {RATIO_TARGET:.2f}: {met[load.rate >= RATIO_TARGET * ideal]}"
        print(f"  {name:<32}  {load.rate:>5.0f} req/s  {load.rate / ideal:.2f} of ideal{verdict}")
