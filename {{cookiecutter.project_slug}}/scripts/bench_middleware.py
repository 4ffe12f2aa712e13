"""Throughput of the full service's middleware stack against a bare FastAPI app.

Serves the same validate-and-echo endpoint, first in each route table, from the full service
(every middleware, JSON access log, production settings, migrated SQLite) and from a bare FastAPI
app, one uvicorn worker each (`python scripts/bench_middleware.py --serve full --port 8001`),
and loads them with wrk in alternation so both see the same machine. Target: the full app's
throughput at least 0.85 of the bare one's, judged by the worker's CPU time per request (which a
busy machine barely moves; requests/s are printed too).
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

from fastapi import APIRouter, FastAPI
from harness import (
    BenchError,
    Load,
    arguments,
    find_wrk,
    migrate,
    post,
    run_benchmark,
    run_wrk,
    server_process,
    service_environment,
    verdict,
    write_wrk_script,
)
from pydantic import BaseModel

ECHO_PATH = "/bench/echo"
ECHO_BODY = b'{"name":"benchmark","count":3,"score":0.5,"tags":["a","b","c"]}'
RATIO_TARGET = 0.85


class EchoBody(BaseModel):
    name: str
    count: int
    score: float
    tags: list[str]


router = APIRouter()


@router.post(ECHO_PATH)
async def echo(body: EchoBody) -> EchoBody:
    return body


def full_app() -> FastAPI:
    """The service as deployed (settings from the APP_* variables) plus the echo route."""
    from {{ cookiecutter.package_name }}.app import create_app

    return with_echo_first(create_app())


def bare_app() -> FastAPI:
    return with_echo_first(FastAPI())


def with_echo_first(app: FastAPI) -> FastAPI:
    # First in both route tables: FastAPI tries routes in order (about 2 us each), and the
    # ratio is about the stack, not about where one route sits among the service's.
    app.include_router(router)
    app.router.routes.insert(0, app.router.routes.pop())
    return app


def serve(app_name: str, port: int) -> None:
    """One of the two apps, alone in this process, on the same server options."""
    import uvicorn

    app = full_app() if app_name == "full" else bare_app()
    uvicorn.run(app, host="127.0.0.1", port=port, log_config=None, access_log=False)


def measure(args: argparse.Namespace, workdir: Path) -> None:
    wrk = find_wrk(args.wrk)
    env = service_environment(workdir, APP_ENV="staging")  # The offline models: not production.
    migrate(env, workdir)
    script = write_wrk_script(workdir, "echo", ECHO_BODY)
    loads: dict[str, list[Load]] = {"full": [], "bare": []}

    def probe(url: str) -> None:
        post(url + ECHO_PATH, ECHO_BODY)

    command = [sys.executable, __file__, "--serve"]
    with (
        server_process("full", [*command, "full"], env, workdir, probe) as full,
        server_process("bare", [*command, "bare"], env, workdir, probe) as bare,
    ):
        if "x-request-id" not in {
            name.lower() for name in post(full.url + ECHO_PATH, ECHO_BODY)[1]
        }:
            raise BenchError("the full app sent no X-Request-ID: is its middleware installed?")
        servers = {"full": full, "bare": bare}
        for server in servers.values():
            if args.warmup:
                run_wrk(wrk, script, server.url + ECHO_PATH, connections=64, seconds=args.warmup)
        print(f"POST {ECHO_PATH}, 64 connections, {args.seconds} s per run\n")
        print(f"{'round':>5}  {'full req/s':>10}  {'bare req/s':>10}  {'ratio':>6}  CPU ratio")
        for number in range(args.rounds):
            # Swap the order every round, so a drift of the machine hits both apps alike.
            for name in list(servers) if number % 2 == 0 else list(servers)[::-1]:
                url, pid = servers[name].url + ECHO_PATH, servers[name].pid
                load = run_wrk(wrk, script, url, connections=64, seconds=args.seconds, pid=pid)
                loads[name].append(load)
            f, b = loads["full"][-1], loads["bare"][-1]
            ratio, cpu = f.rate / b.rate, b.cpu_ms_per_request / f.cpu_ms_per_request
            print(f"{number + 1:>5}  {f.rate:>10.0f}  {b.rate:>10.0f}  {ratio:>6.2f}  {cpu:>9.2f}")
    if b'"event":"request"' not in full.log.read_bytes():
        raise BenchError("the full app wrote no access log line: it did not run its real stack")
    for name, runs in loads.items():
        p50 = statistics.median(run.p50_ms for run in runs)
        cpu = statistics.median(run.cpu_ms_per_request for run in runs) * 1000
        print(f"{name}: p50 {p50:.2f} ms, {cpu:.0f} us CPU per request (medians over rounds)")
    pairs = list(zip(loads["full"], loads["bare"], strict=True))
    rates = [f.rate / b.rate for f, b in pairs]
    low, high = min(rates), max(rates)
    print(f"full/bare requests/s: {statistics.median(rates):.2f} (rounds {low:.2f}-{high:.2f})")
    # The verdict uses CPU time per request: what a CPU-bound worker's throughput follows, and
    # unlike requests/s it barely moves when other processes take the cores.
    ratios = [b.cpu_ms_per_request / f.cpu_ms_per_request for f, b in pairs]
    ratio = statistics.median(ratios)
    verdict(
        f"full/bare middleware throughput (by CPU per request) >= {RATIO_TARGET}",
        f"{ratio:.2f} (rounds {min(ratios):.2f}-{max(ratios):.2f})",
        ratio >= RATIO_TARGET,
    )


if __name__ == "__main__":
    if sys.argv[1:2] == ["--serve"]:
        serve(sys.argv[2], int(sys.argv[4]))
        sys.exit(0)
    args = arguments(__doc__ or "", rounds=5, seconds=5, warmup=2).parse_args()
    sys.exit(run_benchmark("bench_middleware", measure, args))
