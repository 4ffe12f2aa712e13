"""Cold start: importing the service and building its app, against importing its framework alone.

Fresh interpreters, alternated: one imports fastapi, sqlalchemy.ext.asyncio and
pydantic_settings; the other imports the service's app module and calls `create_app()`
(production settings). Each measures its own CPU time from its first import: the interpreter's
start is left out, and CPU time barely moves when other processes take the cores (imports from
a warm file cache are CPU-bound). Target: the service at most 1.3x the framework, medians over
the rounds.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
from pathlib import Path

from harness import PACKAGE, BenchError, arguments, run_benchmark, service_environment, verdict

RATIO_TARGET = 1.3
FRAMEWORK = """
import time
started = time.process_time()
import fastapi, sqlalchemy.ext.asyncio, pydantic_settings
print(time.process_time() - started)
"""
SERVICE = f"""
import time
started = time.process_time()
from {PACKAGE}.app import create_app
create_app()
print(time.process_time() - started)
"""


def seconds_taken(code: str, env: dict[str, str], workdir: Path) -> float:
    command = [sys.executable, "-c", code]
    result = subprocess.run(command, env=env, cwd=workdir, capture_output=True, text=True)
    if result.returncode != 0:
        raise BenchError(f"the cold start failed ({result.returncode}):\n{result.stderr[-2000:]}")
    return float(result.stdout.split()[-1])


def measure(args: argparse.Namespace, workdir: Path) -> None:
    env = service_environment(workdir, APP_ENV="staging")  # The offline models: not production.
    if args.warmup:
        for code in (FRAMEWORK, SERVICE):
            seconds_taken(code, env, workdir)  # Warms the file cache.
    times: dict[str, list[float]] = {"framework": [], "service": []}
    print(f"{'round':>5}  {'framework CPU ms':>16}  {'service CPU ms':>14}  {'ratio':>6}")
    for number in range(args.rounds):
        framework = seconds_taken(FRAMEWORK, env, workdir)
        service = seconds_taken(SERVICE, env, workdir)
        times["framework"].append(framework)
        times["service"].append(service)
        print(
            f"{number + 1:>5}  {framework * 1000:>16.0f}  {service * 1000:>14.0f}  "
            f"{service / framework:>6.2f}"
        )
    framework, service = (statistics.median(times[kind]) for kind in ("framework", "service"))
    print(f"medians: framework {framework * 1000:.0f} ms, service {service * 1000:.0f} ms of CPU")
    verdict(
        f"cold start / framework import <= {RATIO_TARGET}",
        f"{service / framework:.2f}",
        service / framework <= RATIO_TARGET,
    )


if __name__ == "__main__":
    args = arguments(__doc__ or "", rounds=7, seconds=1, warmup=1).parse_args()
    sys.exit(run_benchmark("bench_cold_start", measure, args))
