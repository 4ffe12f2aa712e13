"""`make bench` in a default bake: every benchmark runs (tiny durations) and prints its figures
and a met / not met line per target. Speed itself is never asserted here (figures from a test
run on a shared machine mean nothing); that the benchmarks can measure it is."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from .baking import describe, run

# Each benchmark, a figure it must print, and the target line it must end with.
BENCHMARKS = {
    "middleware": (r"^full: p50 \d+\.\d\d ms, \d+ us CPU per request", "full/bare middleware"),
    "cold_start": (r"^medians: framework \d+ ms, service \d+ ms of CPU$", "cold start / framework"),
    "task_path": (r"^task: \d+ calls, median \d+\.\d+ ms", "task path added median latency"),
    "task_cpu": (r"^medians: \d+ req/s, \d+\.\d+ ms CPU per request$", "CPU per task request"),
    "workers": (r"^\s+1\s+\d+\s+\d+\s+(\d+\.\d\d|nan)$", "2 workers / 1 worker task throughput"),
}
TINY = "--rounds 1 --seconds 2 --warmup 1"


@pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk is missing (apt-get install wrk)")
def test_make_bench_runs_every_benchmark_and_says_met_or_not(default_project: Path) -> None:
    env = {"PYTHONPATH": str(default_project / "src")}
    # The liveness flood benchmark has options of its own; it is not one of these targets.
    command = ["make", "bench", "RUN=", f"BENCH_ARGS={TINY}", "FLOOD_BENCHMARK="]
    result = run(command, default_project, env=env)
    assert result.returncode == 0, describe(result)
    sections = re.split(r"^== scripts/bench_(\w+)\.py$", result.stdout, flags=re.MULTILINE)
    printed = dict(zip(sections[1::2], sections[2::2], strict=True))
    assert list(printed) == list(BENCHMARKS), describe(result)
    for name, (figure, target) in BENCHMARKS.items():
        output = printed[name]
        assert re.search(figure, output, flags=re.MULTILINE), f"{name}:\n{output}"
        verdicts = re.findall(r"^target (.+): (.+): (met|not met)$", output, flags=re.MULTILINE)
        assert len(verdicts) == 1, f"{name}:\n{output}"
        assert verdicts[0][0].startswith(target), f"{name}:\n{output}"
