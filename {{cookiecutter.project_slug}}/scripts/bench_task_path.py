"""The latency the HTTP task path adds over a direct call to the same upstream, one call at a time.

A fake OpenAI-compatible upstream answers after 5 ms. "direct" posts the gateway's chat body to
it; "task" posts a ticket to `POST /v1/tasks/triage_ticket` on the served service (middleware,
validation, gateway, provider adapter, inference record). Both use one keep-alive connection and
alternate in rounds. Target: task median minus direct median at most 1 ms.
"""

from __future__ import annotations

import argparse
import http.client
import json
import statistics
import sys
import time
from pathlib import Path

from harness import BenchError, arguments, cpu_seconds, run_benchmark, verdict
from task_service import API_KEY, CHAT_PATH, MODEL, TASK_PATH, TICKET, fake_upstream, task_service

from {{ cookiecutter.package_name }}.evals.verdict import percentile
from {{ cookiecutter.package_name }}.tasks.registry import task_registry

UPSTREAM_LATENCY_MS = 5.0
ADDED_TARGET_MS = 1.0


def chat_body() -> bytes:
    """What the gateway's OpenAI adapter sends for the ticket (same messages and schema)."""
    task = task_registry().get("triage_ticket")
    if task is None:
        raise BenchError("no task named triage_ticket")
    request = task.build_request(task.input_model.model_validate_json(TICKET))
    schema = {"name": "output", "schema": request.output_schema}
    body = {
        "model": MODEL,
        "messages": [{"role": m.role, "content": m.content} for m in request.messages],
        "response_format": {"type": "json_schema", "json_schema": schema},
    }
    return json.dumps(body).encode()


class Caller:
    """Sequential POSTs of one body over one keep-alive connection."""

    def __init__(self, url: str, path: str, body: bytes, key: str) -> None:
        host, port = url.removeprefix("http://").split(":")
        self.connection = http.client.HTTPConnection(host, int(port), timeout=10)
        self.path, self.body = path, body
        self.headers = {"content-type": "application/json", "authorization": f"Bearer {key}"}

    def call(self) -> float:
        started = time.perf_counter()
        self.connection.request("POST", self.path, self.body, self.headers)
        response = self.connection.getresponse()
        answer = response.read()
        elapsed = (time.perf_counter() - started) * 1000
        if response.status != 200:
            raise BenchError(f"POST {self.path} answered {response.status}: {answer[:300]!r}")
        return elapsed

    def for_seconds(self, seconds: float) -> list[float]:
        times: list[float] = []
        deadline = time.perf_counter() + seconds
        while time.perf_counter() < deadline:
            times.append(self.call())
        return times


def measure(args: argparse.Namespace, workdir: Path) -> None:
    with (
        fake_upstream(UPSTREAM_LATENCY_MS, workdir) as upstream,
        task_service(workdir, upstream.url) as service,
    ):
        callers = {
            "direct": Caller(upstream.url, CHAT_PATH, chat_body(), API_KEY),
            "task": Caller(service.url, TASK_PATH, TICKET, service.key),
        }
        for caller in callers.values():
            caller.for_seconds(args.warmup)
        samples: dict[str, list[float]] = {kind: [] for kind in callers}
        service_cpu = 0.0
        print(f"upstream latency {UPSTREAM_LATENCY_MS:g} ms, {args.seconds} s per kind per round")
        print(f"{'round':>5}  {'direct ms':>9}  {'task ms':>9}  {'added ms':>8}  service CPU ms")
        for number in range(args.rounds):
            medians = {}
            # Swap the order every round, so a drift of the machine hits both alike.
            for kind in list(callers) if number % 2 == 0 else list(callers)[::-1]:
                cpu = cpu_seconds(service.pid)
                times = callers[kind].for_seconds(args.seconds)
                if kind == "task":
                    cpu_per_call = (cpu_seconds(service.pid) - cpu) / len(times) * 1000
                    service_cpu += cpu_per_call / args.rounds
                samples[kind] += times
                medians[kind] = statistics.median(times)
            added = medians["task"] - medians["direct"]
            direct, task = medians["direct"], medians["task"]
            row = f"{number + 1:>5}  {direct:>9.3f}  {task:>9.3f}  {added:>8.3f}"
            print(f"{row}  {cpu_per_call:>14.3f}")
    for kind, times in samples.items():
        median, p90 = statistics.median(times), percentile(times, 0.9) or 0.0
        print(f"{kind}: {len(times)} calls, median {median:.3f} ms, p90 {p90:.3f} ms")
    # The service's CPU time per call bounds what the path adds on an idle machine; the latency
    # adds the waits for a core on a busy one.
    print(f"service CPU per task call: {service_cpu:.3f} ms (mean over rounds)")
    added = statistics.median(samples["task"]) - statistics.median(samples["direct"])
    verdict(
        f"task path added median latency <= {ADDED_TARGET_MS:g} ms",
        f"{added:.3f} ms",
        added <= ADDED_TARGET_MS,
    )


if __name__ == "__main__":
    args = arguments(__doc__ or "", rounds=5, seconds=2, warmup=1).parse_args()
    sys.exit(run_benchmark("bench_task_path", measure, args))
