"""Task requests driven through the app in this process, for profilers: not a benchmark.

Builds the app as `serve` does (production settings, migrated SQLite, the fake OpenAI-compatible
upstream answering at once), sends `--warmup` then `--requests` task requests straight to its
ASGI interface (`--concurrency` at a time), and prints the CPU time per request. No HTTP server
is involved, so a profile shows the service's own code. Instruction counts, which other load on
the machine does not change, come from callgrind; this script switches it on after the warm-up:

    valgrind --tool=callgrind --instr-atstart=no python scripts/profile_task.py --callgrind \
        --requests 200 >/dev/null
    callgrind_annotate callgrind.out.<pid> | head     # "PROGRAM TOTALS" / 200 requests

    py-spy record -o profile.svg -- python scripts/profile_task.py --requests 20000 >/dev/null
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from asgi_lifespan import LifespanManager
from harness import BenchError, migrate
from starlette.types import ASGIApp, Message, Scope
from task_service import TASK_PATH, TICKET, create_key, fake_upstream, service_environment

from {{ cookiecutter.package_name }}.app import create_app

AUTHORIZATION: list[tuple[bytes, bytes]] = []  # Set once the key exists.


def scope() -> Scope:
    headers = [(b"host", b"127.0.0.1"), (b"content-type", b"application/json"), *AUTHORIZATION]
    return {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": TASK_PATH,
        "raw_path": TASK_PATH.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [*headers, (b"content-length", str(len(TICKET)).encode())],
        "client": ("127.0.0.1", 40000),
        "server": ("127.0.0.1", 8000),
    }


async def one_request(app: ASGIApp) -> None:
    sent: list[int] = []

    async def receive() -> Message:
        return {"type": "http.request", "body": TICKET, "more_body": False}

    async def send(message: Message) -> None:
        if message["type"] == "http.response.start":
            sent.append(message["status"])

    await app(scope(), receive, send)
    if sent != [200]:
        raise BenchError(f"the task answered {sent}")


def callgrind(state: str) -> None:
    command = ["callgrind_control", "--instr=" + state, str(os.getpid())]
    subprocess.run(command, check=True, capture_output=True)


async def drive(args: argparse.Namespace) -> None:
    app = create_app()
    # No time limit: under callgrind the start-up is fifty times slower.
    async with LifespanManager(app, startup_timeout=None, shutdown_timeout=None) as manager:
        for _ in range(args.warmup):
            await one_request(manager.app)

        async def caller(count: int) -> None:
            for _ in range(count):
                await one_request(manager.app)

        if args.callgrind:
            callgrind("on")
        started = time.process_time()
        each = args.requests // args.concurrency
        await asyncio.gather(*(caller(each) for _ in range(args.concurrency)))
        cpu = time.process_time() - started
        if args.callgrind:
            callgrind("off")
    total = each * args.concurrency
    # On stderr: stdout carries the service's own log lines.
    each_ms = cpu / total * 1000
    summary = f"{total} requests, {args.concurrency} at a time: {each_ms:.3f} ms CPU each"
    print(summary, file=sys.stderr)


def runner() -> asyncio.Runner:
    """uvloop, as `serve` uses, when it is installed."""
    try:
        import uvloop
    except ImportError:
        return asyncio.Runner()
    return asyncio.Runner(loop_factory=uvloop.new_event_loop)


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000, help="measured requests (2000)")
    parser.add_argument("--warmup", type=int, default=50, help="unmeasured requests first (50)")
    parser.add_argument("--concurrency", type=int, default=1, help="requests at a time (1)")
    parser.add_argument("--callgrind", action="store_true", help="count only the measured part")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="profile-task-") as directory:
        workdir = Path(directory)
        with fake_upstream(0, workdir) as upstream:
            env = service_environment(workdir, upstream.url, "profile")
            migrate(env, workdir)
            AUTHORIZATION.append((b"authorization", f"Bearer {create_key(env, workdir)}".encode()))
            os.environ.update(env)
            os.chdir(workdir)
            with runner() as loop:
                loop.run(drive(args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
