"""CPU time one worker spends per task request at 500 concurrent requests.

wrk keeps 500 requests in flight against `POST /v1/tasks/triage_ticket` on one uvicorn worker,
whose model upstream (fake, OpenAI-compatible) answers after 100 ms. The worker's CPU time
(Linux /proc) divided by the requests served is what one request costs; it caps one worker at
1000 / (ms per request) requests/s. Target: at most 0.8 ms.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

from harness import (
    Load,
    arguments,
    find_wrk,
    run_benchmark,
    run_wrk,
    verdict,
    wait_until_idle,
    write_wrk_script,
)
from task_service import TASK_PATH, TICKET, fake_upstream, task_service

CONNECTIONS = 500
UPSTREAM_LATENCY_MS = 100.0
CPU_TARGET_MS = 0.8


def measure(args: argparse.Namespace, workdir: Path) -> None:
    wrk = find_wrk(args.wrk)
    loads: list[Load] = []
    with (
        fake_upstream(UPSTREAM_LATENCY_MS, workdir) as upstream,
        task_service(workdir, upstream.url) as service,
    ):
        script = write_wrk_script(workdir, "task", TICKET, service.key)
        url = service.url + TASK_PATH
        if args.warmup:
            run_wrk(wrk, script, url, connections=CONNECTIONS, seconds=args.warmup)
        ideal = CONNECTIONS / (UPSTREAM_LATENCY_MS / 1000)
        print(f"{CONNECTIONS} concurrent, upstream {UPSTREAM_LATENCY_MS:g} ms, ideal {ideal:.0f}/s")
        print(f"{'round':>5}  {'req/s':>6}  {'p50 ms':>7}  {'p99 ms':>7}  {'CPU ms/request':>14}")
        for number in range(args.rounds):
            wait_until_idle(service.pid)  # What a closed run left in flight must not count.
            load = run_wrk(
                wrk, script, url, connections=CONNECTIONS, seconds=args.seconds, pid=service.pid
            )
            loads.append(load)
            print(
                f"{number + 1:>5}  {load.rate:>6.0f}  {load.p50_ms:>7.1f}  {load.p99_ms:>7.1f}  "
                f"{load.cpu_ms_per_request:>14.3f}"
            )
    cpu = statistics.median(load.cpu_ms_per_request for load in loads)
    rate = statistics.median(load.rate for load in loads)
    print(f"medians: {rate:.0f} req/s, {cpu:.3f} ms CPU per request")
    verdict(f"CPU per task request <= {CPU_TARGET_MS} ms", f"{cpu:.3f} ms", cpu <= CPU_TARGET_MS)


if __name__ == "__main__":
    args = arguments(__doc__ or "", rounds=3, seconds=10, warmup=3).parse_args()
    sys.exit(run_benchmark("bench_task_cpu", measure, args))
