"""The README's promise: a default bake migrates, serves, is ready and runs the example task
offline (no key, no network)."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

from .baking import describe, run, tool_environment


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def get_json(url: str, body: dict[str, object] | None = None) -> tuple[int, dict[str, Any]]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, headers={"content-type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_default_project_migrates_serves_and_is_ready(default_project: Path) -> None:
    env = {"PYTHONPATH": str(default_project / "src")}
    migrate = run([sys.executable, "-m", "ai_service", "migrate"], default_project, env=env)
    assert migrate.returncode == 0, describe(migrate)
    assert (default_project / "var" / "ai_service.db").is_file()

    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "ai_service", "serve", "--port", str(port)],
        cwd=default_project,
        env=tool_environment(env),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        status, body = 0, {}
        while time.monotonic() < deadline and server.poll() is None:
            try:
                status, body = get_json(f"http://127.0.0.1:{port}/health/ready")
                break
            except OSError:
                time.sleep(0.2)
        assert status == 200, body
        assert body["status"] == "ok"
        live_status, live = get_json(f"http://127.0.0.1:{port}/health/live")
        assert live_status == 200
        assert live["version"] == "0.1.0"
        ticket = {"subject": "Charged twice", "body": "My billing page shows two charges."}
        task_status, task = get_json(f"http://127.0.0.1:{port}/v1/tasks/triage_ticket", ticket)
        assert task_status == 200, task
        assert task["output"]["category"] == "billing"
        assert task["model"] == "fake-1"
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=20)
    # Development logs are console lines: the start-up line and one access line per request.
    assert "service_started" in output
    # The start-up log says which provider each alias uses.
    assert "model_config_loaded" in output
    assert "providers_by_alias" in output
    assert "/health/ready" in output
