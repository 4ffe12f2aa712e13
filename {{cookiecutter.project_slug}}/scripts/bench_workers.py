"""Task throughput of `APP_WORKERS=2` against one worker, at 500 concurrent requests.

Two services run side by side, one with one uvicorn worker and one with two, in front of the
same fake upstream (100 ms); wrk loads them in alternation with 500 connections on
`POST /v1/tasks/triage_ticket`. One worker is CPU-bound there, so a second one on a second core
should nearly double the rate. Target: two workers at least 1.7x one (on two or more cores).
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import sys
from pathlib import Path

from harness import (
    arguments,
    find_wrk,
    run_benchmark,
    run_wrk,
    verdict,
    write_wrk_script,
)
from task_service import TASK_PATH, TICKET, fake_upstream, task_service

CONNECTIONS = 500
UPSTREAM_LATENCY_MS = 100.0
RATIO_TARGET = 1.7


def measure(args: argparse.Namespace, workdir: Path) -> None:
    wrk = find_wrk(args.wrk)
    rates: dict[int, list[float]] = {1: [], 2: []}
    with (
        fake_upstream(UPSTREAM_LATENCY_MS, workdir) as upstream,
        task_service(workdir, upstream.url, workers=1, name="one-worker") as one,
        task_service(workdir, upstream.url, workers=2, name="two-workers") as two,
    ):
        urls = {1: one.url + TASK_PATH, 2: two.url + TASK_PATH}
        scripts = {1: write_wrk_script(workdir, "one", TICKET, one.key)}
        scripts[2] = write_wrk_script(workdir, "two", TICKET, two.key)
        for workers, url in urls.items():
            if args.warmup:
                run_wrk(wrk, scripts[workers], url, connections=CONNECTIONS, seconds=args.warmup)
        print(
            f"{CONNECTIONS} concurrent, upstream {UPSTREAM_LATENCY_MS:g} ms, {os.cpu_count()} CPUs"
        )
        print(f"{'round':>5}  {'1 worker req/s':>14}  {'2 workers req/s':>15}  {'ratio':>6}")
        for number in range(args.rounds):
            # Swap the order every round, so a drift of the machine hits both alike.
            for workers in (1, 2) if number % 2 == 0 else (2, 1):
                load = run_wrk(
                    wrk,
                    scripts[workers],
                    urls[workers],
                    connections=CONNECTIONS,
                    seconds=args.seconds,
                )
                rates[workers].append(load.rate)
            one_rate, two_rate = rates[1][-1], rates[2][-1]
            ratio = two_rate / one_rate if one_rate else math.nan
            print(f"{number + 1:>5}  {one_rate:>14.0f}  {two_rate:>15.0f}  {ratio:>6.2f}")
    if not all(rates[1]):
        # Not a figure: a run too short for the slowest request says nothing of the ratio.
        verdict(f"2 workers / 1 worker task throughput >= {RATIO_TARGET}", "no figure", False)
        print("a one-worker run completed no request: give it more --seconds or --warmup")
        return
    ratios = [two / one for one, two in zip(rates[1], rates[2], strict=True)]
    ratio = statistics.median(ratios)
    verdict(
        f"2 workers / 1 worker task throughput >= {RATIO_TARGET}",
        f"{ratio:.2f} (rounds {min(ratios):.2f}-{max(ratios):.2f})",
        ratio >= RATIO_TARGET,
    )


if __name__ == "__main__":
    args = arguments(__doc__ or "", rounds=3, seconds=10, warmup=3).parse_args()
    sys.exit(run_benchmark("bench_workers", measure, args))
