"""What every benchmark shares: arguments, verdict lines, server processes and the wrk runner.

A benchmark compares two figures measured in the same run (ratios hold on a busy machine), prints
them, and ends with one `target ...: met` or `target ...: not met` line per target. It exits 0
whatever the figures; non-zero only when something could not run.
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

PACKAGE = "{{ cookiecutter.package_name }}"
PROJECT = Path(__file__).resolve().parent.parent
# Generous: on a loaded machine two workers can take long to import and answer.
READY_TIMEOUT_SECONDS = 90.0
WRK_INSTALL_HINT = (
    "wrk is not installed. Install it with `sudo apt-get install wrk` (Debian, Ubuntu), "
    "`brew install wrk` (macOS) or `sudo dnf install wrk` (Fedora), or pass --wrk PATH."
)
# wrk calls done() once at the end; one tagged line is easier to parse than its report.
WRK_SCRIPT = """
wrk.method = "POST"
wrk.body = [[{body}]]
wrk.headers["Content-Type"] = "application/json"
{headers}
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("BENCH_RESULT %d %d %d %d %d %d\\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(99), e.status,
    e.connect + e.read + e.write + e.timeout))
end
"""


class BenchError(Exception):
    """Something the benchmark needs did not run; the message says what."""


def positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is not a positive integer")
    return value


def arguments(doc: str, *, rounds: int, seconds: int, warmup: int) -> argparse.ArgumentParser:
    """The options every benchmark takes, so `make bench BENCH_ARGS=...` reaches them all."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    add = parser.add_argument
    add("--rounds", type=positive, default=rounds, help=f"measured rounds ({rounds})")
    add("--seconds", type=positive, default=seconds, help=f"seconds per wrk run ({seconds})")
    add("--warmup", type=int, default=warmup, help=f"unmeasured seconds first ({warmup})")
    add("--wrk", default="wrk", help="the wrk executable (wrk)")
    return parser


def run_benchmark(
    name: str, measure: Callable[[argparse.Namespace, Path], None], args: argparse.Namespace
) -> int:
    """Run `measure(args, workdir)` in a temporary directory; a BenchError exits with 1."""
    try:
        with tempfile.TemporaryDirectory(prefix=f"{name}-") as directory:
            measure(args, Path(directory))
    except BenchError as error:
        print(f"{name}: {error}", file=sys.stderr)
        return 1
    return 0


def verdict(target: str, figure: str, met: bool) -> None:
    print(f"target {target}: {figure}: {'met' if met else 'not met'}")


def service_environment(workdir: Path, **values: str) -> dict[str, str]:
    """Production-like settings in a clean environment: a developer's APP_* must not leak in."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("APP_")}
    env.update(
        APP_ENV="production",
        APP_LOG_FORMAT="json",
        APP_LOG_LEVEL="INFO",
        APP_SECRET_KEY=secrets.token_urlsafe(48),
        APP_DATABASE_URL=f"sqlite+aiosqlite:///{workdir / 'bench.db'}",
        APP_SECRETS_DIR=str(workdir / "no-secrets"),
        APP_MODELS_FILE=str(PROJECT / "config" / "models.offline.toml"),
        APP_PRICES_FILE=str(PROJECT / "config" / "prices.toml"),
        APP_MODELS_UNAPPROVED_REASON="benchmark against a local fake upstream",
        APP_NFR_FILE=str(PROJECT / "nfr.toml"),
        # Metrics on, as deployed: the full stack's figures include the metrics middleware.
        APP_METRICS_PORT="0",
        # Lets the scripts run from a checkout whose package is not installed.
        PYTHONPATH=os.pathsep.join(filter(None, [str(PROJECT / "src"), env.get("PYTHONPATH")])),
    )
    env.update(values)
    return env


def migrate(env: dict[str, str], workdir: Path) -> None:
    command = [sys.executable, "-m", PACKAGE, "migrate"]
    result = subprocess.run(command, env=env, cwd=workdir, capture_output=True, text=True)
    if result.returncode != 0:
        raise BenchError(f"migrating failed ({result.returncode}):\n{result.stderr[-2000:]}")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def post(url: str, body: bytes | None = None, key: str = "") -> tuple[int, dict[str, str], bytes]:
    """GET, or POST a JSON body (with an API key); HTTP errors raise (urllib.error.HTTPError)."""
    headers = {"Content-Type": "application/json"} if body is not None else {}
    if key:
        headers["Authorization"] = f"Bearer {key}"
    # The URL is always our own http://127.0.0.1, never a file: or custom scheme.
    outgoing = urllib.request.Request(url, data=body, headers=headers)  # noqa: S310
    with urllib.request.urlopen(outgoing, timeout=10) as response:  # noqa: S310
        return response.status, dict(response.headers.items()), response.read()


@dataclass(frozen=True)
class Process:
    url: str
    pid: int
    log: Path


@contextmanager
def server_process(
    name: str, command: list[str], env: dict[str, str], workdir: Path, probe: Callable[[str], None]
) -> Iterator[Process]:
    """Start `command --port N`, wait until `probe(url)` passes, always stop it."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = workdir / f"{name}.log"
    with log.open("wb") as output:
        child = subprocess.Popen(
            [*command, "--port", str(port)], env=env, cwd=workdir, stdout=output, stderr=output
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
                    raise BenchError(
                        f"the {name} did not answer within {READY_TIMEOUT_SECONDS:g} s"
                    ) from None
                time.sleep(0.1)
        yield Process(url, child.pid, log)
    finally:
        child.terminate()
        try:
            child.wait(timeout=15)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc); 0 where there is none."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wait_until_idle(pid: int, limit_seconds: float = 60.0) -> None:
    """Wait until a server has finished what a closed wrk run left in flight."""
    started = time.monotonic()
    while time.monotonic() - started < limit_seconds:
        before = cpu_seconds(pid)
        time.sleep(0.5)
        if cpu_seconds(pid) - before < 0.05:  # Under a tenth of a core.
            return


@dataclass(frozen=True)
class Load:
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    cpu_seconds: float  # Of the process measured, over the run.

    @property
    def rate(self) -> float:
        return self.requests / self.seconds

    @property
    def cpu_ms_per_request(self) -> float:
        return self.cpu_seconds / max(self.requests, 1) * 1000


def find_wrk(name: str) -> str:
    wrk = shutil.which(name)
    if wrk is None:
        raise BenchError(WRK_INSTALL_HINT)
    return wrk


def write_wrk_script(workdir: Path, name: str, body: bytes, key: str = "") -> Path:
    path = workdir / f"{name}.lua"
    headers = f'wrk.headers["Authorization"] = "Bearer {key}"\n' if key else ""
    path.write_text(WRK_SCRIPT.format(body=body.decode(), headers=headers))
    return path


def run_wrk(
    wrk: str, script: Path, url: str, *, connections: int, seconds: int, pid: int | None = None
) -> Load:
    """POST the script's body for `seconds` over `connections`; every answer must be 2xx."""
    command = [wrk, "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout=10s", "-s", str(script)]
    before = cpu_seconds(pid) if pid else 0.0
    result = subprocess.run([*command, url], capture_output=True, text=True, check=False)
    cpu = cpu_seconds(pid) - before if pid else 0.0
    fields = parse_wrk(result.stdout)
    if result.returncode != 0 or fields is None:
        raise BenchError(f"wrk failed against {url}:\n{result.stdout}{result.stderr}")
    requests, duration_us, p50_us, p99_us, non_2xx, socket_errors = fields
    if non_2xx:
        raise BenchError(f"{url}: {non_2xx} of {requests} answers were not 2xx")
    if socket_errors:
        print(f"warning: wrk counted {socket_errors} socket errors against {url}")
    return Load(requests, duration_us / 1e6, p50_us / 1000, p99_us / 1000, cpu)


def parse_wrk(output: str) -> tuple[int, ...] | None:
    """The numbers of WRK_SCRIPT's BENCH_RESULT line, None when there is none."""
    for line in output.splitlines():
        tag, _, numbers = line.partition(" ")
        if tag == "BENCH_RESULT":
            return tuple(int(number) for number in numbers.split())
    return None
