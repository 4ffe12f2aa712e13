"""The model gateway's added latency and one worker's throughput: `make bench-gateway`.

Against a local fake OpenAI-compatible upstream with a fixed latency (`bench_upstream.py`):
(1) the median latency the gateway adds over a direct HTTP call to the same upstream (5 ms),
sequential calls alternated in rounds, in-process and through the served app; (2) the
requests/s of the service as one uvicorn worker loaded by wrk with 500 connections against a
100 ms upstream, compared with the ideal 500 / 0.1 s, next to wrk straight at the upstream and
the gateway alone in-process. Exits 0 whatever the figures; non-zero only when something could
not run.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import httpx
from bench import WRK_INSTALL_HINT, BenchError, positive, run_checked
from bench_gateway_support import (
    API_KEY,
    CHAT_PATH,
    TASK,
    TASK_PATH,
    TICKET,
    Load,
    Loads,
    chat_body,
    count_records,
    expect_200,
    in_process_gateway,
    in_process_settings,
    median,
    percentile,
    run_wrk,
    runner,
    service,
    service_env,
    summarise,
    triage_request,
    upstream,
    wait_until_idle,
    write_models_file,
    wrk_script,
)

from {{ cookiecutter.package_name }}.llm.errors import ModelError
from {{ cookiecutter.package_name }}.tasks.registry import task_registry

PROBE_BODY = b'{"model":"probe","messages":[{"role":"user","content":"ready?"}]}'
Call = Callable[[], Awaitable[object]]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add = parser.add_argument
    add("--calls", type=positive, default=200, help="sequential calls per kind per round (200)")
    add("--rounds", type=positive, default=5, help="latency rounds (5)")
    add("--warmup-calls", type=positive, default=50, help="unmeasured calls per kind (50)")
    add("--small-latency-ms", type=float, default=5.0, help="upstream latency for (1) (5)")
    add("--latency-ms", type=float, default=100.0, help="upstream latency for (2) (100)")
    add("--connections", type=positive, default=500, help="concurrent requests for (2) (500)")
    add("--duration", type=positive, default=10, help="seconds per throughput run (10)")
    add("--warmup", type=positive, default=3, help="unmeasured seconds before each run (3)")
    add("--threads", type=positive, default=1, help="wrk threads (1)")
    add("--wrk", default="wrk", help="the wrk executable (wrk)")
    return parser.parse_args()


async def measure_latency(
    args: argparse.Namespace, env: dict[str, str], log: Path, upstream_url: str, service_url: str
) -> tuple[dict[str, list[float]], bytes]:
    """Sequential calls of each kind, alternated in rounds; returns milliseconds per kind."""
    task, model_request = task_registry().get(TASK), triage_request()
    assert task is not None  # noqa: S101 - triage_request checked it
    async with (
        in_process_gateway(in_process_settings(env), log) as gateway,
        httpx.AsyncClient(headers={"authorization": f"Bearer {API_KEY}"}) as client,
    ):
        body = chat_body(gateway, model_request)
        kinds: dict[str, Call] = {
            "direct": lambda: expect_200(client.post(upstream_url + CHAT_PATH, json=body)),
            "gateway": lambda: gateway.generate(
                task.alias, model_request, output_model=task.output_model, task=TASK
            ),
            "http": lambda: expect_200(client.post(service_url + TASK_PATH, json=TICKET)),
        }
        samples: dict[str, list[float]] = {kind: [] for kind in kinds}
        for call in kinds.values():
            for _ in range(args.warmup_calls):
                await call()
        print(f"(1) added latency: {args.rounds} rounds x {args.calls} sequential calls per kind")
        print(
            f"upstream latency {args.small_latency_ms:g} ms; medians in ms, added = minus direct\n"
        )
        print(
            f"{'round':>5}  {'direct':>7}  {'gateway':>7}  {'added':>6}  {'http':>7}  {'added':>6}"
        )
        order = list(kinds)
        for number in range(args.rounds):
            medians = {}
            # Rotate the order every round, so a drift of the machine hits every kind alike.
            for kind in order[number % 3 :] + order[: number % 3]:
                times = []
                for _ in range(args.calls):
                    started = time.perf_counter()
                    await kinds[kind]()
                    times.append((time.perf_counter() - started) * 1000)
                samples[kind] += times
                medians[kind] = median(times)
            direct = medians["direct"]
            print(
                f"{number + 1:>5}  {direct:>7.3f}  {medians['gateway']:>7.3f}  "
                f"{medians['gateway'] - direct:>6.3f}  {medians['http']:>7.3f}  "
                f"{medians['http'] - direct:>6.3f}"
            )
    return samples, json.dumps(body).encode()


async def gateway_rate(env: dict[str, str], log: Path, args: argparse.Namespace) -> Load:
    """`connections` callers looping on `generate`; counts what completes in the `duration` s
    after the warm-up, as wrk does, then cancels what is still in flight."""
    task, model_request = task_registry().get(TASK), triage_request()
    assert task is not None  # noqa: S101 - triage_request checked it
    latencies: list[float] = []
    failed, counting = 0, False

    async def caller() -> None:
        nonlocal failed
        while True:
            started = time.perf_counter()
            try:
                await gateway.generate(
                    task.alias, model_request, output_model=task.output_model, task=TASK
                )
            except ModelError:
                failed += 1 if counting else 0
                continue
            if counting:
                latencies.append((time.perf_counter() - started) * 1000)

    async with in_process_gateway(in_process_settings(env), log) as gateway:
        callers = [asyncio.create_task(caller()) for _ in range(args.connections)]
        await asyncio.sleep(args.warmup)
        counting, started, cpu = True, time.perf_counter(), time.process_time()
        await asyncio.sleep(args.duration)
        counting, wall = False, time.perf_counter() - started
        cpu_share = (time.process_time() - cpu) / wall
        for caller_task in callers:
            caller_task.cancel()
        await asyncio.gather(*callers, return_exceptions=True)
    p50, p99 = (median(latencies), percentile(latencies, 0.99)) if latencies else (0.0, 0.0)
    return Load(len(latencies), wall, p50, p99, failed, 0, {"this process": cpu_share})


def measure(args: argparse.Namespace, wrk: str, workdir: Path) -> None:
    with runner() as loop:
        with upstream(args.small_latency_ms, workdir, PROBE_BODY) as up:
            small = write_models_file(workdir, "small", up.url, args.connections * 2)
            in_env = service_env(workdir, small, workdir / "inprocess.db")
            svc_env = service_env(workdir, small, workdir / "service.db")
            for env in (in_env, svc_env):
                run_checked(
                    [sys.executable, "-m", "{{ cookiecutter.package_name }}", "migrate"], env, workdir, "migrate"
                )
            with service("service (5 ms upstream)", svc_env, workdir) as svc:
                log = workdir / "latency.log"
                samples, chat = loop.run(measure_latency(args, in_env, log, up.url, svc.url))
        print()
        for kind, times in samples.items():
            print(f"{kind:<8} median {median(times):7.3f} ms  p90 {percentile(times, 0.9):7.3f} ms")
        ideal = args.connections / (args.latency_ms / 1000)
        print(f"\n(2) throughput: {args.connections} concurrent, upstream {args.latency_ms:g} ms,")
        print(f"{args.duration} s per run after {args.warmup} s warm-up, ideal {ideal:.0f} req/s\n")
        loads = Loads(ideal)
        with upstream(args.latency_ms, workdir, PROBE_BODY) as up:
            big = write_models_file(workdir, "big", up.url, args.connections * 2)
            chat_lua = wrk_script(workdir, "chat", chat)
            task_lua = wrk_script(workdir, "task", json.dumps(TICKET).encode())
            shape = (args.connections, args.threads)
            for seconds in (args.warmup, args.duration):
                load = run_wrk(
                    wrk, chat_lua, up.url + CHAT_PATH, (*shape, seconds), {"upstream": up.pid}
                )
            loads.add("wrk -> upstream", load)
            in_env = service_env(workdir, big, workdir / "inprocess.db")
            loads.add(
                "gateway in-process", loop.run(gateway_rate(in_env, workdir / "rate.log", args))
            )
            svc_env = service_env(workdir, big, workdir / "service.db")
            with service("service (100 ms upstream)", svc_env, workdir) as svc:
                pids = {"service": svc.pid, "upstream": up.pid}
                run_wrk(wrk, task_lua, svc.url + TASK_PATH, (*shape, args.warmup), pids)
                drained = wait_until_idle(svc.pid)
                load = run_wrk(wrk, task_lua, svc.url + TASK_PATH, (*shape, args.duration), pids)
                loads.add("wrk -> service", load)
            if drained > 1:
                print(f"(the service took {drained:.0f} s to finish the warm-up's requests)")
    records = {name: count_records(workdir / f"{name}.db") for name in ("inprocess", "service")}
    print(f"\ninference records written to SQLite: {records}")
    summarise(samples, args.calls, loads)


def main() -> int:
    args = parse_args()
    try:
        wrk = shutil.which(args.wrk)
        if wrk is None:
            raise BenchError(WRK_INSTALL_HINT)
        with tempfile.TemporaryDirectory(prefix="bench-gateway-") as directory:
            measure(args, wrk, Path(directory))
    except BenchError as error:
        print(f"bench-gateway: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
