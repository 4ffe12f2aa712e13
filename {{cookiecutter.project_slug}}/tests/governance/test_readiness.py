"""`readiness` joins the evidence against nfr.toml and fails naming each violated NFR."""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from {{ cookiecutter.package_name }}.__main__ import main

from .conftest import edit

FLOOR = "tasks.triage_ticket.eval_pass_rate_floor"


@pytest.fixture
def evals_ran(project: Path) -> None:
    """The blessed baselines stand in for the last eval run's results."""
    for baseline in (project / "evals" / "baselines").glob("*.json"):
        results = project / "var" / "evals" / baseline.stem / "results.json"
        results.parent.mkdir(parents=True)
        shutil.copy(baseline, results)


def test_the_shipped_example_is_ready_with_latency_reported_as_no_evidence(
    evals_ran: None, project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["readiness"]) == 0, capsys.readouterr().err

    report = (project / "var" / "readiness" / "readiness.md").read_text()
    assert "**READY**" in report
    assert "| `tasks.triage_ticket.latency_p95_ms` | <= 4000 ms | no evidence" in report
    page = (project / "var" / "readiness" / "readiness.html").read_text()
    svg = page[page.index("<svg") : page.index("</svg>") + len("</svg>")]
    # Well-formed inline SVG; the page is our own output, not untrusted input.
    assert ET.fromstring(svg).tag.endswith("svg")  # noqa: S314


def test_no_eval_run_is_not_ready(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["readiness"]) == 1

    assert f"violated: {FLOOR}" in capsys.readouterr().err


def test_each_violated_nfr_is_named(
    evals_ran: None, project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit(project / "nfr.toml", "cost_per_call_usd = 0.005", "cost_per_call_usd = 0.0000001")
    latency = project / "var" / "bench" / "latency.json"
    latency.parent.mkdir(parents=True)
    latency.write_text(json.dumps({"triage_ticket": {"p95_ms": 4001.0}}))

    assert main(["readiness"]) == 1

    error = capsys.readouterr().err
    assert "violated: tasks.triage_ticket.cost_per_call_usd" in error
    assert "violated: tasks.triage_ticket.latency_p95_ms <= 4000 ms: 4001" in error
    # The card quotes the NFRs, so changing one without regenerating it is caught too.
    assert "violated: model card" in error
    assert FLOOR not in error


def test_a_failed_audit_control_is_a_violation(
    evals_ran: None, project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    audit = project / "audit.json"
    failed = {"id": "ModelPinned", "status": "fail"}
    results = [failed, {"id": "HealthProbes", "status": "pass"}]
    audit.write_text(json.dumps({"reports": [{"results": results}]}))

    assert main(["readiness", "--audit", str(audit)]) == 1

    assert "violated: audit no failed control: ModelPinned" in capsys.readouterr().err
