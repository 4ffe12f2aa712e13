"""The alert rules pass promtool (syntax and one unit test per alert), and the rules and the
dashboard query only series the service exports or the rules record."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from ..factories import PROJECT_DIR
from .promql import exported_names, metric_names, recorded_names, rule_expressions

RULES = PROJECT_DIR / "deploy" / "prometheus" / "alerts.yml"
RULE_TESTS = PROJECT_DIR / "deploy" / "prometheus" / "alerts.test.yml"
DASHBOARDS = sorted((PROJECT_DIR / "deploy" / "grafana" / "dashboards").glob("*.json"))
ALERTS = {
    "ErrorBudgetBurnFast",
    "ErrorBudgetBurnSlow",
    "ReadinessFailing",
    "ModelCircuitOpen",
    "ModelBudgetNearlySpent",
    "InferenceRecorderBacklog",
    "InferenceRecordsSetAside",
}


def promtool() -> str:
    found = shutil.which("promtool")
    if found is None:
        reason = "promtool is not installed (Debian/Ubuntu: apt-get install prometheus)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{reason}; CI installs it, so this is a failure here")
        pytest.skip(reason)
    return found


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, capture_output=True, text=True, check=False, cwd=RULES.parent)  # noqa: S603


def test_promtool_accepts_the_rules() -> None:
    result = run(promtool(), "check", "rules", RULES.name)

    assert result.returncode == 0, result.stdout + result.stderr


def test_every_alert_passes_its_promtool_unit_test() -> None:
    result = run(promtool(), "test", "rules", RULE_TESTS.name)

    assert result.returncode == 0, result.stdout + result.stderr
    tested = {
        line.split(":", 1)[1].strip()
        for line in RULE_TESTS.read_text().splitlines()
        if line.strip().startswith("alertname:")
    }
    assert tested == ALERTS


def test_every_alert_is_unit_tested_and_documented() -> None:
    defined = {
        line.split(":", 1)[1].strip()
        for line in RULES.read_text().splitlines()
        if line.strip().startswith("- alert:")
    }
    docs = (PROJECT_DIR / "docs" / "observability.md").read_text()

    assert defined == ALERTS
    assert [alert for alert in sorted(ALERTS) if alert not in docs] == []


def test_the_rules_query_only_exported_or_recorded_series() -> None:
    known = exported_names() | recorded_names(RULES)
    used = set().union(*(metric_names(expr) for expr in rule_expressions(RULES)))

    assert used, "no expression was read"
    assert used - known == set()


def panel_queries(dashboard: dict[str, Any]) -> list[str]:
    queries = []
    for panel in dashboard["panels"]:
        queries += [target["expr"] for target in panel.get("targets", [])]
    for variable in dashboard.get("templating", {}).get("list", []):
        queries.append(variable["definition"].removeprefix("label_values(").split(",")[0])
    return queries


@pytest.mark.parametrize("path", DASHBOARDS, ids=lambda path: path.name)
def test_the_dashboard_parses_and_queries_only_exported_or_recorded_series(path: Path) -> None:
    dashboard = json.loads(path.read_text())
    known = exported_names() | recorded_names(RULES)

    queries = panel_queries(dashboard)
    used = set().union(*(metric_names(query) for query in queries))

    assert len(queries) >= 10
    expected = {"http_server_request_duration_seconds_count", "model_cost_usd_total"}
    assert expected | {"model_circuit_state"} <= used
    assert used - known == set()
    assert len({panel["id"] for panel in dashboard["panels"]}) == len(dashboard["panels"])


def test_the_reader_sees_names_and_skips_functions_labels_and_keywords() -> None:
    query = (
        'histogram_quantile(0.95, sum by (le, route) (rate(x_bucket{route!="a_b"}[5m])))'
        " / on(slo) group_left() slo:ratio_rate1h > 1e3 and y_total offset 5m"
    )

    assert metric_names(query) == {"x_bucket", "slo:ratio_rate1h", "y_total"}
