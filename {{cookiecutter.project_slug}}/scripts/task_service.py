"""The served service and its fake upstream, for the benchmarks of the task path.

The service runs as deployed (`python -m <package> serve`, production settings, JSON logs, a
migrated SQLite database) with one OpenAI-compatible deployment pointing at `fake_upstream.py`.
"""

from __future__ import annotations

import json
import secrets
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from harness import PACKAGE, PROJECT, BenchError, Process, migrate, post, server_process
from harness import service_environment as base_environment

TASK_PATH = "/v1/tasks/triage_ticket"
CHAT_PATH = "/v1/chat/completions"
TICKET = json.dumps(
    {
        "subject": "Cannot log in since the update",
        "body": "Since this morning's update the login page rejects my password.",
    }
).encode()
MODEL = "gpt-4.1-mini-2025-04-14"  # Priced in config/prices.toml, so the costs are real.
# Only for this machine's fake upstream; long and random so production settings accept it.
API_KEY = "sk-bench-" + secrets.token_urlsafe(32)
PROBE_BODY = b'{"model":"probe","messages":[{"role":"user","content":"ready?"}]}'


def models_toml(upstream_url: str, max_connections: int) -> str:
    return f"""version = "bench"

[deployments.bench-openai]
provider = "openai"
model = "{MODEL}"
base_url = "{upstream_url}/v1"
max_connections = {max_connections}

[deployments.bench-openai.timeouts]
connect_seconds = 5.0
first_token_seconds = 30.0
total_seconds = 30.0

[aliases.default]
deployments = ["bench-openai"]
"""


def service_environment(workdir: Path, upstream_url: str, name: str) -> dict[str, str]:
    """Production settings whose default alias is served by the upstream at `upstream_url`."""
    models = workdir / f"{name}.models.toml"
    models.write_text(models_toml(upstream_url, 1024))
    return base_environment(
        workdir,
        APP_DATABASE_URL=f"sqlite+aiosqlite:///{workdir / name}.db",
        APP_MODELS_FILE=str(models),
        APP_OPENAI_API_KEY=API_KEY,
    )


@dataclass(frozen=True)
class Service(Process):
    key: str  # An API key of the caller role, for the task routes.


def create_key(env: dict[str, str], workdir: Path) -> str:
    command = [sys.executable, "-m", PACKAGE, "keys", "create", "--name=bench", "--role=caller"]
    result = subprocess.run(command, env=env, cwd=workdir, capture_output=True, text=True)
    if result.returncode != 0:
        raise BenchError(f"creating an API key failed:\n{result.stderr[-2000:]}")
    return result.stdout.strip().splitlines()[-1]


def expect(what: str, url: str, body: bytes, wanted: bytes, key: str = "") -> None:
    status, _, answer = post(url, body, key)
    if status != 200 or wanted not in answer:
        raise BenchError(f"{what}: POST {url} answered {status} {answer[:300]!r}")


@contextmanager
def fake_upstream(latency_ms: float, workdir: Path) -> Iterator[Process]:
    """The fake OpenAI-compatible upstream; ready once it answers a chat completion."""
    script = PROJECT / "scripts" / "fake_upstream.py"
    command = [sys.executable, str(script), f"--latency-ms={latency_ms:g}"]
    env = base_environment(workdir)

    def probe(url: str) -> None:
        expect("the upstream", url + CHAT_PATH, PROBE_BODY, b'"choices"')

    with server_process(f"upstream-{latency_ms:g}ms", command, env, workdir, probe) as process:
        yield process


@contextmanager
def task_service(
    workdir: Path, upstream_url: str, *, workers: int = 1, name: str = "service"
) -> Iterator[Service]:
    """The migrated service with `workers` workers; ready once the triage task answers."""
    env = service_environment(workdir, upstream_url, name)
    env["APP_WORKERS"] = str(workers)
    migrate(env, workdir)
    key = create_key(env, workdir)
    command = [sys.executable, "-m", PACKAGE, "serve"]

    def probe(url: str) -> None:
        expect(name, url + TASK_PATH, TICKET, b'"technical"', key)

    with server_process(name, command, env, workdir, probe) as process:
        yield Service(process.url, process.pid, process.log, key)
