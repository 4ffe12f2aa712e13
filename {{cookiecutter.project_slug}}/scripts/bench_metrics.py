"""What the metrics middleware costs per request, in CPU instructions (callgrind).

Instruction counts do not move with the machine's load the way requests/s do, so this is the
figure to compare on a shared machine. Each variant serves the echo endpoint of bench_middleware.py
in-process (ASGI calls, no sockets) for two request counts under callgrind; the difference
divided by the extra requests is the cost of one request, start-up excluded.

    python scripts/bench_metrics.py            # needs valgrind (apt-get install valgrind)
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from bench_middleware import ECHO_PATH, bare_app, full_app, router

BODY = b'{"name": "bench", "count": 3, "score": 0.5, "tags": ["a", "b"]}'
VARIANTS = ("bare", "full-without-metrics", "full", "full-telemetry-default", "full-tracing-on")
SMALL, LARGE = 200, 1200
METRICS_MIDDLEWARE = "HttpMetricsMiddleware"
# The share of a full request's instructions the metrics layer may take and keep the
# full/bare throughput target of bench_middleware.py.
BUDGET_SHARE = 0.05


def build(variant: str) -> Any:
    """`full-telemetry-default`: FastAPI's telemetry left at its defaults, which look up the
    global OpenTelemetry providers on every request; `full-tracing-on`: a span per request
    from a real SDK provider (sampled, no exporter), the cost of tracing itself."""
    if variant == "bare":
        return bare_app()
    if variant in {"full-telemetry-default", "full-tracing-on"}:
        from opentelemetry.sdk.trace import TracerProvider

        from {{ cookiecutter.package_name }} import app as app_module

        if variant == "full-telemetry-default":
            # FastAPI(telemetry=None): its defaults, as if the service did not configure it.
            vars(app_module)["telemetry_config"] = lambda _provider: None
            app = app_module.create_app()
        else:
            app = app_module.create_app(tracer_provider=TracerProvider())
        app.include_router(router)
        return app
    app = full_app()
    if variant == "full-without-metrics":
        app.user_middleware = [
            m for m in app.user_middleware if getattr(m.cls, "__name__", "") != METRICS_MIDDLEWARE
        ]
    return app


async def drive(app: Any, count: int) -> None:
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": ECHO_PATH,
        "raw_path": ECHO_PATH.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"content-type", b"application/json"), (b"content-length", b"64")],
        "client": ("127.0.0.1", 1),
        "server": ("127.0.0.1", 8000),
    }
    message = {"type": "http.request", "body": BODY, "more_body": False}

    async def receive() -> dict[str, Any]:
        return message

    async def send(_message: dict[str, Any]) -> None:
        return None

    for _ in range(count):
        await app(dict(scope), receive, send)


def instructions(variant: str, count: int, env: dict[str, str]) -> int:
    with tempfile.TemporaryDirectory() as directory:
        out = Path(directory) / "callgrind.out"
        command = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}"]
        command += [sys.executable, __file__, "--drive", variant, str(count)]
        subprocess.run(command, env=env, check=True, capture_output=True)
        totals = re.search(r"^totals: (\d+)", out.read_text(), re.MULTILINE)
        if totals is None:
            msg = f"callgrind wrote no totals for {variant}"
            raise RuntimeError(msg)
        return int(totals.group(1))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--drive", nargs=2, metavar=("VARIANT", "COUNT"))
    args = parser.parse_args()
    if args.drive:
        asyncio.run(drive(build(args.drive[0]), int(args.drive[1])))
        return 0
    if shutil.which("valgrind") is None:
        print("bench_metrics: valgrind is not installed", file=sys.stderr)
        return 1
    from harness import service_environment

    with tempfile.TemporaryDirectory(prefix="bench-") as directory:
        env = service_environment(Path(directory))
        env["PYTHONPATH"] = os.pathsep.join([str(Path(__file__).parent), env["PYTHONPATH"]])
        per_request = {}
        for variant in VARIANTS:
            small, large = (instructions(variant, n, env) for n in (SMALL, LARGE))
            per_request[variant] = (large - small) / (LARGE - SMALL)
            print(f"{variant:>22}: {per_request[variant]:>9,.0f} instructions per request")
    for variant in ("full-telemetry-default", "full-tracing-on"):
        extra = per_request[variant] - per_request["full"]
        print(f"{variant}: {extra:+,.0f} instructions per request over full")
    metrics = per_request["full"] - per_request["full-without-metrics"]
    share = metrics / per_request["full"]
    verdict = "met" if share <= BUDGET_SHARE else "NOT met"
    print(
        f"metrics middleware: {metrics:,.0f} instructions per request, {share:.1%} of a full "
        f"request (budget {BUDGET_SHARE:.0%}: {verdict}); full/bare instruction ratio "
        f"{per_request['bare'] / per_request['full']:.2f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
