"""Throughput of the full service against a bare FastAPI app, and the cold start: `make bench`.

Serves the same validate-and-echo endpoint from the full service (every middleware, JSON
access log, an API key checked with its rate limit, production-like settings, migrated SQLite;
`--no-auth` drops the key, `--redis-url` adds the Redis rate limiter) and from a bare FastAPI
app, one uvicorn worker each, then loads them with wrk in alternation so both see the same
machine. Prints requests/s, p50 and p99 per app, and the full/bare ratio against its target. Exits 0
whatever the figures; non-zero only when something could not run.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

from bench_apps import ECHO_PATH

PACKAGE = "{{ cookiecutter.package_name }}"
PROJECT = Path(__file__).resolve().parent.parent
SERVE_SCRIPT = PROJECT / "scripts" / "bench_apps.py"
ECHO_BODY = b'{"name":"benchmark","count":3,"score":0.5,"tags":["a","b","c"]}'
RATIO_TARGET = 0.80
REDIS_ADDED_TARGET_MS = 0.3
COLD_START_TARGET_SECONDS = 1.0
READY_TIMEOUT_SECONDS = 30.0
ACCESS_LINE_MARKER = b'"event":"request"'
WRK_INSTALL_HINT = (
    "wrk is not installed. Install it with `sudo apt-get install wrk` (Debian, Ubuntu), "
    "`brew install wrk` (macOS) or `sudo dnf install wrk` (Fedora), or pass --wrk PATH."
)
# wrk calls done() once at the end; one tagged line is easier to parse than its report.
WRK_SCRIPT = """
wrk.method = "POST"
wrk.body = [[{body}]]
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer {key}"

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("BENCH_RESULT %d %d %d %d %d\\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(99), e.status))
  io.write(string.format("BENCH_SOCKET_ERRORS %d\\n", e.connect + e.read + e.write + e.timeout))
end
"""
COLD_START_CODE = f"""
import time
started = time.perf_counter()
from {PACKAGE}.app import create_app
imported = time.perf_counter()
create_app()
print(imported - started, time.perf_counter() - imported)
"""


class BenchError(Exception):
    """Something the benchmark needs did not run; the message says what."""


@dataclass(frozen=True)
class Load:
    requests: int
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    socket_errors: int


@dataclass(frozen=True)
class Server:
    name: str
    url: str
    log: Path


def positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is not a positive integer")
    return value


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=positive, default=5, help="seconds per run (5)")
    parser.add_argument("--rounds", type=positive, default=5, help="runs per app (5)")
    parser.add_argument("--connections", type=positive, default=64, help="open connections (64)")
    parser.add_argument("--threads", type=positive, default=1, help="wrk threads (1)")
    parser.add_argument("--warmup", type=positive, default=2, help="unmeasured seconds per app (2)")
    parser.add_argument("--cold-starts", type=int, default=5, help="fresh processes timed, 0: skip")
    parser.add_argument("--wrk", default="wrk", help="the wrk executable (wrk)")
    parser.add_argument(
        "--no-auth", action="store_true", help="serve the full app's echo without an API key"
    )
    parser.add_argument(
        "--redis-url", help="also serve the full app with the Redis rate limiter and compare"
    )
    return parser.parse_args()


def service_environment(workdir: Path) -> dict[str, str]:
    """Production-like settings in a clean environment: a developer's APP_* must not leak in."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("APP_")}
    env.update(
        APP_ENV="staging",
        APP_LOG_FORMAT="json",
        APP_LOG_LEVEL="INFO",
        APP_SECRET_KEY=secrets.token_urlsafe(48),
        APP_DATABASE_URL=f"sqlite+aiosqlite:///{workdir / 'bench.db'}",
        APP_SECRETS_DIR=str(workdir / "no-secrets"),
        # The service runs in workdir: point it at the project's offline model configuration.
        APP_MODELS_FILE=str(PROJECT / "config" / "models.offline.toml"),
        APP_PRICES_FILE=str(PROJECT / "config" / "prices.toml"),
        # Lets the script run from a checkout whose package is not installed.
        PYTHONPATH=os.pathsep.join(filter(None, [str(PROJECT / "src"), env.get("PYTHONPATH")])),
    )
    return env


def run_checked(command: list[str], env: dict[str, str], cwd: Path, what: str) -> str:
    result = subprocess.run(command, env=env, cwd=cwd, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BenchError(f"{what} failed ({result.returncode}):\n{result.stderr[-2000:]}")
    return result.stdout


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def request(
    url: str, body: bytes | None = None, key: str = ""
) -> tuple[int, dict[str, str], bytes]:
    headers = {"Content-Type": "application/json"} if body is not None else {}
    if key:
        headers["Authorization"] = f"Bearer {key}"
    # The URL is always our own http://127.0.0.1, never a file: or custom scheme.
    outgoing = urllib.request.Request(url, data=body, headers=headers)  # noqa: S310
    with urllib.request.urlopen(outgoing, timeout=2) as response:  # noqa: S310
        return response.status, dict(response.headers.items()), response.read()


@contextmanager
def serve(
    name: str, env: dict[str, str], workdir: Path, probe_path: str, key: str = ""
) -> Iterator[Server]:
    """Start one app in its own uvicorn process, wait until it answers, always stop it."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = workdir / f"{name}.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, str(SERVE_SCRIPT), name, str(port)],
            env=env,
            cwd=workdir,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        body = ECHO_BODY if probe_path == ECHO_PATH else None
        deadline = time.monotonic() + READY_TIMEOUT_SECONDS
        while True:
            if process.poll() is not None:
                tail = log.read_text(errors="replace")[-2000:]
                raise BenchError(f"the {name} app exited with {process.returncode}:\n{tail}")
            try:
                request(url + probe_path, body, key)
                break
            except (OSError, urllib.error.URLError):
                if time.monotonic() > deadline:
                    raise BenchError(
                        f"the {name} app did not answer {probe_path} within "
                        f"{READY_TIMEOUT_SECONDS:.0f} s"
                    ) from None
                time.sleep(0.1)
        yield Server(name, url, log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def check_echo(server: Server, key: str) -> None:
    """Both apps must answer the same; the full one must show its middleware ran."""
    try:
        status, headers, body = request(server.url + ECHO_PATH, ECHO_BODY, key)
    except (OSError, urllib.error.URLError) as error:
        raise BenchError(f"{server.name}: POST {ECHO_PATH} failed: {error}") from error
    if status != 200 or json.loads(body) != json.loads(ECHO_BODY):
        raise BenchError(f"{server.name}: POST {ECHO_PATH} answered {status} {body[:200]!r}")
    if server.name.startswith("full") and "x-request-id" not in {name.lower() for name in headers}:
        raise BenchError("full: the response has no X-Request-ID; is the middleware installed?")


def run_wrk(wrk: str, script: Path, server: Server, seconds: int, args: argparse.Namespace) -> Load:
    command = [
        wrk,
        f"--threads={args.threads}",
        f"--connections={args.connections}",
        f"--duration={seconds}s",
        "--timeout=10s",
        f"--script={script}",
        server.url + ECHO_PATH,
    ]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    fields = wrk_fields(result.stdout)
    if result.returncode != 0 or "BENCH_RESULT" not in fields:
        raise BenchError(f"wrk failed against {server.name}:\n{result.stdout}{result.stderr}")
    requests, duration_us, p50_us, p99_us, bad_status = fields["BENCH_RESULT"]
    if bad_status:
        raise BenchError(f"{server.name}: {bad_status} of {requests} responses were not 2xx/3xx")
    return Load(
        requests=requests,
        requests_per_second=requests / (duration_us / 1e6),
        p50_ms=p50_us / 1000,
        p99_ms=p99_us / 1000,
        socket_errors=fields.get("BENCH_SOCKET_ERRORS", [0])[0],
    )


def wrk_fields(output: str) -> dict[str, list[int]]:
    """The numbers of WRK_SCRIPT's tagged lines, by tag."""
    fields: dict[str, list[int]] = {}
    for line in output.splitlines():
        tag, _, numbers = line.partition(" ")
        if tag.startswith("BENCH_"):
            fields[tag] = [int(number) for number in numbers.split()]
    return fields


def count_access_lines(log: Path) -> int:
    count = 0
    with log.open("rb") as lines:
        while chunk := lines.read(1 << 20):
            count += chunk.count(ACCESS_LINE_MARKER)  # The marker never spans lines.
    return count


def bench_key(env: dict[str, str], workdir: Path) -> str:
    """An API key whose rate limit the benchmark never reaches, but which is checked."""
    output = run_checked(
        [
            sys.executable,
            "-m",
            PACKAGE,
            "keys",
            "create",
            "--name",
            "bench",
            "--role",
            "viewer",
            "--rpm",
            "1000000000",
            "--concurrent",
            "100000",
        ],
        env,
        workdir,
        "creating the benchmark's API key",
    )
    return output.strip().splitlines()[-1]


def measure_load(args: argparse.Namespace, workdir: Path) -> None:
    wrk = shutil.which(args.wrk)
    if wrk is None:
        raise BenchError(WRK_INSTALL_HINT)
    env = service_environment(workdir)
    env["BENCH_AUTH"] = "0" if args.no_auth else "1"
    run_checked([sys.executable, "-m", PACKAGE, "migrate"], env, workdir, "migrating")
    key = "" if args.no_auth else bench_key(env, workdir)
    script = workdir / "echo.lua"
    script.write_text(WRK_SCRIPT.format(body=ECHO_BODY.decode(), key=key))
    loads: dict[str, list[Load]] = {"full": [], "bare": []}
    print(f"full app: {'no API key' if args.no_auth else 'API key + rate limit (memory)'}")
    with ExitStack() as stack:
        servers = [
            stack.enter_context(serve("full", env, workdir, ECHO_PATH, key)),
            stack.enter_context(serve("bare", env, workdir, ECHO_PATH)),
        ]
        if args.redis_url:
            redis_env = {
                **env,
                "APP_REDIS_URL": args.redis_url,
                "APP_REDIS_KEY_PREFIX": f"bench-{secrets.token_hex(8)}",
            }
            redis_server = stack.enter_context(
                serve("full-redis", redis_env, workdir, ECHO_PATH, key)
            )
        for server in servers:
            check_echo(server, key)
            run_wrk(wrk, script, server, args.warmup, args)
        print(
            f"POST {ECHO_PATH}: {args.rounds} rounds x {args.duration} s per app, "
            f"{args.connections} connections, {args.threads} wrk thread(s), "
            f"{os.cpu_count()} CPUs\n"
        )
        print(f"{'round':>5}  {'full req/s':>10}  {'bare req/s':>10}  {'ratio':>6}")
        for number in range(args.rounds):
            # Swap the order every round, so a drift of the machine hits both apps alike.
            for server in servers if number % 2 == 0 else servers[::-1]:
                loads[server.name].append(run_wrk(wrk, script, server, args.duration, args))
            full, bare = loads["full"][-1], loads["bare"][-1]
            ratio = full.requests_per_second / bare.requests_per_second
            print(
                f"{number + 1:>5}  {full.requests_per_second:>10.0f}  "
                f"{bare.requests_per_second:>10.0f}  {ratio:>6.2f}"
            )
        access_lines = count_access_lines(servers[0].log)
        if args.redis_url:
            compare_redis(wrk, script, servers[0], redis_server, args)
    if access_lines == 0:
        raise BenchError("the full app wrote no access log line: it did not run its real stack")
    report(loads)
    measured = sum(run.requests for run in loads["full"])
    print(f"access log lines from the full app: {access_lines} ({measured} measured requests)")


def compare_redis(
    wrk: str, script: Path, memory: Server, redis: Server, args: argparse.Namespace
) -> None:
    """Latency one connection at a time (no queueing hides it): what the Redis round trip adds."""
    single = argparse.Namespace(**{**vars(args), "connections": 1, "threads": 1})
    run_wrk(wrk, script, redis, args.warmup, single)
    added = []
    for number in range(args.rounds):
        pair = (memory, redis) if number % 2 == 0 else (redis, memory)
        p50 = {
            server.name: run_wrk(wrk, script, server, args.duration, single).p50_ms
            for server in pair
        }
        added.append(p50["full-redis"] - p50["full"])
    median = statistics.median(added)
    verdict = "met" if median < REDIS_ADDED_TARGET_MS else "NOT met"
    print(
        f"\nRedis rate limiter adds {median:.3f} ms median per request (1 connection; rounds "
        f"{min(added):.3f}-{max(added):.3f}; target < {REDIS_ADDED_TARGET_MS} ms: {verdict})"
    )


def report(loads: dict[str, list[Load]]) -> None:
    print(f"\n{'app':<5}  {'req/s':>8}  {'p50 ms':>7}  {'p99 ms':>7}  (medians over rounds)")
    for name, runs in loads.items():
        rps = statistics.median(run.requests_per_second for run in runs)
        p50 = statistics.median(run.p50_ms for run in runs)
        p99 = statistics.median(run.p99_ms for run in runs)
        print(f"{name:<5}  {rps:>8.0f}  {p50:>7.2f}  {p99:>7.2f}")
    ratios = [
        full.requests_per_second / bare.requests_per_second
        for full, bare in zip(loads["full"], loads["bare"], strict=True)
    ]
    ratio = statistics.median(ratios)
    verdict = "met" if ratio >= RATIO_TARGET else "NOT met"
    print(
        f"\nfull/bare throughput: {ratio:.2f} (rounds {min(ratios):.2f}-{max(ratios):.2f}; "
        f"target >= {RATIO_TARGET:.2f}: {verdict})"
    )
    socket_errors = sum(run.socket_errors for runs in loads.values() for run in runs)
    if socket_errors:
        print(f"warning: wrk counted {socket_errors} socket errors; the figures may be off")


def measure_cold_start(count: int, workdir: Path) -> None:
    """Import the app module and build the app in fresh interpreters; the median counts."""
    env = service_environment(workdir)
    command = [sys.executable, "-c", COLD_START_CODE]
    imports, creates, walls = [], [], []
    for _ in range(count):
        started = time.perf_counter()
        output = run_checked(command, env, workdir, "the cold start")
        walls.append(time.perf_counter() - started)
        imported, created = (float(seconds) for seconds in output.split()[-2:])
        imports.append(imported)
        creates.append(created)
    total = statistics.median(i + c for i, c in zip(imports, creates, strict=True))
    verdict = "met" if total < COLD_START_TARGET_SECONDS else "NOT met"
    print(
        f"\ncold start (import {PACKAGE}.app + create_app), median of {count}: "
        f"{total * 1000:.0f} ms = import {statistics.median(imports) * 1000:.0f} ms "
        f"+ create_app {statistics.median(creates) * 1000:.0f} ms "
        f"(target < {COLD_START_TARGET_SECONDS:g} s: {verdict}); "
        f"whole process incl. interpreter: {statistics.median(walls) * 1000:.0f} ms"
    )


def main() -> int:
    args = parse_args()
    try:
        with tempfile.TemporaryDirectory(prefix="bench-") as directory:
            workdir = Path(directory)
            measure_load(args, workdir)
            if args.cold_starts > 0:
                measure_cold_start(args.cold_starts, workdir)
    except BenchError as error:
        print(f"bench: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
